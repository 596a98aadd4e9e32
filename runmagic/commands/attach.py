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
"""

from __future__ import annotations

import time

import docker.errors

from runmagic.engine import session as streaming
from runmagic.errors import Interrupted
from runmagic.result import RunResult
from runmagic.engine import requests as daemon
from runmagic.commands import lifecycle
from runmagic.engine import responses as streams
from runmagic.engine.requests import Context
from runmagic.errors import CommandError


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
    try:
        wait = streams.open_wait(ctx.api, ref, "")
    except docker.errors.APIError as exc:
        raise daemon.daemon_error(exc) from None
    try:
        info = daemon.container(ctx.api, ref)
        _check_state(info)
        return _stream(ctx, info, wait, stdin=attach_stdin and ctx.stdin is not None,
                       sig_proxy=sig_proxy, detach_keys=detach_keys, start=False)
    finally:
        streams.close_quietly(wait)


def start_attached(ctx: Context, ref: str, *, interactive: bool, detach_keys: str = "") -> RunResult:
    """``%docker_start -a``: start a container and stream it like a foreground run."""
    info = daemon.container(ctx.api, ref)
    condition = "removed" if info["HostConfig"].get("AutoRemove") else "next-exit"
    try:
        wait = streams.open_wait(ctx.api, info["Id"], condition)
    except docker.errors.APIError as exc:
        raise daemon.daemon_error(exc) from None
    try:
        # docker start -a forwards signals (with a TTY, the terminal's ^C does);
        # a notebook has no terminal, so an interrupt is forwarded as SIGINT.
        return _stream(ctx, info, wait, stdin=interactive and ctx.stdin is not None,
                       sig_proxy=True, detach_keys=detach_keys, start=True)
    finally:
        streams.close_quietly(wait)


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
    params = {"stdin": int(stdin), "stdout": 1, "stderr": 1, "stream": 1}
    if detach_keys:
        params["detachKeys"] = detach_keys
    started = time.monotonic()
    sink = streams.new_sink(ctx, container_id[:12])
    wrapper = sock = None
    try:
        try:
            wrapper = ctx.api.attach_socket(container_id, params=params)
        except docker.errors.APIError as exc:
            raise daemon.daemon_error(exc) from None
        sock = streams.raw_socket(wrapper)
        ctx.api._disable_socket_timeout(wrapper)
        if start:
            daemon.post(ctx.api, "/containers/{0}/start", container_id)
        else:
            # The container may have stopped between the check and the attach.
            _check_state(daemon.container(ctx.api, container_id))
        if stdin and info["Config"].get("StdinOnce"):
            streaming.send_stdin(sock, ctx.stdin or b"")
        elif stdin:
            # The engine ends an attach's output when its stdin ends, unless the
            # container closes stdin after its first attach (StdinOnce).
            streams.send_keep_open(sock, ctx.stdin or b"")
        try:
            streaming.pump(sock, sink, tty)
        except KeyboardInterrupt:
            raise _interrupted(ctx, container_id, sock, sink, wait, tty, sig_proxy) from None
        sink.finish()
        status = streams.read_wait(wait, ctx.err)
    finally:
        streams.close_quietly(wrapper, sock)
    return RunResult(
        id=container_id, name=info["Name"].lstrip("/"), exit_status=status,
        stdout=sink.streams["stdout"].captured, stderr=sink.streams["stderr"].captured,
        log_paths=sink.log_paths, duration=time.monotonic() - started,
        removed=bool(info["HostConfig"].get("AutoRemove")))


def _interrupted(ctx: Context, container_id: str, sock, sink, wait, tty: bool,
                 sig_proxy: bool) -> Interrupted:
    """What an interrupt does to an attached container (see the module's docstring)."""
    if not sig_proxy:
        sink.finish()
        return Interrupted("Interrupted: detached; the container keeps running", exit_status=130)
    try:
        ctx.api.kill(container_id, signal="SIGINT")
    except docker.errors.APIError:
        pass  # it exited meanwhile
    try:
        ended = streaming.drain(sock, sink, tty, ctx.settings.interrupt_grace)
    except KeyboardInterrupt:
        ended = False
    sink.finish()
    if ended:
        status = streams.read_wait(wait, ctx.err)
        return Interrupted(f"Interrupted: the container got SIGINT and exited with status {status}",
                           exit_status=status)
    return Interrupted("Interrupted: the container got SIGINT but did not exit; detached, it keeps "
                       "running", exit_status=130)
