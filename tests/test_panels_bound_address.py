"""Panels tell the truth about where a port is bound: on a network whose
``com.docker.network.bridge.host_binding_ipv4`` is 127.0.0.1, a port published without an
address is bound to 127.0.0.1, not to every interface, and nothing warns that other machines
reach it. Against the real engine (the network and container carry the test labels)."""

import secrets
from dataclasses import replace

import pytest

from runmagic.display.bundle import container_bundle
from runmagic.display.model import HOST_BINDING_IPV4, PortMapping, default_host_ip, follow, state_from_inspect
from runmagic.display.summary import summary_text
from tests.test_panels import api, remove, run, wait_for  # noqa: F401  (api is a fixture)

REACHABLE = "reachable from other machines"


@pytest.fixture
def loopback_network(docker_client, labels):
    name = f"runmagic-test-loopback-{secrets.token_hex(4)}"
    network = docker_client.networks.create(name, driver="bridge", options={HOST_BINDING_IPV4: "127.0.0.1"},
                                            labels=labels)
    yield network.name
    network.remove()


def test_default_host_ip_reads_the_network_option():
    assert default_host_ip({"Options": {HOST_BINDING_IPV4: "127.0.0.1"}}) == "127.0.0.1"
    assert default_host_ip({"Options": {HOST_BINDING_IPV4: "0.0.0.0"}}) == ""
    assert default_host_ip({"Options": {}}) == "" and default_host_ip(None) == ""


def test_a_stopped_containers_ports_keep_the_host_port_they_had():
    before = replace(_created(), status="running",
                     ports=(PortMapping("80", "tcp", "127.0.0.1", "49153"),))
    after = follow(before, _created())
    assert after.ports == (PortMapping("80", "tcp", "127.0.0.1", "49153"),)
    assert "random" not in summary_text(after)


def _created(**host):
    return state_from_inspect({
        "Id": "c" * 64, "Name": "/web", "State": {"Status": "exited", "ExitCode": 0},
        "Config": {"Image": "busybox", "Cmd": ["sleep", "300"], "ExposedPorts": {"80/tcp": {}}},
        "HostConfig": {"PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": ""}]}, **host},
        "NetworkSettings": {"Ports": {}},
    }, default_ip="127.0.0.1")


def test_panel_and_summary_show_the_address_the_engine_bound(api, labels, loopback_network):  # noqa: F811
    handle, panel = run(api, labels, f"-d --init --network {loopback_network} -p 80 busybox sleep 300")
    try:
        wait_for(lambda: panel.state.status == "running" and panel.state.ports
                 and panel.state.ports[0].host_port, what="a bound port")
        bound = api.inspect_container(handle.id)["NetworkSettings"]["Ports"]["80/tcp"]
        assert {b["HostIp"] for b in bound} == {"127.0.0.1"}  # the engine's own word
        host_port = bound[0]["HostPort"]
        assert [(m.host_ip, m.host_port) for m in panel.state.ports] == [("127.0.0.1", host_port)]
        assert f"127.0.0.1:{host_port}" in panel.info.value and "0.0.0.0" not in panel.info.value
        assert REACHABLE not in panel.info.value
        bundle = container_bundle(panel.state)
        assert f"80/tcp → 127.0.0.1:{host_port}" in bundle["text/plain"]
        assert REACHABLE not in bundle["text/plain"] + bundle["text/html"]
        # Stopped, the engine lists the request (no address): still 127.0.0.1, still no warning.
        api.stop(handle.id, timeout=1)
        wait_for(lambda: panel.state.status == "exited", what="exited")
        assert "0.0.0.0" not in panel.info.value and REACHABLE not in panel.info.value
        assert f"127.0.0.1:{host_port}" in panel.info.value
    finally:
        remove(api, handle.id)
