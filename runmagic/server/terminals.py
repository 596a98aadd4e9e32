"""The terminals' websocket: a browser's xterm.js bridged to a container's TTY.

While a cell runs, its kernel handles no comm messages, so keystrokes cannot
reach it; they come here instead. ``{base_url}runmagic/terminals/socket``
(behind Jupyter's authentication, like the kernels' websockets: the token or
the login cookie, and Tornado's origin check with Jupyter's
``allow_origin`` rules) opens the server's own session on the engine through
:mod:`runmagic.engine`: an attach (``?container=ID``, with ``detachKeys``) or
the start of an exec the kernel created (``?container=ID&exec=EXEC_ID``),
stdin, stdout and stderr on one TTY stream. The kernel keeps the lifecycle.

Frames: binary frames are the TTY's bytes, both ways. Text frames are JSON:
the browser sends ``{"resize": [rows, cols]}``; the server sends
``{"ended": "exited"|"detached", "status": N}`` when the stream ends (then
closes) and ``{"error": MESSAGE}`` when the engine refuses.

``GET {base_url}runmagic/terminals`` answers ``{"engine": HOST}``, the engine
this server reaches: the frontend passes it to kernels in each execute
request's metadata, so a kernel whose engine is another one falls back to the
line mode rather than showing a terminal nobody can connect.
"""

from __future__ import annotations

import json
import logging
import queue
import threading

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from runmagic.engine import endpoint as endpoints
from runmagic.errors import DockerError
from runmagic.terminals import handoff

log = logging.getLogger(__name__)

AUTH_RESOURCE = "runmagic"
_MAX_SIZE = 1000


class TerminalBridge:
    """One TTY session on the engine, pumped to ``on_output`` by a thread and fed by another."""

    def __init__(self, engine, container: str, exec_id: str = "", detach_keys: str = ""):
        self.engine = engine
        self.container = container
        self.exec_id = exec_id
        # The kernel cannot read an exec's output (we started it): it gets this copy.
        self._recorder = handoff.Recorder(exec_id) if exec_id else None
        if exec_id:
            self.session = engine.exec_start(exec_id, tty=True)
        else:
            self.session = engine.attach(container, tty=True, stdin=True, detach_keys=detach_keys)
        self._input: queue.Queue[bytes | None] = queue.Queue()
        # A size asked for before the container started (the engine refuses it then):
        # applied when the first output shows it runs, as the docker CLI retries its resize.
        self._pending_size: tuple[int, int] | None = None

    def run(self, on_output, on_end) -> None:
        """Start the threads: output to ``on_output(bytes)``, then ``on_end(message)``."""

        def pump() -> None:
            while True:
                data = self.session.read_some()
                if not data:
                    break
                if self._pending_size is not None:
                    self.resize(*self._pending_size)
                if self._recorder is not None:
                    self._recorder.feed(data)
                on_output(data)
            if self._recorder is not None:
                try:
                    self._recorder.leave()
                except OSError as exc:  # the kernel then says where the output was shown
                    log.warning("runmagic: could not hand an exec's output to its kernel: %s", exc)
            on_end(self.ending())

        def feed() -> None:
            while (data := self._input.get()) is not None:
                self.session.send(data)

        threading.Thread(target=pump, daemon=True, name="runmagic-terminal-out").start()
        threading.Thread(target=feed, daemon=True, name="runmagic-terminal-in").start()

    def write(self, data: bytes) -> None:
        self._input.put(data)

    def resize(self, rows: int, cols: int) -> None:
        """Resize the TTY; a refusal (not started yet, or exited) leaves the size pending."""
        self._pending_size = (rows, cols)
        try:
            if self.exec_id:
                self.engine.exec_resize(self.exec_id, rows, cols)
            else:
                self.engine.resize(self.container, rows, cols)
        except DockerError:
            return
        self._pending_size = None
        if self._recorder is not None:
            self._recorder.size = (rows, cols)

    def ending(self) -> dict:
        """Why the stream ended: the process exited (with its status), or a detach."""
        try:
            if self.exec_id:
                info = self.engine.exec_inspect(self.exec_id)
                if info.get("Running"):
                    return {"ended": "detached"}
                return {"ended": "exited", "status": info.get("ExitCode")}
            state = self.engine.inspect_container(self.container)["State"]
        except DockerError:  # removed (--rm) or the engine went away: it ended
            return {"ended": "exited", "status": None}
        if state.get("Running"):
            return {"ended": "detached"}
        return {"ended": "exited", "status": state.get("ExitCode")}

    def close(self) -> None:
        self._input.put(None)
        self.session.close()


