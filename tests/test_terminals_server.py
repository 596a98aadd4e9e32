"""The terminals' websocket (runmagic/server/terminals.py) against a real engine: bytes both
ways, resize, detach, the end message, and Jupyter's authentication and origin rules.

pytest_jupyter's fixtures are imported into this module only (as in tests/test_server.py).
Every container is labelled (``labels`` fixture) and force-removed by the test.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse

import docker.errors
import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F401,F403  fixtures, scoped to this module
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from runmagic.terminals import handoff

IMAGE = "busybox:latest"


@pytest.fixture
def jp_server_config():
    return {"ServerApp": {"jpserver_extensions": {"runmagic.server": True}}}


@pytest.fixture
def shell(docker_client, labels):
    """A running ``-it`` busybox sh (no network), removed at the end."""
    api = docker_client.api
    container = api.create_container(IMAGE, "sh", tty=True, stdin_open=True, labels=labels,
                                     host_config=api.create_host_config(network_mode="none"))["Id"]
    api.start(container)
    yield container
    try:
        api.remove_container(container, force=True)
    except docker.errors.NotFound:
        pass


@pytest.fixture
def run(jp_asyncio_loop):
    """Run a coroutine on the server's loop (no async test plugin here, as in test_server.py)."""
    return jp_asyncio_loop.run_until_complete


class Terminal:
    def __init__(self, ws):
        self.ws = ws
        self.output = b""
        self.messages: list[dict] = []

    async def read_until(self, pattern: bytes, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while pattern not in self.output:
            message = await asyncio.wait_for(self.ws.read_message(), deadline - time.monotonic())
            if message is None:
                raise AssertionError(f"closed before {pattern!r}: {self.output!r} {self.messages}")
            if isinstance(message, str):
                self.messages.append(json.loads(message))
            else:
                self.output += message

    async def read_end(self, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = await asyncio.wait_for(self.ws.read_message(), deadline - time.monotonic())
            if message is None:
                return self.messages[-1]
            if isinstance(message, str):
                self.messages.append(json.loads(message))
            else:
                self.output += message

    def type(self, text: str) -> None:
        self.ws.write_message(text.encode(), binary=True)


def test_bytes_both_ways_resize_and_exit(jp_ws_fetch, shell, run):
    async def scenario():
        terminal = Terminal(await jp_ws_fetch("runmagic", "terminals", "socket",
                                              params={"container": shell, "rows": "30", "cols": "100"}))
        terminal.type("\r")
        await terminal.read_until(b"/ # ")
        terminal.type("stty size; echo $((6*7))\r")
        await terminal.read_until(b"42\r\n")
        assert b"30 100\r\n" in terminal.output
        terminal.ws.write_message(json.dumps({"resize": [40, 120]}))
        terminal.type("stty size\r")
        await terminal.read_until(b"40 120\r\n")
        terminal.type("exit 3\r")
        assert await terminal.read_end() == {"ended": "exited", "status": 3}


    run(scenario())


def test_an_exec_session_is_handed_to_the_kernel_with_its_size(jp_ws_fetch, shell, docker_client, run):
    exec_id = docker_client.api.exec_create(shell, "sh", stdin=True, tty=True)["Id"]

    async def scenario():
        terminal = Terminal(await jp_ws_fetch("runmagic", "terminals", "socket",
                                              params={"container": shell, "exec": exec_id,
                                                      "rows": "30", "cols": "100"}))
        terminal.type("echo handed-$((2+3))\r")
        await terminal.read_until(b"handed-5\r\n")
        terminal.type("exit 4\r")
        assert await terminal.read_end() == {"ended": "exited", "status": 4}
        return terminal.output

    shown = run(scenario())
    handed = handoff.take(exec_id, timeout=5)
    assert handed is not None and handed.size == (30, 100)
    assert handed.data == shown  # every byte the browser was sent
    assert handoff.take(exec_id, timeout=0) is None  # taken once


def test_detach_keys_detach_and_the_container_keeps_running(jp_ws_fetch, shell, docker_client, run):
    async def scenario():
        terminal = Terminal(await jp_ws_fetch("runmagic", "terminals", "socket",
                                              params={"container": shell, "detachKeys": "ctrl-x"}))
        terminal.type("\r")
        await terminal.read_until(b"/ # ")
        terminal.type("\x18")
        assert await terminal.read_end() == {"ended": "detached"}
        assert docker_client.api.inspect_container(shell)["State"]["Running"]


    run(scenario())


def test_an_unknown_container_gets_the_engines_words(jp_ws_fetch, run):
    async def scenario():
        terminal = Terminal(await jp_ws_fetch("runmagic", "terminals", "socket",
                                              params={"container": "no-such-container-here"}))
        end = await terminal.read_end()
        assert "No such container: no-such-container-here" in end["error"]


    run(scenario())


def test_refused_without_the_token(jp_ws_fetch, shell, run):
    async def scenario():
        with pytest.raises(HTTPClientError) as refused:
            await jp_ws_fetch("runmagic", "terminals", "socket", params={"container": shell},
                              headers={"Authorization": "token not-the-token"})
        assert refused.value.code == 403


    run(scenario())


def test_login_cookie_from_another_origin_is_refused(jp_fetch, jp_base_url, shell, run):
    """A token proves the caller (Jupyter skips the origin check then); a login cookie does
    not, since a browser sends it from any page: cross-origin, refused."""

    async def scenario():
        page = await jp_fetch("api", "me")
        cookie = "; ".join(c.split(";")[0] for c in page.headers.get_list("Set-Cookie"))
        assert cookie, "the server set no login cookie"
        # The login cookie is named after the host it was set for: connect to that host.
        origin = "/".join(page.effective_url.split("/")[:3])
        url = (origin.replace("http", "ws", 1) + jp_base_url + "runmagic/terminals/socket?"
               + urllib.parse.urlencode({"container": shell}))

        def request(from_origin):
            return HTTPRequest(url, headers={"Cookie": cookie, "Origin": from_origin})

        with pytest.raises(HTTPClientError) as refused:
            await websocket_connect(request("http://elsewhere.example"))
        assert refused.value.code == 403
        # The same cookie from the server's own origin is let in.
        ws = await websocket_connect(request(origin))
        ws.close()

    run(scenario())


def test_the_engine_address_for_kernels(jp_fetch, run):
    async def scenario():
        from runmagic.engine.endpoint import resolve

        response = await jp_fetch("runmagic", "terminals")
        assert json.loads(response.body) == {"engine": resolve().host}


    run(scenario())
