"""runmagic's jupyter_server extension (runmagic.server) against the real engine.

jupyter_server's pytest plugin (pytest_jupyter) is imported into this module only, not
registered for the session: its autouse fixtures and hooks would otherwise reach every other
test. So the tests here are plain functions that drive the in-process server on the plugin's
event loop (``fetch`` below).

Every container made here carries the session labels (``labels`` fixture) and is removed by
the test that made it; none has a network.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading

import docker
import docker.errors
import pytest
from pytest_jupyter.jupyter_server import *  # fixtures, scoped to this module
from tornado.httpclient import HTTPClientError

from runmagic import engine as engines
from runmagic.engine.endpoint import Endpoint
from runmagic.server.containers import (
    NOTEBOOK_LABEL,
    Engine,
    EngineError,
    container_summary,
)

pytestmark = pytest.mark.timeout(120)

IMAGE = "busybox:latest"


@pytest.fixture
def jp_server_config():
    return {"ServerApp": {"jpserver_extensions": {"runmagic.server": True}}}


@pytest.fixture
def fetch(jp_fetch, jp_asyncio_loop):
    """``fetch(path, method=..., params=..., headers=...)`` -> (status, JSON body)."""

    def call(*parts, method="GET", params=None, headers=None, body=None, prefix="runmagic",
             full=False):
        if method in ("POST", "PUT", "PATCH") and body is None:
            body = b""
        try:
            response = jp_asyncio_loop.run_until_complete(
                jp_fetch(prefix, *parts, method=method, params=params, headers=headers,
                         body=body, allow_nonstandard_methods=True))
        except HTTPClientError as exc:
            response = exc.response
            assert response is not None, exc
        text = response.body.decode() if response.body else ""
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = text
        return (response.code, data, response) if full else (response.code, data)

    return call


@pytest.fixture
def make_container(docker_client, labels):
    """Create (and start, unless ``start=False``) a labelled busybox container without a
    network; everything made is force-removed at the end of the test."""
    made = []

    def make(command=("sleep", "300"), *, notebook=True, start=True, **kwargs):
        all_labels = dict(labels)
        if notebook:
            all_labels[NOTEBOOK_LABEL] = "1"
        container = docker_client.containers.create(
            IMAGE, list(command), labels=all_labels, network_mode="none",
            init=True, **kwargs)  # --init: a stop takes ~0.1 s, not the 10 s timeout
        made.append(container.id)
        if start:
            container.start()
        return container

    yield make
    for cid in made:
        try:
            docker_client.api.remove_container(cid, force=True)
        except docker.errors.NotFound:
            pass


def login_cookies(fetch, token: str) -> dict[str, str]:
    status, _, response = fetch("status", prefix="api", params={"token": token},
                                headers={"Authorization": ""}, full=True)
    assert status == 200
    cookies = {}
    for header in response.headers.get_list("Set-Cookie"):
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def ids(listing):
    return {c["id"] for c in listing["containers"]}


# ------------------------------------------------------------------ listing


def test_list_filters_notebook_containers(fetch, make_container):
    nb = make_container(notebook=True, start=False)
    other = make_container(notebook=False, start=False)

    status, data = fetch("containers")
    assert status == 200
    assert data["filter"] == "notebook" and data["label"] == NOTEBOOK_LABEL
    assert nb.id in ids(data) and other.id not in ids(data)

    status, data = fetch("containers", params={"filter": "all"})
    assert status == 200
    assert {nb.id, other.id} <= ids(data)
    entry = next(c for c in data["containers"] if c["id"] == nb.id)
    assert entry["image"] == IMAGE
    assert entry["state"] == "created"
    assert entry["name"] == nb.name
    assert entry["short_id"] == nb.id[:12]
    assert entry["notebook"] is True
    assert next(c for c in data["containers"] if c["id"] == other.id)["notebook"] is False


def test_list_shows_state(fetch, make_container):
    c = make_container()
    status, data = fetch("containers")
    assert status == 200
    entry = next(e for e in data["containers"] if e["id"] == c.id)
    assert entry["state"] == "running"
    assert entry["status"].startswith("Up")
    assert entry["ports"] == []  # --network none


def test_container_summary_ports():
    """Ports as the panel links them (from the engine's list entry; the tests' containers
    have no network, so this one is the engine's JSON for a container with published ports)."""
    entry = container_summary({
        "Id": "f" * 64, "Names": ["/web"], "Image": "busybox:latest", "Command": "httpd -f",
        "Created": 1700000000, "State": "running", "Status": "Up 2 minutes",
        "Labels": {NOTEBOOK_LABEL: "1"},
        "Ports": [
            {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
            {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
            {"IP": "127.0.0.1", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"},
            {"PrivatePort": 443, "Type": "tcp"},
        ],
    })
    assert entry["name"] == "web" and entry["notebook"] is True and entry["short_id"] == "f" * 12
    assert entry["ports"] == [
        {"ip": "127.0.0.1", "private": 53, "public": 5353, "type": "udp", "url": None},
        {"ip": "0.0.0.0", "private": 80, "public": 8080, "type": "tcp", "url": "http://localhost:8080/"},
        {"ip": "::", "private": 80, "public": 8080, "type": "tcp", "url": "http://localhost:8080/"},
        {"ip": "", "private": 443, "public": None, "type": "tcp", "url": None},
    ]
    assert container_summary({"Id": "a" * 64})["name"] == ""


def test_list_rejects_unknown_filter(fetch):
    status, data = fetch("containers", params={"filter": "everything"})
    assert status == 400
    assert "Unknown filter" in data["message"]
    assert not data.get("traceback")


@pytest.mark.parametrize("params, message", [
    ({"limit": "0"}, "limit must be between 1 and 1000"),
    ({"limit": "5000"}, "limit must be between 1 and 1000"),
    ({"offset": "-1"}, "offset must be between 0 and 1000000000"),
    ({"offset": "x"}, "offset must be an integer, not 'x'"),
])
def test_list_paging_is_validated(fetch, params, message):
    status, data = fetch("containers", params=params)
    assert (status, data["message"]) == (400, message)


def test_list_is_paged_with_the_total(fetch, make_container):
    made = [make_container() for _ in range(3)]
    status, data = fetch("containers", params={"filter": "all", "limit": "2"})
    assert status == 200 and data["limit"] == 2 and data["offset"] == 0
    assert len(data["containers"]) == 2 and data["total"] >= len(made)


# ------------------------------------------------------------------ actions


def test_stop(fetch, make_container):
    c = make_container()
    status, data = fetch("containers", c.id, "stop", method="POST")
    assert status == 200, data
    assert data["id"] == c.id and data["state"] == "exited"
    c.reload()
    assert c.status == "exited"


def test_stop_by_name_with_timeout(fetch, make_container):
    c = make_container()
    status, data = fetch("containers", c.name, "stop", method="POST", params={"timeout": "1"})
    assert status == 200, data
    assert data["state"] == "exited"


def test_restart(fetch, make_container):
    c = make_container()
    c.reload()
    started = c.attrs["State"]["StartedAt"]
    status, data = fetch("containers", c.id, "restart", method="POST")
    assert status == 200, data
    assert data["state"] == "running"
    c.reload()
    assert c.status == "running" and c.attrs["State"]["StartedAt"] != started


def test_remove(fetch, make_container, docker_client):
    c = make_container(start=False)
    status, data = fetch("containers", c.id, method="DELETE")
    assert status == 200, data
    assert data["removed"] is True and data["id"] == c.id
    with pytest.raises(docker.errors.NotFound):
        docker_client.containers.get(c.id)


def test_remove_running_needs_force(fetch, make_container, docker_client):
    c = make_container()
    status, data = fetch("containers", c.id, method="DELETE")
    assert status == 409
    assert "force" in data["message"].lower() and not data.get("traceback")
    status, data = fetch("containers", c.id, method="DELETE", params={"force": "1"})
    assert status == 200, data
    with pytest.raises(docker.errors.NotFound):
        docker_client.containers.get(c.id)


def test_logs_tail_is_bounded(fetch, make_container):
    c = make_container(["sh", "-c", "seq 1 300; sleep 0.5; echo to-stderr >&2"], start=False)
    c.start()
    assert c.wait(timeout=30)["StatusCode"] == 0
    status, data = fetch("containers", c.id, "logs", params={"tail": "5"})
    assert status == 200, data
    assert data["tail"] == 5 and data["truncated"] is False
    assert data["logs"].splitlines() == ["297", "298", "299", "300", "to-stderr"]

    status, data = fetch("containers", c.id, "logs")  # default: the last 200 lines
    assert status == 200
    assert len(data["logs"].splitlines()) == 200

    for bad in ("abc", "-1", "100000"):
        status, data = fetch("containers", c.id, "logs", params={"tail": bad})
        assert status == 400, (bad, data)
        assert "tail" in data["message"]


def test_state(fetch, make_container):
    c = make_container(start=False)
    status, data = fetch("containers", c.id)
    assert status == 200
    assert data == {"id": c.id, "short_id": c.id[:12], "name": c.name, "state": "created",
                    "exit_code": 0}


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("method,suffix", [
    ("GET", ()), ("POST", ("stop",)), ("POST", ("restart",)), ("DELETE", ()),
    ("GET", ("logs",)),
])
@pytest.mark.parametrize("ident", ["runmagic-no-such-container", "bad name!"])
def test_unknown_container_is_404_with_message(fetch, method, suffix, ident):
    status, data = fetch("containers", ident, *suffix, method=method)
    assert status == 404
    assert isinstance(data, dict)
    assert data["message"] == f"No such container: {ident}"
    assert not data.get("traceback")


def test_unknown_action_and_endpoint_are_404(fetch, make_container):
    c = make_container(start=False)
    status, data = fetch("containers", c.id, "explode", method="POST")
    assert status == 404 and "Unknown action" in data["message"]
    status, data = fetch("nothing-here")
    assert status == 404 and "No such runmagic endpoint" in data["message"]


def test_no_engine_is_503_with_one_line_logged_once_per_outage(tmp_path, caplog):
    """What every route answers when no engine listens (the handlers pass EngineError on):
    one line naming the address; the log says so once, however often the panels poll, and
    again once the engine answers."""
    address = f"unix://{tmp_path}/no.sock"
    answering = []

    def factory():
        if not answering:
            return engines.connect(Endpoint(address), timeout=2)  # raises: nothing listens there
        return engines.connect()

    dead = Engine(factory, address=address, log=logging.getLogger("runmagic.test"))
    caplog.set_level(logging.INFO, logger="runmagic.test")
    for call in (lambda: dead.containers("all"), dead.images, lambda: dead.stop("x"),
                 lambda: dead.panel("x"), lambda: dead.containers("all")):
        with pytest.raises(EngineError) as info:
            call()
        assert info.value.status == 503
        assert info.value.message == f"no Docker engine answers at {address}"
    assert [r.getMessage() for r in caplog.records] == [
        f"runmagic: no Docker engine answers at {address}; the panels keep retrying"]
    answering.append(True)
    dead.containers("all")
    dead.containers("all")
    assert [r.getMessage() for r in caplog.records][1:] == [
        f"runmagic: the Docker engine at {address} answers again"]


def _answer_one_ping(listener) -> None:
    """Answer the version negotiation of one client, as an engine of API 1.41 would."""
    connection, _ = listener.accept()
    with connection:
        connection.recv(65536)
        body = b'{"ApiVersion": "1.41", "MinAPIVersion": "1.12", "Os": "linux"}'
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
                           + body)


def test_engine_lost_after_connecting_is_the_same_outage(tmp_path, caplog):
    """A client made while the engine answered, whose socket then goes: same line, same log."""
    address = f"unix://{tmp_path}/gone.sock"
    forwarder = socket.socket(socket.AF_UNIX)
    forwarder.bind(address[len("unix://"):])
    forwarder.listen()
    answers = threading.Thread(target=_answer_one_ping, args=(forwarder,), daemon=True)
    answers.start()
    connected = engines.connect(Endpoint(address), timeout=2)  # the version negotiation answered
    answers.join()
    forwarder.close()
    os.remove(address[len("unix://"):])
    lost = Engine(lambda: connected, address=address, log=logging.getLogger("runmagic.test"))
    caplog.set_level(logging.INFO, logger="runmagic.test")
    for _ in range(3):
        with pytest.raises(EngineError) as info:
            lost.containers("all")
        assert (info.value.status, info.value.message) == (503, f"no Docker engine answers at {address}")
    assert len(caplog.records) == 1


# ------------------------------------------------------------------ images


def test_images(fetch):
    status, data = fetch("images")
    assert status == 200
    busybox = [i for i in data["images"] if IMAGE in i["tags"]]
    assert len(busybox) == 1
    image = busybox[0]
    assert image["id"].startswith("sha256:") and len(image["short_id"]) == 12
    assert image["size"] > 0 and image["created"] > 0


# ------------------------------------------------------------------ auth


@pytest.mark.parametrize("method,parts", [
    ("GET", ("containers",)), ("GET", ("images",)), ("POST", ("containers", "{id}", "stop")),
    ("POST", ("containers", "{id}", "restart")), ("DELETE", ("containers", "{id}")),
    ("GET", ("containers", "{id}", "logs")), ("GET", ("containers", "{id}", "panel")),
    ("GET", ("containers", "{id}")), ("GET", ("anything",)), ("POST", ("anything",)),
])
def test_auth_required(fetch, make_container, method, parts):
    c = make_container()
    parts = [p.format(id=c.id) for p in parts]
    status, _ = fetch(*parts, method=method, headers={"Authorization": ""})
    assert status == 403
    status, _ = fetch(*parts, method=method, headers={"Authorization": "token wrong"})
    assert status == 403
    c.reload()
    assert c.status == "running"  # nothing happened to it


def test_cookie_session_needs_xsrf(fetch, jp_serverapp, make_container):
    """A browser session (login cookie, no token) may read, but a change needs the XSRF token."""
    c = make_container()
    token = jp_serverapp.identity_provider.token
    status, _ = fetch("containers", headers={"Authorization": ""})
    assert status == 403
    # A token in the URL logs the browser in: the answer sets the login and _xsrf cookies.
    cookies = login_cookies(fetch, token)
    assert any(name.startswith("username-") for name in cookies), cookies
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())

    status, data = fetch("containers", headers={"Authorization": "", "Cookie": cookie})
    assert status == 200 and "containers" in data
    status, data = fetch("containers", c.id, "stop", method="POST",
                         headers={"Authorization": "", "Cookie": cookie})
    assert status == 403 and "_xsrf" in data["message"]
    # The page's XSRF token travels as the _xsrf cookie and again in a header; they must match.
    xsrf = "runmagic-test-xsrf"
    cookie += f"; _xsrf={xsrf}"
    status, data = fetch("containers", c.id, "stop", method="POST",
                         headers={"Authorization": "", "Cookie": cookie, "X-XSRFToken": "other"})
    assert status == 403 and "XSRF" in data["message"]
    c.reload()
    assert c.status == "running"
    status, data = fetch("containers", c.id, "stop", method="POST",
                         headers={"Authorization": "", "Cookie": cookie, "X-XSRFToken": xsrf})
    assert status == 200, data
    assert data["state"] == "exited"


def test_every_mutating_route_needs_xsrf_with_a_cookie_session(fetch, jp_serverapp, make_container):
    c = make_container()
    cookies = login_cookies(fetch, jp_serverapp.identity_provider.token)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    for method, parts in (("POST", (c.id, "stop")), ("POST", (c.id, "restart")), ("DELETE", (c.id,))):
        status, data = fetch("containers", *parts, method=method, headers={"Authorization": "", "Cookie": cookie})
        assert status == 403 and "_xsrf" in data["message"], (method, parts, data)
    c.reload()
    assert c.status == "running"


# ------------------------------------------------------------------ the panel of a cell


def test_panel_route_gives_the_cells_panel(fetch, make_container):
    c = make_container(("sleep", "300"), start=True, restart_policy={"Name": "on-failure", "MaximumRetryCount": 2})
    status, data = fetch("containers", c.id, "panel")
    assert status == 200, data
    assert data["id"] == c.id and data["state"] == "running"
    assert 'data-status="running"' in data["html"] and "<code>busybox:latest sleep 300</code>" in data["html"]
    assert "on-failure, at most 2 retries" in data["html"]  # folded, but there
    status, data = fetch("containers", "no-such-container-here", "panel")
    assert status == 404 and "No such container" in data["message"]


def test_port_links_follow_the_panels_rule():
    entry = {"Id": "a" * 64, "Names": ["/web"], "State": "running",
             "Ports": [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 49153, "Type": "tcp"},
                       {"IP": "0.0.0.0", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"}]}
    ports = container_summary(entry, "/base/")["ports"]
    assert [p["url"] for p in ports] == [None, "/base/proxy/49153/"]  # sorted: 53/udp first
    assert container_summary(entry)["ports"][1]["url"] == "http://127.0.0.1:49153/"
    # A remote engine: its loopback is not the browser's, every interface is its machine.
    remote = {**entry, "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]}
    assert container_summary(remote, "/", "build.example")["ports"][0]["url"] == "http://build.example:8080/"
    assert container_summary(entry, "/", "build.example")["ports"][1]["url"] is None
    assert container_summary({**entry, "State": "exited"}, "/")["ports"][1]["url"] is None


def test_panel_keeps_the_host_ports_the_cell_saw(fetch, make_container):
    """A stopped container's engine forgets its host ports; the cell's output remembers them."""
    c = make_container(("sleep", "300"), start=False, ports={"80/tcp": ("127.0.0.1", None)})
    status, data = fetch("containers", c.id, "panel")
    assert status == 200 and "127.0.0.1:random" in data["html"]
    status, data = fetch("containers", c.id, "panel", params={"last": "80/tcp@127.0.0.1:49153"})
    assert status == 200 and "127.0.0.1:49153" in data["html"] and "random" not in data["html"]
    assert "<a " not in data["html"]  # not bound now: no link


# ------------------------------------------------------------------ which engine


def test_the_side_panels_routes_name_the_servers_engine(fetch, jp_serverapp, make_container):
    """Both listings say which engine they list; the panel route names it when it is not the
    default one. A context on the local socket is a non-default engine the test can reach."""
    status, data = fetch("containers")
    assert status == 200 and data["engine"] == {"description": engines.resolve().describe(),
                                                "default": engines.resolve().is_default}
    settings = jp_serverapp.web_app.settings
    default_engine = settings["runmagic_engine"]
    context = Endpoint(default_engine.endpoint.host, "runmagic-test-context", "DOCKER_CONTEXT")
    settings["runmagic_engine"] = Engine(endpoint=context)
    try:
        c = make_container(("sleep", "300"))
        named = {"description": f"{context.host} (context 'runmagic-test-context')", "default": False}
        status, data = fetch("containers")
        assert status == 200 and data["engine"] == named
        assert c.id in [entry["id"] for entry in data["containers"]]
        status, data = fetch("images")
        assert status == 200 and data["engine"] == named
        status, data = fetch("containers", c.id, "panel")
        assert status == 200
        assert f"engine: {context.host} (context &#x27;runmagic-test-context&#x27;)</div>" in data["html"]
    finally:
        settings["runmagic_engine"].close()
        settings["runmagic_engine"] = default_engine
