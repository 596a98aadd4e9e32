"""``docker exec``: a command in a running container, streamed like a foreground run.

The cell body is the command's stdin (``-i`` is implied by a body): it is
sent and half-closed so the command reads EOF. The exit status is the
command's, read from the exec's inspect as docker does.

``-it`` is an interactive session (:mod:`runmagic.terminals.sessions`): a live
terminal in JupyterLab, else lines through the stdin channel; a body is typed
into it line by line.

The Engine API has no way to signal an exec's process, so an interrupt can
only detach: the command may keep running in the container, and runmagic
says so.
"""

from __future__ import annotations

import os
import time

from runmagic.errors import Interrupted
from runmagic.grammar.options.env import read_env_file
from runmagic.result import ExecResult
from runmagic.commands.context import Context
from runmagic.errors import CommandError
from runmagic.terminals.sessions import exec_terminal


def run_exec(ctx: Context, ref: str, command: list[str], *, interactive: bool = False,
             tty: bool = False, detach: bool = False, user: str = "", workdir: str = "",
             env: list[str] | None = None, env_files: list[str] = (), privileged: bool = False,
             detach_keys: str = "") -> ExecResult:
    environment = []
    for path in env_files:
        environment += read_env_file(path, os.environ, os.getcwd())
    environment += env or []
    info = ctx.engine.inspect_container(ref)
    attach_stdin = interactive and not detach
    exec_id = ctx.engine.exec_create(
        info["Id"], command, stdout=not detach, stderr=not detach, stdin=attach_stdin, tty=tty,
        privileged=privileged, user=user, environment=environment, workdir=workdir,
        detach_keys=detach_keys)
    if not exec_id:
        raise CommandError("exec ID empty")
    if detach:
        ctx.engine.exec_start_detached(exec_id, tty=tty)
        return ExecResult(info["Id"], exec_id, None)
    if tty and attach_stdin:
        return exec_terminal(ctx, info["Id"], info["Name"].lstrip("/"), exec_id, detach_keys)
    return _attached(ctx, info["Id"], exec_id, tty, attach_stdin)


def _attached(ctx: Context, container_id: str, exec_id: str, tty: bool, attach_stdin: bool) -> ExecResult:
    started = time.monotonic()
    sink = ctx.new_sink(f"{container_id[:12]}-exec-{exec_id[:12]}")
    session = ctx.engine.exec_start(exec_id, tty=tty)
    try:
        if attach_stdin:
            session.send_and_close(ctx.stdin or b"")
        try:
            session.pump(sink)
        except KeyboardInterrupt:
            sink.finish()
            raise Interrupted(
                "Interrupted: detached from the command; the Engine API cannot signal an exec, "
                "so it may still be running in the container", exit_status=130) from None
        sink.finish()
    finally:
        session.close()
    status = ctx.engine.exec_inspect(exec_id)["ExitCode"]
    return ExecResult(
        container_id, exec_id, status if status is not None else -1,
        stdout=sink.streams["stdout"].captured, stderr=sink.streams["stderr"].captured,
        log_paths=sink.log_paths, duration=time.monotonic() - started)


def exec_command(ctx: Context, parsed) -> ExecResult:
    """``%docker_exec``: a cell body makes the command interactive (its stdin)."""
    return run_exec(
        ctx, parsed.args[0], parsed.args[1:],
        interactive=parsed.get("interactive") or ctx.stdin is not None, tty=parsed.get("tty"),
        detach=parsed.get("detach"), user=parsed.get("user") or "",
        workdir=parsed.get("workdir") or "", env=parsed.get("env"), env_files=parsed.get("env-file"),
        privileged=parsed.get("privileged"), detach_keys=parsed.get("detach-keys") or "")
