"""What a run gives back to Python: a result for foreground runs, a handle for -d."""

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


def _execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell.execution_count if shell is not None else None


@dataclass
class RunResult:
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

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _ipython_display_(self) -> None:
        if not _shown_in_this_cell(self._created_in):
            print(repr(self))


class ContainerHandle:
    """A container started with -d: its ID and name, and the calls a notebook needs."""

    def __init__(self, api, container_id: str, name: str = ""):
        self._api = api
        self.id = container_id
        self._name = name
        self._created_in = _execution_count()

    @property
    def name(self) -> str:
        if not self._name:
            self._name = self.inspect()["Name"].lstrip("/")
        return self._name

    def inspect(self) -> dict:
        return self._api.inspect_container(self.id)

    def status(self) -> str:
        return self.inspect()["State"]["Status"]

    def logs(self, tail="all") -> str:
        return self._api.logs(self.id, tail=tail).decode("utf-8", errors="replace")

    def wait(self, timeout=None) -> int:
        return self._api.wait(self.id, timeout=timeout)["StatusCode"]

    def stop(self, timeout=None) -> None:
        self._api.stop(self.id, timeout=timeout)

    def kill(self, signal="SIGKILL") -> None:
        self._api.kill(self.id, signal=signal)

    def remove(self, force=False, volumes=False) -> None:
        self._api.remove_container(self.id, force=force, v=volumes)

    def __repr__(self) -> str:
        return f"ContainerHandle(id={self.id[:12]!r})"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _ipython_display_(self) -> None:
        if not _shown_in_this_cell(self._created_in):
            print(repr(self))
