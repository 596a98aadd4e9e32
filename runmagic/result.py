"""What the magics give back to Python.

- ``RunResult``: a foreground run (``%docker_run``, ``%docker_attach``, ``%docker_start -a``).
- ``ExecResult``: a command run by ``%docker_exec``.
- ``CommandOutput`` / ``ContainerList``: what a listing or inspect command shows: docker's
  text as text/plain, an HTML table for table formats, and the data as Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field



def _shown_in_this_cell(created_in: int | None) -> bool:
    """The output of a run is already in the cell that ran it, so a result that
    is the cell's value is not echoed there; evaluated later, it is shown."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and created_in == shell.execution_count


def execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell.execution_count if shell is not None else None


class ShownOnceInItsCell:
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
class RunResult(ShownOnceInItsCell):
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
    _created_in: int | None = field(default_factory=execution_count, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"RunResult(id={self.id[:12]!r}, name={self.name!r}, exit_status={self.exit_status}, "
                f"stdout={len(self.stdout)} chars, stderr={len(self.stderr)} chars)")


@dataclass
class ExecResult(ShownOnceInItsCell):
    """A command run in a container: its exit status and what it wrote
    (``exit_status`` is None for a detached exec)."""

    container_id: str
    exec_id: str
    exit_status: int | None
    stdout: str = ""
    stderr: str = ""
    log_paths: dict = field(default_factory=dict)
    duration: float = 0.0
    _created_in: int | None = field(default_factory=execution_count, repr=False, compare=False)

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

    def __init__(self, text: str, html: str | None, handles: list):
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
