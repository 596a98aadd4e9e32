"""The engine calls behind the REST handlers: plain, blocking calls of runmagic's engine layer,
turned into JSON data.

Kept free of tornado so it can be read (and tested) on its own; the handlers run these
functions in a thread so a slow engine (a stop waits up to the container's stop timeout)
never blocks the server.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from dataclasses import dataclass

from runmagic import engine as engines
from runmagic.display import model, sections
from runmagic.display.phrases import engine_host, port_url
from runmagic.engine.session import demultiplex
from runmagic.engine.watcher import docker_inspect
from runmagic.errors import DaemonResponse, DockerError

#: Label the magics put on the containers they create (value "1").
NOTEBOOK_LABEL = "org.runmagic.notebook"

FILTERS = ("notebook", "all")
#: Containers per page of the listing (``?limit=`` asks for up to MAX_PAGE_SIZE).
PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000
DEFAULT_TAIL = 200
MAX_TAIL = 5000
MAX_LOG_BYTES = 512 * 1024

# Docker container names ([a-zA-Z0-9][a-zA-Z0-9_.-]+) and (prefixes of) IDs.
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,254}")


@dataclass
class EngineError(Exception):
    """An engine refusal or failure, with the HTTP status and message to answer with."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


class EngineDown(EngineError):
    """No engine answers: the one error the side panels retry on their own."""


