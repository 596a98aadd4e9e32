"""What the magics give back to Python.

- ``RunResult``: a foreground run (``%docker_run``, ``%docker_attach``, ``%docker_start -a``).
- ``ExecResult``: a command run by ``%docker_exec``.
- ``ContainerHandle``: a container (``%docker_run -d``, each row of ``%docker_ps``), with
  the companion commands as methods.
- ``CommandOutput`` / ``ContainerList``: what a listing or inspect command shows: docker's
  text as text/plain, an HTML table for table formats, and the data as Python objects.
"""

from __future__ import annotations

import importlib
import shlex
from dataclasses import dataclass, field

from .errors import ContainerExit


def _commands(module: str):
    """``runmagic.commands.<module>``, imported when a method first needs it
    (the command modules import this one)."""
    return importlib.import_module(f".commands.{module}", __package__)


def _shown_in_this_cell(created_in: int | None) -> bool:
    """The output of a run is already in the cell that ran it, so a result that
    is the cell's value is not echoed there; evaluated later, it is shown."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and created_in == shell.execution_count


def _execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell.execution_count if shell is not None else None


class _ShownOnceInItsCell:
    """Display for what a magic returns: not echoed in the cell that ran it
    (its output is already there), shown as its repr when evaluated later.
    Subclasses set ``_created_in`` to the execution count they were made in."""

    _created_in: int | None

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _ipython_display_(self) -> None:
        if not _shown_in_this_cell(self._created_in):
            print(repr(self))


@dataclass
class RunResult(_ShownOnceInItsCell):
    """A foreground run: the container, its exit status and what it wrote
    (up to the capture limit; ``log_paths`` name files holding streams that
    went over the live limit)."""

    id: str
    name: str
    exit_status: int
    stdout: str = ""
    stderr: str = ""
    log_paths: dict = field(default_factory=dict)
    duration: float = 0.0
    removed: bool = False
    _created_in: int | None = field(default_factory=_execution_count, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"RunResult(id={self.id[:12]!r}, name={self.name!r}, exit_status={self.exit_status}, "
                f"stdout={len(self.stdout)} chars, stderr={len(self.stderr)} chars)")


@dataclass
class ExecResult(_ShownOnceInItsCell):
    """A command run in a container: its exit status and what it wrote
    (``exit_status`` is None for a detached exec)."""

    container_id: str
    exec_id: str
    exit_status: int | None
    stdout: str = ""
    stderr: str = ""
    log_paths: dict = field(default_factory=dict)
    duration: float = 0.0
    _created_in: int | None = field(default_factory=_execution_count, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"ExecResult(container={self.container_id[:12]!r}, exit_status={self.exit_status}, "
                f"stdout={len(self.stdout)} chars, stderr={len(self.stderr)} chars)")


class CommandOutput:
    """docker's output of a command, shown once: text/plain is exactly what
    the docker CLI prints, text/html a table when the format is a table.
    ``data`` holds the same information as Python objects."""

    def __init__(self, text: str, html: str | None = None, data=None):
        self.text = text
        self.html = html
        self.data = data

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text[:-1] if self.text.endswith("\n") else self.text

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str | None:
        return self.html


class ContainerList(CommandOutput):
    """``%docker_ps``: the listing, and a ContainerHandle for each row."""

    def __init__(self, text: str, html: str | None, handles: list[ContainerHandle]):
        super().__init__(text, html, handles)

    def __iter__(self):
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    @property
    def ids(self) -> list[str]:
        return [handle.id for handle in self.data]


class ContainerHandle(_ShownOnceInItsCell):
    """A container by ID, with the companion commands as methods.

    Methods that stream (``logs(follow=True)``, ``attach()``, ``exec()``)
    write into the running cell with the same flood control and interrupt
    behaviour as the magics; the others return Python values.
    """

    def __init__(self, api, container_id: str, name: str = ""):
        self._api = api
        self.id = container_id
        self._name = name
        self._created_in = _execution_count()

    def _context(self, stdin: str | bytes | None = None):
        return _commands("session").context_for(self._api, stdin)

    @property
    def name(self) -> str:
        if not self._name:
            self._name = self.inspect()["Name"].lstrip("/")
        return self._name

    @property
    def panel(self):
        """The container's live panel, made by ``runmagic.display.panel_for(handle)``;
        None where the display layer (or the widgets it needs) is not available."""
        try:
            from .display import panel_for

            return panel_for(self)
        except ImportError:
            return None

    def inspect(self, size: bool = False) -> dict:
        """``docker inspect``: the engine's description of the container."""
        return _commands("daemon").get_json(self._api, "/containers/{0}/json", self.id,
                                            params={"size": 1} if size else None)

    def status(self) -> str:
        return self.inspect()["State"]["Status"]

    def logs(self, follow: bool = False, tail: str | int = "all", since: str = "", until: str = "",
             timestamps: bool = False, details: bool = False) -> str | None:
        """``docker logs``: the output so far as a string, or with ``follow``
        streamed into the cell until the container stops or the cell is
        interrupted (which ends the follow, never the container)."""
        return _commands("logs").fetch_logs(
            self._context(), self.id, follow=follow, tail=str(tail), since=since, until=until,
            timestamps=timestamps, details=details)

    def attach(self, stdin: str | bytes | None = None, sig_proxy: bool = True,
               detach_keys: str = "") -> RunResult:
        """``docker attach``: stream the container's output into the cell;
        ``stdin`` is sent to its standard input. An interrupt sends SIGINT
        (with ``sig_proxy``) or only detaches."""
        return _commands("attach").attach(self._context(stdin), self.id, attach_stdin=stdin is not None,
                                          sig_proxy=sig_proxy, detach_keys=detach_keys)

    def exec(self, command: str | list[str], *, stdin: str | bytes | None = None, user: str = "",
             workdir: str = "", env: dict | list | None = None, tty: bool = False,
             privileged: bool = False, detach: bool = False, check: bool = True) -> ExecResult:
        """``docker exec``: run ``command`` (a list, or a string split as a shell
        would) in the container, streaming its output; ``stdin`` goes to its
        standard input. With ``check``, a non-zero exit raises ContainerExit."""
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        environment = [f"{k}={v}" for k, v in env.items()] if isinstance(env, dict) else list(env or [])
        result = _commands("execute").run_exec(
            self._context(stdin), self.id, argv, interactive=stdin is not None, tty=tty,
            detach=detach, user=user, workdir=workdir, env=environment, privileged=privileged)
        if check and result.exit_status:
            error = ContainerExit(result.exit_status, result)
            error.message = f"The command exited with status {result.exit_status}"
            raise error
        return result

    def wait(self) -> int:
        """``docker wait``: block until the container stops; its exit status."""
        return _commands("lifecycle").wait_one(self._api, self.id)

    def stop(self, timeout: int | None = None, signal: str = "") -> None:
        """``docker stop``: the stop signal, then SIGKILL after ``timeout`` seconds."""
        _commands("lifecycle").stop_one(self._api, self.id, timeout=timeout, signal=signal)

    def restart(self, timeout: int | None = None, signal: str = "") -> None:
        _commands("lifecycle").restart_one(self._api, self.id, timeout=timeout, signal=signal)

    def kill(self, signal: str = "SIGKILL") -> None:
        _commands("lifecycle").kill_one(self._api, self.id, signal=signal)

    def remove(self, force: bool = False, volumes: bool = False) -> None:
        """``docker rm``: ``force`` kills a running container first."""
        _commands("lifecycle").remove_one(self._api, self.id, force=force, volumes=volumes)

    def port(self, private: str = "") -> list[str]:
        """``docker port``: the lines docker prints (``80/tcp -> 0.0.0.0:8080``,
        or only ``0.0.0.0:8080`` for one ``private`` port)."""
        return _commands("lifecycle").port_lines(self._api, self.id, private)

    def __eq__(self, other) -> bool:
        return isinstance(other, ContainerHandle) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        name = f", name={self._name!r}" if self._name else ""
        return f"ContainerHandle(id={self.id[:12]!r}{name})"
