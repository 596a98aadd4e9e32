"""The engine calls behind the REST handlers: plain, blocking calls of runmagic's engine layer,
turned into JSON data.

Kept free of tornado so it can be read (and tested) on its own; the handlers run these
functions in a thread so a slow engine (a stop waits up to the container's stop timeout)
never blocks the server.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from runmagic import engine as engines
from runmagic.engine.session import demultiplex
from runmagic.errors import DaemonResponse, DockerError

#: Label the magics put on the containers they create (value "1").
NOTEBOOK_LABEL = "org.runmagic.notebook"

FILTERS = ("notebook", "all")
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


class Engine:
    """The engine the server's environment names, connected lazily and shared by the
    handlers of one server."""

    def __init__(self, connect=None):
        self._connect = connect or (lambda: engines.connect(timeout=60))
        self._engine: engines.Engine | None = None
        self._lock = threading.Lock()

    @property
    def api(self) -> engines.Engine:
        with self._lock:
            if self._engine is None:
                self._engine = _call(self._connect)
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

    # ------------------------------------------------------------------ containers

    def containers(self, which: str = "notebook") -> list[dict]:
        if which not in FILTERS:
            raise EngineError(400, f"Unknown filter {which!r}: use one of {', '.join(FILTERS)}")
        filters = {"label": [NOTEBOOK_LABEL]} if which == "notebook" else None
        raw = _call(lambda: self.api.containers(all=True, filters=filters))
        return [container_summary(c) for c in raw]

    def stop(self, ident: str, timeout: int | None = None) -> dict:
        ident = check_ident(ident)
        _call(lambda: self.api.stop(ident, timeout=timeout) if timeout is not None
              else self.api.stop(ident))
        return self.state(ident)

    def restart(self, ident: str, timeout: int | None = None) -> dict:
        ident = check_ident(ident)
        _call(lambda: self.api.restart(ident, timeout=timeout) if timeout is not None
              else self.api.restart(ident))
        return self.state(ident)

    def remove(self, ident: str, force: bool = False) -> dict:
        ident = check_ident(ident)
        info = self.state(ident)
        _call(lambda: self.api.remove_container(ident, force=force))
        return {**info, "removed": True}

    def logs(self, ident: str, tail: int = DEFAULT_TAIL) -> dict:
        ident = check_ident(ident)
        info = self.state(ident)
        tty = bool(((_call(lambda: self.api.inspect_container(ident)).get("Config")) or {}).get("Tty"))
        data = demultiplex(_call(lambda: self.api.logs(ident, {"stdout": 1, "stderr": 1, "tail": tail})), tty)
        truncated = len(data) > MAX_LOG_BYTES
        if truncated:
            data = data[-MAX_LOG_BYTES:]
        return {**info, "tail": tail, "truncated": truncated,
                "logs": data.decode("utf-8", errors="replace")}

    def state(self, ident: str) -> dict:
        ident = check_ident(ident)
        attrs = _call(lambda: self.api.inspect_container(ident))
        st = attrs.get("State") or {}
        return {"id": attrs["Id"], "short_id": attrs["Id"][:12],
                "name": (attrs.get("Name") or "").lstrip("/"),
                "state": st.get("Status", ""), "exit_code": st.get("ExitCode")}

    # ------------------------------------------------------------------ images

    def images(self) -> list[dict]:
        raw = _call(lambda: self.api.images())
        out = [image_summary(i) for i in raw]
        out.sort(key=lambda i: (i["tags"][0] if i["tags"] else "~", -i["created"]))
        return out


def check_ident(ident: str) -> str:
    if not isinstance(ident, str) or not _IDENT.fullmatch(ident):
        raise EngineError(404, f"No such container: {ident}")
    return ident


def _call(fn):
    """Run one engine call, turning its errors into :class:`EngineError`."""
    try:
        return fn()
    except EngineError:
        raise
    except DaemonResponse as refusal:
        status = refusal.status_code if 400 <= refusal.status_code < 600 else 500
        raise EngineError(404 if refusal.not_found else status, refusal.message) from None
    except DockerError as exc:  # no engine answers, or it stopped answering
        raise EngineError(503, exc.message) from None


def container_summary(c: dict) -> dict:
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