class Engine:
    """The engine the server's environment names, connected lazily and shared by the
    handlers of one server.

    ``endpoint`` is the engine docker would reach (resolved as the docker CLI does unless
    given); ``address`` is where the engine is looked for (its description by default), named
    in the message of every request made while no engine answers; the log says so once per
    outage, and once when the engine answers again.

    Unless told which engine to use, the server follows the one docker would reach at each
    request: a ``docker context use`` (or an edited config.json) while the server runs moves
    the side panels as it moves the CLI. Resolving reads two small files (about 10 µs)."""

    def __init__(self, connect=None, *, address: str | None = None, log=None, endpoint=None):
        self._follows = connect is None and endpoint is None and address is None
        endpoint = endpoint or engines.resolve()
        self._connect = connect or (lambda: engines.connect(endpoint, timeout=60))
        self.address = address or endpoint.describe()
        self.endpoint = endpoint
        self.log = log or logging.getLogger("runmagic.server")
        self._engine: engines.Engine | None = None
        self._lock = threading.Lock()
        self._down = False
        self.proxy_base: str | None = None

    @property
    def api(self) -> engines.Engine:
        with self._lock:
            if self._follows:
                self._follow()
            if self._engine is None:
                try:
                    self._engine = self._connect()
                except DockerError:
                    raise self._outage() from None
            return self._engine

    def _follow(self) -> None:
        """Switch to the engine docker would reach now, if it changed (under the lock)."""
        try:
            endpoint = engines.resolve()
        except DockerError as exc:  # e.g. a current context that was removed: retried
            raise EngineDown(503, exc.message) from None
        if endpoint == self.endpoint:
            return
        self.log.info("runmagic: docker now reaches %s; the panels follow", endpoint.describe())
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        self.endpoint, self.address, self._down = endpoint, endpoint.describe(), False
        self._connect = lambda: engines.connect(endpoint, timeout=60)

    def _outage(self) -> EngineDown:
        with_log = not self._down
        self._down = True
        if with_log:
            self.log.warning("runmagic: no Docker engine answers at %s; the panels keep retrying",
                             self.address)
        return EngineDown(503, f"no Docker engine answers at {self.address}")

    def _answered(self) -> None:
        if self._down:
            self._down = False
            self.log.info("runmagic: the Docker engine at %s answers again", self.address)

    def _call(self, fn):
        """Run one engine call, turning its errors into :class:`EngineError`."""
        try:
            result = _call(fn)
        except _NoAnswer:
            raise self._outage() from None
        except EngineDown:
            raise
        except EngineError:
            self._answered()  # the engine answered, with a refusal
            raise
        self._answered()
        return result

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

    # ------------------------------------------------------------------ containers

    def containers(self, which: str = "notebook", offset: int = 0, limit: int = PAGE_SIZE) -> dict:
        """One page of containers, newest first (the engine's order), and how many there are:
        only the page is summarised, so thousands of containers cost one engine call."""
        if which not in FILTERS:
            raise EngineError(400, f"Unknown filter {which!r}: use one of {', '.join(FILTERS)}")
        filters = {"label": NOTEBOOK_LABEL} if which == "notebook" else None
        raw = self._call(lambda: self.api.containers(all=True, filters=filters))
        page = raw[offset:offset + limit]
        return {"containers": [container_summary(c, self.proxy_base, self.remote_host) for c in page],
                "total": len(raw), "offset": offset, "limit": limit, "engine": self.described()}

    @property
    def remote_host(self) -> str | None:
        """The engine's machine when it is not this one (ports are opened there)."""
        return engine_host(self.endpoint.host)

    def described(self) -> dict:
        """The engine, as the side panels show it: the address (and context) docker would
        reach, and whether it is the default one."""
        return {"description": self.endpoint.describe(), "default": self.endpoint.is_default}

    def stop(self, ident: str, timeout: int | None = None) -> dict:
        ident = check_ident(ident)
        self._call(lambda: self.api.stop(ident, timeout=timeout) if timeout is not None
              else self.api.stop(ident))
        return self.state(ident)

    def restart(self, ident: str, timeout: int | None = None) -> dict:
        ident = check_ident(ident)
        self._call(lambda: self.api.restart(ident, timeout=timeout) if timeout is not None
              else self.api.restart(ident))
        return self.state(ident)

    def remove(self, ident: str, force: bool = False) -> dict:
        ident = check_ident(ident)
        info = self.state(ident)
        self._call(lambda: self.api.remove_container(ident, force=force))
        return {**info, "removed": True}

    def logs(self, ident: str, tail: int = DEFAULT_TAIL) -> dict:
        ident = check_ident(ident)
        info = self.state(ident)
        tty = bool((self._call(lambda: self.api.inspect_container(ident)).get("Config") or {}).get("Tty"))
        data = demultiplex(self._call(lambda: self.api.logs(ident, {"stdout": 1, "stderr": 1, "tail": tail})),
                           tty)
        truncated = len(data) > MAX_LOG_BYTES
        if truncated:
            data = data[-MAX_LOG_BYTES:]
        return {**info, "tail": tail, "truncated": truncated,
                "logs": data.decode("utf-8", errors="replace")}

    def state(self, ident: str) -> dict:
        ident = check_ident(ident)
        attrs = docker_inspect(self._call(lambda: self.api.inspect_container(ident)))
        st = attrs.get("State") or {}
        return {"id": attrs["Id"], "short_id": attrs["Id"][:12],
                "name": (attrs.get("Name") or "").lstrip("/"),
                "state": st.get("Status", ""), "exit_code": st.get("ExitCode")}

    def panel(self, ident: str, last_ports=()) -> dict:
        """The container as its cell's panel shows it (the same HTML the kernel's live panel
        shows), for a panel whose kernel is gone. ``last_ports`` (``80/tcp@127.0.0.1:49153``,
        what the cell's output saw) stand in for the host ports the engine forgets at a stop."""
        ident = check_ident(ident)
        info = docker_inspect(self._call(lambda: self.api.inspect_container(ident)))
        image_env = self._optional(lambda: (self.api.inspect_image(info.get("Image") or "")
                                            .get("Config") or {}).get("Env") or [], [])
        mode = (info.get("HostConfig") or {}).get("NetworkMode") or "default"
        default_ip = ""
        if mode not in ("none", "host") and not mode.startswith("container:"):
            network = self._optional(
                lambda: self.api.get_json("/networks/{0}", "bridge" if mode == "default" else mode), {})
            default_ip = model.default_host_ip(network)
        state = model.state_from_inspect(info, image_env, default_ip)
        seen = [mapping for mapping in map(parse_port, last_ports) if mapping is not None]
        state = dataclasses.replace(state, ports=model.last_bound(tuple(seen), state.ports))
        return {"id": state.id, "short_id": state.short_id, "name": state.name, "state": state.status,
                "exit_code": state.exit_code,
                "html": sections.panel_html(state, self.proxy_base, self.remote_host, self.endpoint.note)}

    def _optional(self, fn, default):
        """A call whose refusal (an image or network removed since) leaves ``default``."""
        try:
            return self._call(fn)
        except EngineDown:
            raise
        except EngineError:
            return default

    # ------------------------------------------------------------------ images

    def images(self) -> list[dict]:
        raw = self._call(lambda: self.api.images())
        out = [image_summary(i) for i in raw]
        out.sort(key=lambda i: (i["tags"][0] if i["tags"] else "~", -i["created"]))
        return out


