"""The terminal descriptor: the cell output a frontend turns into a live terminal.

``application/vnd.runmagic.terminal+json`` carries what the browser needs to
open the server's websocket (``container``, ``exec``, ``detachKeys``) and the
session's ``state``: ``live`` while the cell runs, then ``exited`` or
``detached``, when the output is replaced by the transcript (text/plain) so
a saved notebook shows text, never a dead terminal. Without runmagic's
JupyterLab extension a frontend shows the text/plain.

Whether the frontend that sent the running cell renders terminals comes from
the execute request's metadata: the extension adds
``{"runmagic": {"terminals": 1, "engine": HOST}}`` to every request it sends,
HOST being the engine the Jupyter server bridges terminals to. A kernel using
another engine cannot be reached from there, so it uses the line mode.
"""

from __future__ import annotations

MIME = "application/vnd.runmagic.terminal+json"
METADATA_KEY = "runmagic"


def request_metadata() -> dict:
    """The running cell's execute request metadata (empty outside a kernel)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return {}
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return {}
    parent = kernel.get_parent("shell") or {}
    return parent.get("metadata") or {}


def frontend_renders_terminals(engine_host: str) -> bool:
    meta = request_metadata().get(METADATA_KEY)
    return isinstance(meta, dict) and bool(meta.get("terminals")) and meta.get("engine") == engine_host


def bundle(*, container: str, name: str, exec_id: str = "", detach_keys: str = "", state: str = "live",
           transcript: str = "", status: int | None = None) -> dict:
    what = f"exec session in {name}" if exec_id else name
    if state == "live":
        text = (f"[interactive terminal on {what}: runmagic's JupyterLab extension shows it; "
                "this frontend cannot]")
    else:
        text = transcript
    data = {"container": container, "name": name, "exec": exec_id, "detachKeys": detach_keys,
            "state": state}
    if status is not None:
        data["status"] = status
    return {MIME: data, "text/plain": text}


class TerminalOutput:
    """The descriptor shown in the running cell, updated in place when the session ends."""

    def __init__(self, **fields):
        from IPython.display import display

        self._fields = fields
        self._handle = display(bundle(**fields), raw=True, display_id=True)

    def end(self, state: str, transcript: str, status: int | None = None) -> None:
        self._handle.update(bundle(**self._fields, state=state, transcript=transcript, status=status),
                            raw=True)
