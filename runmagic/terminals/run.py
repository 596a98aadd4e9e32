"""``docker run -it``: the Runner's create and interrupt ladder, with an interactive TTY.

The order: create (the Runner's), attach the kernel's session (output only in
the terminal mode, with stdin in the line and script modes; ``--detach-keys``
goes on it, so the engine refuses a bad value before anything starts),
register the wait, start, drive the TTY (see :mod:`runmagic.terminals.console`),
then the exit status, or a detach.

In the terminal mode the container starts only once the browser's terminal
has attached (the engine's ``attach`` event), so the shell's banner and first
prompt reach it; if no terminal connects within ``CONNECT_TIMEOUT`` the
kernel falls back to the line mode.

An interrupt climbs the Runner's ladder (SIGINT, ``interrupt_grace``, the
stop signal, SIGKILL after ``interrupt_kill_delay``): a shell on a TTY
ignores SIGINT and SIGTERM, so the cell is back within the grace plus about
a second, and a ``--rm`` container is gone.
"""

from __future__ import annotations

import time

from runmagic.commands.handle import ContainerHandle
from runmagic.commands.run import Runner, as_run_error
from runmagic.errors import DaemonResponse, Interrupted
from runmagic.result import RunResult
from runmagic.terminals import console
from runmagic.terminals.console import EventWatch, TranscriptSink
from runmagic.terminals.descriptor import TerminalOutput


class InteractiveRunner(Runner):
    """A Runner for ``-it`` without ``-d``; ``script`` is the cell body, if any."""

    def __init__(self, *args, script: bytes | None = None, **kwargs):
        super().__init__(*args, stdin=None, **kwargs)
        self.script = script

    def _attach(self, stdin: bool, output: bool = True):
        try:
            return self.engine.attach(self.container_id, tty=True, stdin=stdin,
                                      stdout=output and self.plan.attach_stdout,
                                      stderr=output and self.plan.attach_stderr,
                                      detach_keys=self.plan.detach_keys)
        except DaemonResponse as refusal:
            # docker leaves the created container; runmagic removes it when --rm asked it to go.
            if self.plan.auto_remove:
                self._remove_quietly()
            raise console.refused_attach(refusal) from None

    def _run_attached(self):
        mode = console.choose_mode(self.engine, self.script)
        began = time.monotonic()
        live = None
        if mode != "script":
            live = self._live_sink()
        sink = TranscriptSink(live if mode == "line" else None)
        out = self._attach(stdin=mode != "terminal")
        wait = events = terminal = stdin = None
        started = False
        if self.reaper is not None:
            self.reaper.register(self.container_id)
        outcome = "exited"
        try:
            try:
                wait = self.engine.open_wait(self.container_id,
                                             "removed" if self.plan.auto_remove else "next-exit")
                if mode == "terminal":
                    events = EventWatch(self.engine, self.container_id, ["attach", "detach"])
                    terminal = TerminalOutput(container=self.container_id, name=self.name,
                                              detach_keys=self.plan.detach_keys)
                    if not events.wait_for("attach", console.CONNECT_TIMEOUT):
                        mode = "line"  # nobody connected: the stdin channel it is
                        self.write_stderr("[runmagic] no terminal connected: reading lines instead\n")
                        sink.live = live
                self._start()
                started = True
                if mode == "terminal":
                    outcome = console.follow(out, sink, events)
                else:
                    # The kernel's attach carries stdin, unless it was made for a terminal.
                    stdin = self._attach(stdin=True, output=False) if terminal is not None else None
                    self.engine.resize(self.container_id, *console.LINE_SIZE)
                    if mode == "script":
                        ended = console.run_script(out, stdin or out, sink, self._script_lines())
                    else:
                        ended = console.run_lines(out, stdin or out, sink)
                    if not ended:
                        console.read_to_end(out, sink)
                    if self._running():
                        outcome = "detached"
                status = None if outcome == "detached" else self._status(wait)
            except KeyboardInterrupt:
                # Interrupted before start, nothing ran: the Runner's ladder for that case.
                status = self._interrupt(out, sink, wait if started else None)
                sink.finish()
                self._show_end(mode, terminal, sink, "exited", status)
                raise Interrupted(self._interrupt_message(status), exit_status=status) from None
            except DaemonResponse as refusal:
                raise as_run_error(refusal) from None
            sink.finish()
        finally:
            self._release(stdin, out, wait, events)
        self._show_end(mode, terminal, sink, outcome, status)
        if outcome == "detached":
            self.write_stderr(f"[runmagic] detached: {self.name} keeps running "
                              f"(%docker_attach {self.name} to come back)\n")
            return ContainerHandle(self.engine, self.container_id, self.name)
        return RunResult(id=self.container_id, name=self.name, exit_status=status,
                         stdout=sink.captured(), duration=time.monotonic() - began,
                         removed=self.plan.auto_remove)

    def _live_sink(self):
        from runmagic.output import OutputSink

        return OutputSink(
            self.write_stdout, self.write_stderr,
            live_limit=self.settings.live_limit, tail_lines=self.settings.tail_lines,
            capture_limit=self.settings.capture_limit, flush_interval=self.settings.flush_interval,
            log_path=self._log_path, on_first_output=self.on_first_output)

    def _script_lines(self) -> list[str]:
        return self.script.decode().rstrip("\n").split("\n")

    def _running(self) -> bool:
        try:
            return bool(self.engine.inspect_container(self.container_id)["State"].get("Running"))
        except DaemonResponse:
            return False

    def _show_end(self, mode, terminal, sink, outcome, status) -> None:
        """The transcript: in place of the live terminal, or printed (script mode)."""
        if terminal is not None:
            terminal.end(outcome, sink.text(), status)
        elif mode == "script":
            text = sink.text()
            if text:
                self.write_stdout(text + "\n")
