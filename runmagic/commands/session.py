"""A Context for code running in the kernel outside a magic (ContainerHandle methods).

It writes to the running cell and takes the streaming settings of the loaded
``DockerRun`` magics (``%config DockerRun.live_limit`` applies to them too).
"""

from __future__ import annotations

from ..kernel_io import flush_streams, stream_writer
from ..runner import RunSettings
from .daemon import Context

_SETTING_NAMES = ("live_limit", "tail_lines", "capture_limit", "flush_interval", "interrupt_grace",
                  "log_dir")


def current_settings() -> RunSettings:
    """The DockerRun traitlets of the running IPython, else the defaults."""
    try:
        from IPython import get_ipython
    except ImportError:
        return RunSettings()
    shell = get_ipython()
    magics = shell.magics_manager.registry.get("DockerRun") if shell is not None else None
    if magics is None:
        return RunSettings()
    return RunSettings(**{name: getattr(magics, name) for name in _SETTING_NAMES})


def stdin_bytes(body: str | bytes | None) -> bytes | None:
    """A cell body or a Python string as stdin: text ends with a newline, as a file would."""
    if body is None or isinstance(body, bytes):
        return body
    return (body if body.endswith("\n") else body + "\n").encode()


def context_for(api, stdin: str | bytes | None = None) -> Context:
    return Context(api, stream_writer("stdout"), stream_writer("stderr"), settings=current_settings(),
                   stdin=stdin_bytes(stdin), flush=flush_streams)
