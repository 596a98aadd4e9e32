"""Live panels driven by a real engine's events, in this process (ipywidgets needs no
frontend: without a kernel its comm messages go nowhere, and the traits are what the
frontend would be sent)."""

import json
import os
import socket
import threading
import time
import urllib.request

import docker
import pytest

from runmagic.grammar import parser as cli
from runmagic.engine import client as engine
from runmagic.engine.endpoint import Endpoint
from runmagic.errors import DaemonResponse
from runmagic.engine import watcher as events
from runmagic import translate
from runmagic.display import panel_for
from runmagic.display.masking import MASK
from runmagic.display.panel import ContainerPanel, open_panel
from runmagic.commands.run import Runner, RunSettings


@pytest.fixture(scope="module")
def api():
    client = engine.connect()
    yield client
    client.close()


def run(api, labels, line: str, panel_api=None):
    """``%docker_run LINE`` as the magic runs it, the panel opened (watching through
    ``panel_api``, else ``api``) when the container is created; returns the runner's
    result and the panel."""
    opened = []
    plan = translate.plan_run(cli.parse_line(line), os.environ, os.getcwd())
    runner = Runner(api, plan, RunSettings(extra_labels=labels), stdin=None,
                    write_stdout=lambda text: None, write_stderr=lambda text: None,
                    on_created=lambda container_id: opened.append(open_panel(panel_api or api, container_id)))
    return runner.run(), opened[0]


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def remove(api, container_id: str) -> None:
    try:
        api.remove_container(container_id, force=True, volumes=True)
    except DaemonResponse as refusal:
        if not refusal.not_found:
            raise


def widget_state(panel: ContainerPanel) -> str:
    """Everything the panel would save into a notebook's widget state."""
    widgets = [panel, *panel.children, *panel.actions.children, *panel.confirm_row.children]
    return json.dumps([w.get_state() for w in widgets], ensure_ascii=False)


def test_panel_follows_start_and_stop(api, labels):
    handle, panel = run(api, labels, "-d --init --network none busybox sleep 300")
    try:
        assert panel_for(handle) is panel  # a handle's panel is the one shown
        wait_for(lambda: panel.state.status == "running", what="running")
        assert 'data-status="running"' in panel.info.value and "up since" in panel.info.value
        assert not panel.stop_button.disabled
        panel.stop_button.click()
        wait_for(lambda: panel.state.badge == "exited (143)", what="exited (143)")
        assert ">exited (143)<" in panel.info.value
        assert panel.stop_button.disabled and not panel.remove_button.disabled
    finally:
        remove(api, handle.id)


def test_restart_loop_counts_to_the_limit_and_ends_exited(api, labels):
    handle, panel = run(api, labels, "-d --restart on-failure:3 --network none busybox sh -c 'exit 1'")
    try:
        wait_for(lambda: panel.state.status == "exited" and panel.state.restart_count == 3, what="3 restarts")
        assert panel.state.badge == "exited (1)"
        assert panel.state.restart_exit_code == 1
        assert '<span class="runmagic-restart-count">3</span>' in panel.info.value
        assert "on-failure, at most 3 retries" in panel.info.value
        assert ">exited (1)<" in panel.info.value
    finally:
        remove(api, handle.id)


def test_remove_asks_first(api, labels):
    handle, panel = run(api, labels, "-d --network none busybox sleep 300")
    try:
        panel.remove_button.click()
        assert panel.confirm_row.layout.display == "flex"
        panel.cancel_remove_button.click()
        assert panel.confirm_row.layout.display == "none"
        assert api.inspect_container(handle.id)["State"]["Running"]
        panel.remove_button.click()
        panel.confirm_remove_button.click()
        wait_for(lambda: panel.state.status == "removed", what="removed")
        with pytest.raises(DaemonResponse, match="No such container"):
            api.inspect_container(handle.id)
        assert not panel.live
        assert all(b.disabled for b in panel.actions.children)
        assert ">removed<" in panel.info.value
    finally:
        remove(api, handle.id)


def test_random_host_port_is_resolved_and_linked(api, labels):
    handle, panel = run(api, labels, "-d --init -p 127.0.0.1::80 busybox sh -c "
                        "'mkdir /www && echo hello-from-panel > /www/index.html && exec httpd -f -p 80 -h /www'")
    try:
        wait_for(lambda: panel.state.status == "running" and panel.state.ports[0].host_port, what="a host port")
        (mapping,) = panel.state.ports
        assert (mapping.container_port, mapping.host_ip) == ("80", "127.0.0.1")
        assert mapping.host_port == api.inspect_container(handle.id)["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"]
        assert f">127.0.0.1:{mapping.host_port}</a>" in panel.info.value
        with urllib.request.urlopen(f"http://127.0.0.1:{mapping.host_port}/", timeout=10) as response:
            assert response.read() == b"hello-from-panel\n"
        # Once stopped, the port is released and the link goes.
        api.stop(handle.id)
        wait_for(lambda: panel.state.status == "exited", what="exited")
        assert "<a " not in panel.info.value and "127.0.0.1:random" in panel.info.value
    finally:
        remove(api, handle.id)


