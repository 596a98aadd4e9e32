"""``docker attach`` and ``docker start -a``: a container's streams in the cell.

The order is the docker CLI's: register the wait, attach, (start,) send the
cell body to stdin and half-close it, pump the output until the streams end,
then collect the exit status. Stdin is attached only when there is a cell
body to send. The body ends with EOF when the container closes its stdin
after the first attach (``StdinOnce``: ``docker create -i``, then ``start
-a -i``); otherwise it is typed in and stdin stays open, as at a terminal --
the engine would end the attach's output at EOF.

An interrupt follows ``--sig-proxy``: with it (the default) the container
gets SIGINT, as docker forwards the terminal's; if it has not exited after
``DockerRun.interrupt_grace`` seconds runmagic detaches and leaves it
running (a second interrupt detaches at once). Without it, an interrupt only
detaches. runmagic never stops or kills a container it attached to.

A container with a TTY and stdin open (``run -it``) gets an interactive
session instead (:mod:`runmagic.terminals.sessions`).
"""

from __future__ import annotations

import time

from runmagic.errors import Interrupted
from runmagic.result import RunResult
from runmagic.commands import lifecycle
from runmagic.commands.context import Context
from runmagic.errors import CommandError, DaemonResponse
from runmagic.terminals.sessions import attach_terminal


def _check_state(info: dict) -> None:
    state = info["State"]
    if not state.get("Running"):
        raise CommandError("You cannot attach to a stopped container, start it first")
    if state.get("Paused"):
        raise CommandError("You cannot attach to a paused container, unpause it first")
    if state.get("Restarting"):
        raise CommandError("You cannot attach to a restarting container, wait until it is running")


def attach(ctx: Context, ref: str, *, attach_stdin: bool = True, sig_proxy: bool = True,
           detach_keys: str = "") -> RunResult:
    """``%docker_attach``: stream a running container until it exits or the cell is interrupted."""
    wait = ctx.engine.open_wait(ref)
    try:
        info = ctx.engine.inspect_container(ref)
        _check_state(info)
        if attach_stdin and info["Config"].get("Tty") and info["Config"].get("OpenStdin"):
            return attach_terminal(ctx, info, wait, detach_keys)
        return _stream(ctx, info, wait, stdin=attach_stdin and ctx.stdin is not None,
                       sig_proxy=sig_proxy, detach_keys=detach_keys, start=False)
    finally:
        wait.close()


def start_attached(ctx: Context, ref: str, *, interactive: bool, detach_keys: str = "") -> RunResult:
    """``%docker_start -a``: start a container and stream it like a foreground run."""
    info = ctx.engine.inspect_container(ref)
    condition = "removed" if info["HostConfig"].get("AutoRemove") else "next-exit"
    wait = ctx.engine.open_wait(info["Id"], condition)
    try:
        # docker start -a forwards signals (with a TTY, the terminal's ^C does);
        # a notebook has no terminal, so an interrupt is forwarded as SIGINT.
        return _stream(ctx, info, wait, stdin=interactive and ctx.stdin is not None,
                       sig_proxy=True, detach_keys=detach_keys, start=True)
    finally:
        wait.close()


def attach_command(ctx: Context, parsed) -> RunResult:
    """``%docker_attach``: the cell body, if any, is the container's input."""
    return attach(ctx, parsed.args[0], attach_stdin=not parsed.get("no-stdin"),
                  sig_proxy=parsed.get("sig-proxy"), detach_keys=parsed.get("detach-keys") or "")


def start_command(ctx: Context, parsed) -> RunResult | None:
    """``%docker_start``: start containers, or start one attached (-a/-i)."""
    if not (parsed.get("attach") or parsed.get("interactive")):
        return lifecycle.start(ctx, parsed)
    if len(parsed.args) > 1:
        raise CommandError("you cannot start and attach multiple containers at once")
    return start_attached(ctx, parsed.args[0], interactive=parsed.get("interactive"),
                          detach_keys=parsed.get("detach-keys") or "")


def _stream(ctx: Context, info: dict, wait, *, stdin: bool, sig_proxy: bool, detach_keys: str,
            start: bool) -> RunResult:
    container_id = info["Id"]
    tty = bool(info["Config"].get("Tty"))
    stdin = stdin and bool(info["Config"].get("OpenStdin"))
    started = time.monotonic()
    sink = ctx.new_sink(container_id[:12])
    session = ctx.engine.attach(container_id, tty=tty, stdin=stdin, detach_keys=detach_keys)
    try:
        if start:
            ctx.engine.start(container_id)
        else:
            # The container may have stopped between the check and the attach.
            _check_state(ctx.engine.inspect_container(container_id))
        if stdin and info["Config"].get("StdinOnce"):
            session.send_and_close(ctx.stdin or b"")
        elif stdin:
            # The engine ends an attach's output when its stdin ends, unless the
            # container closes stdin after its first attach (StdinOnce).
            session.send(ctx.stdin or b"")
        try:
            session.pump(sink)
        except KeyboardInterrupt:
            raise _interrupted(ctx, container_id, session, sink, wait, sig_proxy) from None
        sink.finish()
        status = wait.status(lambda message: ctx.err(f"{message}\n"))
    finally:
        session.close()
    return RunResult(
        id=container_id, name=info["Name"].lstrip("/"), exit_status=status,
        stdout=sink.streams["stdout"].captured, stderr=sink.streams["stderr"].captured,
        log_paths=sink.log_paths, duration=time.monotonic() - started,
        removed=bool(info["HostConfig"].get("AutoRemove")))


def _interrupted(ctx: Context, container_id: str, session, sink, wait, sig_proxy: bool) -> Interrupted:
    """What an interrupt does to an attached container (see the module's docstring)."""
    if not sig_proxy:
        sink.finish()
        return Interrupted("Interrupted: detached; the container keeps running", exit_status=130)
    try:
        ctx.engine.kill(container_id, signal="SIGINT")
    except DaemonResponse:
        pass  # it exited meanwhile
    try:
        ended = session.drain(sink, ctx.settings.interrupt_grace)
    except KeyboardInterrupt:
        ended = False
    sink.finish()
    if ended:
        status = wait.status(lambda message: ctx.err(f"{message}\n"))
        return Interrupted(f"Interrupted: the container got SIGINT and exited with status {status}",
                           exit_status=status)
    return Interrupted("Interrupted: the container got SIGINT but did not exit; detached, it keeps "
                       "running", exit_status=130)