def _size(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if 0 < value <= _MAX_SIZE else None


class TerminalSocket(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """``runmagic/terminals/socket?container=ID[&exec=ID][&detachKeys=K][&rows=R&cols=C]``."""

    auth_resource = AUTH_RESOURCE
    bridge: TerminalBridge | None = None

    def initialize(self, engine) -> None:
        self.engine = engine  # runmagic.server.containers.Engine

    async def get(self, *args, **kwargs):
        user = self.current_user
        if not user:
            raise web.HTTPError(403)
        if not await ensure_async(self.authorizer.is_authorized(self, user, "execute", AUTH_RESOURCE)):
            raise web.HTTPError(403)
        if not self.get_query_argument("container", ""):
            raise web.HTTPError(400, "container is required")
        await super().get(*args, **kwargs)

    async def open(self, *args, **kwargs):
        super().open(*args, **kwargs)
        container = self.get_query_argument("container")
        exec_id = self.get_query_argument("exec", "")
        detach_keys = self.get_query_argument("detachKeys", "")
        rows, cols = _size(self.get_query_argument("rows", None)), _size(self.get_query_argument("cols", None))
        loop = IOLoop.current()
        try:
            engine = self.engine.api
            self.bridge = await loop.run_in_executor(
                None, lambda: TerminalBridge(engine, container, exec_id, detach_keys))
            if rows and cols:
                await loop.run_in_executor(None, self.bridge.resize, rows, cols)
        except DockerError as exc:
            self._send({"error": exc.message})
            self.close()
            return
        except web.HTTPError as exc:  # the server's engine is down
            self._send({"error": exc.log_message or "no Docker engine answers"})
            self.close()
            return

        def output(data: bytes) -> None:
            loop.add_callback(self._send_bytes, data)

        def end(message: dict) -> None:
            loop.add_callback(self._finish, message)

        self.bridge.run(output, end)

    def _send_bytes(self, data: bytes) -> None:
        try:
            self.write_message(data, binary=True)
        except WebSocketClosedError:
            pass

    def _send(self, message: dict) -> None:
        try:
            self.write_message(json.dumps(message))
        except WebSocketClosedError:
            pass

    def _finish(self, message: dict) -> None:
        self._send(message)
        self.close()

    async def on_message(self, message):
        if self.bridge is None:
            return
        if isinstance(message, bytes):
            self.bridge.write(message)
            return
        try:
            control = json.loads(message)
        except ValueError:
            return
        size = control.get("resize") if isinstance(control, dict) else None
        if isinstance(size, list) and len(size) == 2:
            rows, cols = _size(str(size[0])), _size(str(size[1]))
            if rows and cols:
                await IOLoop.current().run_in_executor(None, self.bridge.resize, rows, cols)

    def on_close(self) -> None:
        super().on_close()
        if self.bridge is not None:
            self.bridge.close()


class TerminalsInfoHandler(APIHandler):
    """``GET runmagic/terminals``: the engine this server bridges terminals to."""

    auth_resource = AUTH_RESOURCE

    @web.authenticated
    @authorized
    async def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"engine": endpoints.resolve().host}))


def routes(base: str, engine) -> list:
    """The routes under ``base`` (``{base_url}runmagic``), bridging to ``engine``."""
    return [
        (url_path_join(base, "terminals"), TerminalsInfoHandler),
        (url_path_join(base, "terminals", "socket"), TerminalSocket, {"engine": engine}),
    ]