def test_secrets_are_masked_in_widget_state_logs_and_summary(api, labels):
    from runmagic.display.summary import summary_text

    handle, panel = run(api, labels, "-d --network none -e DB_PASSWORD=hunter2-xyz -e GREETING=hello busybox "
                        "sh -c 'echo the password is $DB_PASSWORD; echo done'")
    try:
        wait_for(lambda: panel.state.status == "exited", what="exited")
        panel.logs_button.click()
        wait_for(lambda: "done" in panel.logs.value, what="the logs")
        assert f"the password is {MASK}" in panel.logs.value
        assert f"DB_PASSWORD={MASK}" in panel.info.value and "GREETING=hello" in panel.info.value
        assert "hunter2-xyz" not in widget_state(panel)
        text = summary_text(panel.state)
        assert f"DB_PASSWORD={MASK}" in text and "hunter2-xyz" not in text
        assert "hunter2-xyz" not in repr(panel)
    finally:
        remove(api, handle.id)


def test_one_watcher_serves_every_panel_and_stops_with_the_last(api, labels):
    first, first_panel = run(api, labels, "-d --network none busybox sleep 300")
    second, second_panel = run(api, labels, "-d --network none busybox sleep 300")
    try:
        watcher = events.watcher_for(api)
        assert first_panel.live and second_panel.live and watcher.running
        assert sum(t.name == "runmagic-events" for t in threading.enumerate()) == 1
        wait_for(lambda: second_panel.state.status == "running", what="running")
        api.remove_container(first.id, force=True)
        wait_for(lambda: first_panel.state.status == "removed", what="first removed")
        assert watcher.running  # the second panel is still live
        api.remove_container(second.id, force=True)
        wait_for(lambda: second_panel.state.status == "removed", what="second removed")
        wait_for(lambda: not watcher.running, timeout=5, what="the watcher to stop")
    finally:
        remove(api, first.id)
        remove(api, second.id)


def _cpu_ticks(thread_id: int) -> int:
    with open(f"/proc/self/task/{thread_id}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_idle_watcher_costs_no_cpu(api, labels):
    handle, panel = run(api, labels, "-d --network none busybox sleep 300")
    try:
        wait_for(lambda: panel.state.status == "running", what="running")
        thread_id = events.watcher_for(api).thread_id
        before = _cpu_ticks(thread_id)
        time.sleep(2)
        assert _cpu_ticks(thread_id) - before <= 1  # clock ticks are 10 ms
    finally:
        remove(api, handle.id)


class RestartableSocket:
    """The engine's socket behind a forwarder that can "restart": stopping it drops every
    connection and refuses new ones, as an engine restart does to its clients."""

    def __init__(self, path: str, target: str = "/var/run/docker.sock"):
        self.path = path
        self.target = target
        self.listener = None
        self.connections: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.socket(socket.AF_UNIX)
        self.listener.bind(self.path)
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.target)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        if self.listener is None:
            return
        self.listener.close()
        self.listener = None
        os.unlink(self.path)
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connections = []


def test_watcher_reconnects_after_an_engine_restart(api, labels, tmp_path):
    forwarder = RestartableSocket(str(tmp_path / "docker.sock"))
    forwarder.start()
    flaky = engine.connect(Endpoint(f"unix://{forwarder.path}"))
    handle, panel = run(api, labels, "-d --init --network none busybox sleep 300", panel_api=flaky)
    try:
        watcher = events.watcher_for(flaky)
        wait_for(lambda: panel.state.status == "running", what="running")
        forwarder.stop()
        api.stop(handle.id)  # while the watcher can't hear it
        time.sleep(0.5)
        assert panel.state.status == "running"
        forwarder.start()
        wait_for(lambda: panel.state.badge == "exited (143)", what="the missed stop")
        api.start(handle.id)  # events flow again on the new connection
        wait_for(lambda: panel.state.status == "running", what="running again")
        assert watcher.running
        panel.close()
        wait_for(lambda: not watcher.running, timeout=5, what="the watcher to stop")
    finally:
        remove(api, handle.id)
        flaky.close()
        forwarder.stop()
