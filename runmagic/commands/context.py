"""What a docker command runs with: the engine, the cell's writers and the streaming settings.

The IPython adapters make a :class:`Context` for each magic. Code running in the
kernel outside a magic (the methods of a ContainerHandle) gets one from
:func:`context_for`, with the settings the adapter registered through
:func:`use_settings` (``%config DockerRun.live_limit`` applies there too).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from runmagic import engine as engines
from runmagic.errors import CommandError, Interrupted, joined
from runmagic.output import OutputSink, cell_writer, flush_cell

Writer = Callable[[str], None]


@dataclass
class RunSettings:
    """The knobs of streaming a container into a cell; the magics fill them from their traitlets."""

    live_limit: int = 512 * 1024
    tail_lines: int = 20
    capture_limit: int = 1024 * 1024
    flush_interval: float = 0.1
    interrupt_grace: float = 1.0
    #: Seconds between the stop signal and SIGKILL when an interrupt stops a
    #: container (``--stop-timeout`` on the line wins): a notebook wants its kernel back.
    interrupt_kill_delay: float = 0.5
    log_dir: str = "/tmp/runmagic"
    extra_labels: dict = field(default_factory=dict)


@dataclass
class Context:
    engine: object  # runmagic.engine.Engine
    out: Writer
    err: Writer
    settings: RunSettings = field(default_factory=RunSettings)
    #: The cell body, sent to the container's stdin by attach/exec/start -i.
    stdin: bytes | None = None
    #: Asks a yes/no question (docker's prompts); None when nobody can answer.
    confirm: Callable[[str], bool] | None = None
    #: Shows a live view that has ``text()``/``html()``; returns an update function.
    show_live: Callable[[object], Callable[[], None]] | None = None
    #: Sends what the writers buffered, when a stream's first output arrives.
    flush: Callable[[], None] = lambda: None

    def new_sink(self, log_name: str) -> OutputSink:
        """A sink with these settings; over-limit logs go to ``<log_name>-<stream>.log``."""
        settings = self.settings
        return OutputSink(
            self.out, self.err,
            live_limit=settings.live_limit, tail_lines=settings.tail_lines,
            capture_limit=settings.capture_limit, flush_interval=settings.flush_interval,
            log_path=lambda stream: os.path.join(settings.log_dir, f"{log_name}-{stream}.log"),
            on_first_output=self.flush,
        )


_settings_source: Callable[[], RunSettings] = RunSettings


def use_settings(source: Callable[[], RunSettings]) -> None:
    """Where :func:`context_for` takes its settings from (the loaded magics register theirs)."""
    global _settings_source
    _settings_source = source


def current_settings() -> RunSettings:
    """The settings of the loaded magics (the defaults without them)."""
    return _settings_source()


def stdin_bytes(body: str | bytes | None) -> bytes | None:
    """A cell body or a Python string as stdin: text ends with a newline, as a file would."""
    if body is None or isinstance(body, bytes):
        return body
    return (body if body.endswith("\n") else body + "\n").encode()


def context_for(engine, stdin: str | bytes | None = None) -> Context:
    """A Context writing to the running cell, for code outside a magic."""
    return Context(engine, cell_writer("stdout"), cell_writer("stderr"), settings=current_settings(),
                   stdin=stdin_bytes(stdin), flush=flush_cell)


def each(refs: list[str], action: Callable[[str], None], out: Writer) -> None:
    """Run ``action`` on every ref, print the ones that succeeded, and raise
    all failures together afterwards, one per line (docker's errors.Join)."""
    failures = []
    for ref in refs:
        try:
            action(ref)
        except CommandError as exc:
            failures.append(exc)
            continue
        out(ref + "\n")
    if failures:
        raise joined(failures)


def engine_for_command(environ=os.environ):
    """The engine a command runs against; an interrupt while connecting to it (a silent
    engine) ends the command in one line, before anything was created."""
    try:
        return engines.engine_for(environ)
    except KeyboardInterrupt:
        raise Interrupted("Interrupted while connecting to the Docker engine at "
                          f"{engines.resolve(environ).describe()}: nothing was created",
                          exit_status=130) from None
