"""``docker exec``: a command in a running container, streamed like a foreground run.

The cell body is the command's stdin (``-i`` is implied by a body): it is
sent and half-closed so the command reads EOF. The exit status is the
command's, read from the exec's inspect as docker does.

The Engine API has no way to signal an exec's process, so an interrupt can
only detach: the command may keep running in the container, and runmagic
says so.
"""

from __future__ import annotations

import os
import time

import docker.errors

from runmagic.engine import session as streaming
from runmagic.errors import Interrupted
from runmagic.grammar.options.env import read_env_file
from runmagic.result import ExecResult
from runmagic.engine import requests as daemon
from runmagic.engine import responses as streams
from runmagic.engine.requests import Context
from runmagic.errors import CommandError


def run_exec(ctx: Context, ref: str, command: list[str], *, interactive: bool = False,
             tty: bool = False, detach: bool = False, user: str = "", workdir: str = "",
             env: list[str] | None = None, env_files: list[str] = (), privileged: bool = False,
             detach_keys: str = "") -> ExecResult:
    environment = []
    for path in env_files:
        environment += read_env_file(path, os.environ, os.getcwd())
    environment += env or []
    info = daemon.container(ctx.api, ref)
    attach_stdin = interactive and not detach
    try:
        exec_id = ctx.api.exec_create(
            info["Id"], command, stdout=not detach, stderr=not detach, stdin=attach_stdin, tty=tty,
            privileged=privileged, user=user, environment=environment or None,
            workdir=workdir or None, detach_keys=detach_keys or None)["Id"]
    except docker.errors.APIError as exc:
        raise daemon.daemon_error(exc) from None
    if not exec_id:
        raise CommandError("exec ID empty")
    if detach:
        try:
            ctx.api.exec_start(exec_id, detach=True, tty=tty)
        except docker.errors.APIError as exc:
            raise daemon.daemon_error(exc) from None
        return ExecResult(info["Id"], exec_id, None)
    return _attached(ctx, info["Id"], exec_id, tty, attach_stdin)


def _attached(ctx: Context, container_id: str, exec_id: str, tty: bool, attach_stdin: bool) -> ExecResult:
    started = time.monotonic()
    sink = streams.new_sink(ctx, f"{container_id[:12]}-exec-{exec_id[:12]}")
    wrapper = None
    try:
        try:
            wrapper = ctx.api.exec_start(exec_id, tty=tty, socket=True)
        except docker.errors.APIError as exc:
            raise daemon.daemon_error(exc) from None
        ctx.api._disable_socket_timeout(wrapper)
        sock = streams.raw_socket(wrapper)
        if attach_stdin:
            streaming.send_stdin(sock, ctx.stdin or b"")
        try:
            streaming.pump(sock, sink, tty)
        except KeyboardInterrupt:
            sink.finish()
            raise Interrupted(
                "Interrupted: detached from the command; the Engine API cannot signal an exec, "
                "so it may still be running in the container", exit_status=130) from None
        sink.finish()
    finally:
        streams.close_quietly(wrapper)
    try:
        status = ctx.api.exec_inspect(exec_id)["ExitCode"]
    except docker.errors.APIError as exc:
        raise daemon.daemon_error(exc) from None
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
