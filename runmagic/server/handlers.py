"""REST handlers, all under ``{base_url}runmagic/`` and all behind Jupyter's authentication
(requests that change anything also pass its XSRF check, as every Jupyter API does):

- ``GET containers?filter=notebook|all&offset=0&limit=200``: a page of containers, newest first,
  with the ``total`` and the ``engine`` (``description``: its address and context; ``default``:
  whether it is the default one); ``notebook`` (the default)
  keeps those carrying the ``org.runmagic.notebook`` label that the magics put on theirs.
- ``GET containers/ID``: its state.
- ``GET containers/ID/panel?last=80/tcp@127.0.0.1:49153``: its state and the HTML of its
  cell's panel (for a panel whose kernel is gone; port links through jupyter-server-proxy
  when it is loaded); ``last``: the host ports the cell saw, shown once the engine forgets them.
- ``POST containers/ID/stop`` and ``POST containers/ID/restart`` (``?timeout=SECONDS``).
- ``DELETE containers/ID`` removes it (``?force=1`` also removes a running one).
- ``GET containers/ID/logs?tail=N``: the last N lines (default 200, at most 5000) of its
  stdout and stderr, at most 512 KiB.
- ``images...``: the Images view (:mod:`runmagic.server.images`).
- ``GET terminals`` and the websocket ``terminals/socket``: see :mod:`runmagic.server.terminals`.

Errors are JSON ``{"message": ...}`` with the engine's words and status: 404 for an unknown
container, 409 for a conflict, 400 for bad input, 503 when no engine answers ("no Docker
engine answers at ADDRESS", logged once per outage rather than on every poll); never a
traceback.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop

from runmagic.server import terminals
from runmagic.server.containers import (
    DEFAULT_TAIL, MAX_PAGE_SIZE, MAX_TAIL, NOTEBOOK_LABEL, PAGE_SIZE, Engine, EngineDown, EngineError)
from runmagic.server.images import routes as image_routes

__all__ = ["NOTEBOOK_LABEL", "setup_handlers"]

ENGINE_SETTING = "runmagic_engine"
AUTH_RESOURCE = "runmagic"


class _Base(APIHandler):
    auth_resource = AUTH_RESOURCE

    @property
    def engine(self) -> Engine:
        return self.settings[ENGINE_SETTING]

    _engine_down = False

    async def run(self, fn, *args, **kwargs):
        """Run a blocking engine call in a thread; answer errors as JSON messages."""
        try:
            return await IOLoop.current().run_in_executor(None, lambda: fn(*args, **kwargs))
        except EngineError as exc:
            self._engine_down = isinstance(exc, EngineDown)
            raise web.HTTPError(exc.status, "%s", exc.message) from None

    def log_exception(self, typ, value, tb) -> None:
        if not self._engine_down:  # an outage is logged once, by the engine
            super().log_exception(typ, value, tb)

    def _log(self) -> None:
        """The request log: the side panels poll every few seconds, so a request answered
        during an engine outage is a debug line, not an error block with headers."""
        if self._engine_down:
            self.log.debug("%d %s %s: no engine", self.get_status(), self.request.method, self.request.uri)
            return
        super()._log()

    def int_argument(self, name: str, default: int | None, low: int, high: int) -> int | None:
        text = self.get_query_argument(name, None)
        if text is None or text == "":
            return default
        try:
            value = int(text)
        except ValueError:
            raise web.HTTPError(400, "%s", f"{name} must be an integer, not {text!r}") from None
        if not low <= value <= high:
            raise web.HTTPError(400, "%s", f"{name} must be between {low} and {high}")
        return value

    def write_error(self, status_code: int, **kwargs) -> None:
        """JSON ``{"message", "reason"}``; the message is the HTTPError's, formatted (our
        messages are passed as ``"%s", text`` so a ``%`` in the engine's words is safe)."""
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            message = exc.log_message % exc.args if exc.args else exc.log_message
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"message": message, "reason": exc.reason}))
            return
        super().write_error(status_code, **kwargs)

    def reply(self, data, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))


class ContainersHandler(_Base):
    @web.authenticated
    @authorized
    async def get(self):
        which = self.get_query_argument("filter", "notebook")
        offset = self.int_argument("offset", 0, 0, 10**9)
        limit = self.int_argument("limit", PAGE_SIZE, 1, MAX_PAGE_SIZE)
        self.reply({"filter": which, "label": NOTEBOOK_LABEL,
                    **await self.run(self.engine.containers, which, offset, limit)})


class ContainerHandler(_Base):
    @web.authenticated
    @authorized
    async def get(self, ident: str):
        self.reply(await self.run(self.engine.state, ident))

    @web.authenticated
    @authorized
    async def delete(self, ident: str):
        force = self.get_query_argument("force", "0").lower() in ("1", "true", "yes")
        self.reply(await self.run(self.engine.remove, ident, force=force))


class ContainerActionHandler(_Base):
    ACTIONS = ("stop", "restart")

    @web.authenticated
    @authorized
    async def post(self, ident: str, action: str):
        if action not in self.ACTIONS:
            raise web.HTTPError(404, "%s", f"Unknown action {action!r}: use one of "
                                           + ", ".join(self.ACTIONS))
        timeout = self.int_argument("timeout", None, 0, 3600)
        fn = self.engine.stop if action == "stop" else self.engine.restart
        self.reply(await self.run(fn, ident, timeout=timeout))


class ContainerPanelHandler(_Base):
    @web.authenticated
    @authorized
    async def get(self, ident: str):
        last = self.get_query_arguments("last")[:64]
        self.reply(await self.run(self.engine.panel, ident, last))


class ContainerLogsHandler(_Base):
    @web.authenticated
    @authorized
    async def get(self, ident: str):
        tail = self.int_argument("tail", DEFAULT_TAIL, 0, MAX_TAIL)
        self.reply(await self.run(self.engine.logs, ident, tail=tail))


class NotFoundHandler(_Base):
    """Anything else under runmagic/: a JSON 404 rather than Jupyter's HTML page."""

    @web.authenticated
    def _missing(self, *args):
        raise web.HTTPError(404, "%s", f"No such runmagic endpoint: {self.request.path}")

    get = post = put = patch = delete = _missing


def proxy_loaded(server_app) -> bool:
    """Whether jupyter-server-proxy is a loaded extension of this server."""
    package = server_app.extension_manager.extensions.get("jupyter_server_proxy")
    return package is not None and package.enabled


def setup_handlers(web_app, engine: Engine | None = None, log=None) -> Engine:
    web_app.settings.setdefault(ENGINE_SETTING, engine or Engine(log=log))
    base = url_path_join(web_app.settings.get("base_url", "/"), "runmagic")
    ident = r"(?P<ident>[^/]+)"
    web_app.add_handlers(".*$", [
        (url_path_join(base, "containers"), ContainersHandler),
        (url_path_join(base, "containers", ident), ContainerHandler),
        (url_path_join(base, "containers", ident, "logs"), ContainerLogsHandler),
        (url_path_join(base, "containers", ident, "panel"), ContainerPanelHandler),
        (url_path_join(base, "containers", ident, r"(?P<action>[^/]+)"), ContainerActionHandler),
        *image_routes(base, _Base),
        *terminals.routes(base, web_app.settings[ENGINE_SETTING]),
        (url_path_join(base, r".*"), NotFoundHandler),
    ])
    return web_app.settings[ENGINE_SETTING]
