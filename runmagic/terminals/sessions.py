"""``docker attach`` to a TTY container and ``docker exec -it``, as interactive sessions.

The modes are those of :mod:`runmagic.terminals.console`. An interrupt
detaches, as :mod:`runmagic.commands.attach` and
:mod:`runmagic.commands.execute` do: runmagic never stops a container it
attached to, and the Engine API cannot signal an exec's process.

An exec's output goes to whoever started it: in the terminal mode that is
the server's websocket, and the server hands the session's output to the
kernel for its transcript when it ends (:mod:`runmagic.terminals.handoff`).
"""

from __future__ import annotations

import time

from runmagic.errors import DaemonResponse, Interrupted
from runmagic.result import ExecResult, RunResult
from runmagic.terminals import console, handoff
from runmagic.terminals.console import EventWatch, TranscriptSink
from runmagic.terminals.descriptor import TerminalOutput


#: Seconds the kernel waits, after an exec's end, for the server to hand its output over.
HANDOFF_WAIT = 2.0


def _script(ctx) -> list[str] | None:
    return None if ctx.stdin is None else ctx.stdin.decode().rstrip("\n").split("\n")


def _drive(ctx, out, stdin, sink: TranscriptSink, mode: str) -> None:
    """The line or script mode over ``out`` (output) and ``stdin``, to the stream's end."""
    if mode == "script":
        ended = console.run_script(out, stdin, sink, _script(ctx))
    else:
        ended = console.run_lines(out, stdin, sink)
    if not ended:
        console.read_to_end(out, sink)


def _show(ctx, mode: str, terminal, sink: TranscriptSink, outcome: str, status,
          size=console.LINE_SIZE) -> None:
    if terminal is not None:
        # An exec's output handed over by a server that shares no runtime directory with
        # this kernel never arrives: say where it was shown.
        text = sink.text(size) or f"[the session's output was shown in its terminal; {outcome}" + (
            f" with status {status}]" if status is not None else "]")
        terminal.end(outcome, text, status)
    elif mode == "script" and sink.data:
        ctx.out(sink.text() + "\n")


def attach_terminal(ctx, info: dict, wait, detach_keys: str) -> RunResult | None:
    """``%docker_attach`` to a running container with a TTY and stdin open."""
    container_id, name = info["Id"], info["Name"].lstrip("/")
    mode = console.choose_mode(ctx.engine, ctx.stdin)
    started = time.monotonic()
    sink = TranscriptSink(ctx.new_sink(container_id[:12]) if mode == "line" else None)
    try:
        out = ctx.engine.attach(container_id, tty=True, stdin=mode != "terminal", detach_keys=detach_keys)
    except DaemonResponse as refusal:
        raise console.refused_attach(refusal) from None
    events = terminal = None
    outcome, status = "exited", None
    try:
        if mode == "terminal":
            events = EventWatch(ctx.engine, container_id, ["detach"])
            terminal = TerminalOutput(container=container_id, name=name, detach_keys=detach_keys)
            outcome = console.follow(out, sink, events)
        else:
            _drive(ctx, out, out, sink, mode)
            if _running(ctx.engine, container_id):
                outcome = "detached"
        sink.finish()
        if outcome == "exited":
            status = wait.status(lambda message: ctx.err(f"{message}\n"))
    except KeyboardInterrupt:
        sink.finish()
        _show(ctx, mode, terminal, sink, "detached", None)
        raise Interrupted("Interrupted: detached; the container keeps running", exit_status=130) from None
    finally:
        for closable in (out, events):
            if closable is not None:
                closable.close()
    _show(ctx, mode, terminal, sink, outcome, status)
    if outcome == "detached":
        ctx.err(f"[runmagic] detached: {name} keeps running\n")
        return None
    return RunResult(id=container_id, name=name, exit_status=status, stdout=sink.captured(),
                     duration=time.monotonic() - started,
                     removed=bool(info["HostConfig"].get("AutoRemove")))


def exec_terminal(ctx, container_id: str, name: str, exec_id: str, detach_keys: str = "") -> ExecResult:
    """``%docker_exec -it``: the exec created, not started (whoever starts it gets its streams)."""
    mode = console.choose_mode(ctx.engine, ctx.stdin)
    started = time.monotonic()
    sink = TranscriptSink(ctx.new_sink(f"{container_id[:12]}-exec-{exec_id[:12]}") if mode == "line" else None)
    events = terminal = out = None
    size = console.LINE_SIZE
    try:
        if mode == "terminal":
            events = EventWatch(ctx.engine, container_id, ["exec_start", "exec_die"])
            terminal = TerminalOutput(container=container_id, name=name, exec_id=exec_id,
                                      detach_keys=detach_keys)
            if events.wait_for("exec_start", console.CONNECT_TIMEOUT, exec_id):
                events.wait_for("exec_die", None, exec_id)
                handed = handoff.take(exec_id, HANDOFF_WAIT)
                if handed is not None:
                    sink.feed("stdout", handed.data)
                    size = handed.size
            else:
                mode = "line"
                ctx.err("[runmagic] no terminal connected: reading lines instead\n")
                sink.live = ctx.new_sink(f"{container_id[:12]}-exec-{exec_id[:12]}")
        if mode != "terminal":
            out = ctx.engine.exec_start(exec_id, tty=True)
            try:
                ctx.engine.exec_resize(exec_id, *console.LINE_SIZE)
            except DaemonResponse:
                pass  # it already ended
            _drive(ctx, out, out, sink, mode)
        sink.finish()
    except KeyboardInterrupt:
        sink.finish()
        _show(ctx, mode, terminal, sink, "detached", None)
        raise Interrupted(
            "Interrupted: detached from the command; the Engine API cannot signal an exec, "
            "so it may still be running in the container", exit_status=130) from None
    finally:
        for closable in (out, events):
            if closable is not None:
                closable.close()
    info = ctx.engine.exec_inspect(exec_id)
    status = info.get("ExitCode")
    outcome = "detached" if info.get("Running") else "exited"
    _show(ctx, mode, terminal, sink, outcome, status, size)
    return ExecResult(container_id, exec_id, status if status is not None else -1,
                      stdout=sink.captured(size), duration=time.monotonic() - started)


def _running(engine, container_id: str) -> bool:
    try:
        return bool(engine.inspect_container(container_id)["State"].get("Running"))
    except DaemonResponse:
        return False