_PORT = re.compile(r"(?P<port>\d+(?:-\d+)?)/(?P<proto>[a-z]+)@(?:\[(?P<ip6>[0-9A-Fa-f:.]*)\]|(?P<ip>[0-9.]*)):(?P<host>\d+)")


def parse_port(text: str) -> model.PortMapping | None:
    """``80/tcp@127.0.0.1:49153`` (or ``@[::1]:80``) as a bound port; None if malformed."""
    m = _PORT.fullmatch(text or "")
    if m is None:
        return None
    return model.PortMapping(m["port"], m["proto"], m["ip6"] if m["ip6"] is not None else m["ip"], m["host"])


def check_ident(ident: str) -> str:
    if not isinstance(ident, str) or not _IDENT.fullmatch(ident):
        raise EngineError(404, f"No such container: {ident}")
    return ident


def _call(fn):
    """Run one engine call, turning the engine's refusals into :class:`EngineError`
    and a missing engine into :class:`_NoAnswer`."""
    try:
        return fn()
    except EngineError:
        raise
    except DaemonResponse as refusal:
        status = refusal.status_code if 400 <= refusal.status_code < 600 else 500
        raise EngineError(404 if refusal.not_found else status, refusal.message) from None
    except DockerError:  # no engine answers, or it stopped answering: the caller names it
        raise _NoAnswer() from None


class _NoAnswer(Exception):
    """An engine call that reached no engine."""


def container_summary(c: dict, proxy_base: str | None = None, remote_host: str | None = None) -> dict:
    """A ``docker ps`` entry; each port with the ``url`` a browser opens it at (the rule of
    :func:`~runmagic.display.phrases.port_url`, as in the cells' panels) or None."""
    labels = c.get("Labels") or {}
    names = c.get("Names") or []
    ports = []
    seen = set()
    for p in c.get("Ports") or []:
        entry = {"ip": p.get("IP", ""), "private": p.get("PrivatePort"),
                 "public": p.get("PublicPort"), "type": p.get("Type", "tcp")}
        key = tuple(entry.values())
        if key not in seen:
            seen.add(key)
            mapping = model.PortMapping(str(entry["private"]), entry["type"], entry["ip"],
                                        str(entry["public"] or ""))
            entry["url"] = port_url(mapping, proxy_base, remote_host) if c.get("State") == "running" else None
            ports.append(entry)
    ports.sort(key=lambda p: (p["private"] or 0, p["public"] or 0, p["ip"]))
    return {
        "id": c["Id"],
        "short_id": c["Id"][:12],
        "name": names[0].lstrip("/") if names else "",
        "image": c.get("Image", ""),
        "command": c.get("Command", ""),
        "created": c.get("Created", 0),
        "state": c.get("State", ""),
        "status": c.get("Status", ""),
        "ports": ports,
        "notebook": NOTEBOOK_LABEL in labels,
    }


def image_summary(i: dict) -> dict:
    tags = [t for t in i.get("RepoTags") or [] if t and t != "<none>:<none>"]
    image_id = i.get("Id", "")
    return {
        "id": image_id,
        "short_id": image_id.split(":")[-1][:12],
        "tags": tags,
        "size": i.get("Size", 0),
        "created": i.get("Created", 0),
    }
