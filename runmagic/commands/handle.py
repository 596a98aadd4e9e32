"""A container as a Python object, with the companion commands as methods.

``%docker_run -d`` returns one, and so does each row of ``%docker_ps``.
"""

from __future__ import annotations

import shlex

from runmagic.commands import attach as attach_command
from runmagic.commands import execute, lifecycle, logs
from runmagic.commands.context import context_for
from runmagic.errors import ContainerExit
from runmagic.result import ExecResult, RunResult, ShownOnceInItsCell, execution_count


class ContainerHandle(ShownOnceInItsCell):
    """A container by ID, with the companion commands as methods.

    Methods that stream (``logs(follow=True)``, ``attach()``, ``exec()``)
    write into the running cell with the same flood control and interrupt
    behaviour as the magics; the others return Python values.
    """

    def __init__(self, engine, container_id: str, name: str = ""):
        self._engine = engine
        self.id = container_id
        self._name = name
        self._created_in = execution_count()

    @property
    def engine(self):
        """The engine the container lives on (``runmagic.engine.Engine``)."""
        return self._engine

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
            from runmagic.display import panel_for
        except ImportError:
            return None
        return panel_for(self)

    def inspect(self, size: bool = False) -> dict:
        """``docker inspect``: the engine's description of the container."""
        return self._engine.inspect_container(self.id, size=size)

    def status(self) -> str:
        return self.inspect()["State"]["Status"]

    def logs(self, follow: bool = False, tail: str | int = "all", since: str = "", until: str = "",
             timestamps: bool = False, details: bool = False) -> str | None:
        """``docker logs``: the output so far as a string, or with ``follow``
        streamed into the cell until the container stops or the cell is
        interrupted (which ends the follow, never the container)."""
        return logs.fetch_logs(
            context_for(self._engine), self.id, follow=follow, tail=str(tail), since=since,
            until=until, timestamps=timestamps, details=details)

    def attach(self, stdin: str | bytes | None = None, sig_proxy: bool = True,
               detach_keys: str = "") -> RunResult:
        """``docker attach``: stream the container's output into the cell;
        ``stdin`` is sent to its standard input. An interrupt sends SIGINT
        (with ``sig_proxy``) or only detaches."""
        return attach_command.attach(context_for(self._engine, stdin), self.id,
                                     attach_stdin=stdin is not None, sig_proxy=sig_proxy,
                                     detach_keys=detach_keys)

    def exec(self, command: str | list[str], *, stdin: str | bytes | None = None, user: str = "",
             workdir: str = "", env: dict | list | None = None, tty: bool = False,
             privileged: bool = False, detach: bool = False, check: bool = True) -> ExecResult:
        """``docker exec``: run ``command`` (a list, or a string split as a shell
        would) in the container, streaming its output; ``stdin`` goes to its
        standard input. With ``check``, a non-zero exit raises ContainerExit."""
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        environment = [f"{k}={v}" for k, v in env.items()] if isinstance(env, dict) else list(env or [])
        result = execute.run_exec(
            context_for(self._engine, stdin), self.id, argv, interactive=stdin is not None, tty=tty,
            detach=detach, user=user, workdir=workdir, env=environment, privileged=privileged)
        if check and result.exit_status:
            error = ContainerExit(result.exit_status, result)
            error.message = f"The command exited with status {result.exit_status}"
            raise error
        return result

    def wait(self) -> int:
        """``docker wait``: block until the container stops; its exit status."""
        return lifecycle.wait_one(self._engine, self.id)

    def stop(self, timeout: int | None = None, signal: str = "") -> None:
        """``docker stop``: the stop signal, then SIGKILL after ``timeout`` seconds."""
        lifecycle.stop_one(self._engine, self.id, timeout=timeout, signal=signal)

    def restart(self, timeout: int | None = None, signal: str = "") -> None:
        lifecycle.restart_one(self._engine, self.id, timeout=timeout, signal=signal)

    def kill(self, signal: str = "SIGKILL") -> None:
        lifecycle.kill_one(self._engine, self.id, signal=signal)

    def remove(self, force: bool = False, volumes: bool = False) -> None:
        """``docker rm``: ``force`` kills a running container first."""
        lifecycle.remove_one(self._engine, self.id, force=force, volumes=volumes)

    def port(self, private: str = "") -> list[str]:
        """``docker port``: the lines docker prints (``80/tcp -> 0.0.0.0:8080``,
        or only ``0.0.0.0:8080`` for one ``private`` port)."""
        return lifecycle.port_lines(self._engine, self.id, private)

    def __eq__(self, other) -> bool:
        return isinstance(other, ContainerHandle) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        name = f", name={self._name!r}" if self._name else ""
        return f"ContainerHandle(id={self.id[:12]!r}{name})"
