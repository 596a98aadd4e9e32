"""The kernel's end of an interactive session (``-it``, ``exec -it``, attach to a TTY).

Three ways to drive the TTY, chosen per cell (see :func:`choose_mode`):

- ``terminal``: the frontend renders a live terminal (runmagic's JupyterLab
  extension said so in the execute request's metadata, for the engine this
  kernel uses). The kernel publishes a terminal descriptor; the browser's
  xterm.js talks to the Jupyter server's websocket, which holds its own
  attach (or starts the exec) on the engine. The kernel keeps the lifecycle:
  it watches an output-only attach (the transcript) and the container's
  events (``attach``, ``detach``, ``exec_die``) and raises the exit status.
- ``line``: Jupyter's stdin channel (``input()``): each answer is typed into
  the TTY followed by Enter, an empty answer is Ctrl-D. When the frontend
  allows no stdin (nbclient, ``allow_stdin=False``), the TTY gets Ctrl-D, as
  when docker's stdin is at end of file.
- ``script``: the cell body, typed line by line, each once the output has
  settled; then Ctrl-D. This is where runmagic differs from docker, which
  refuses to pipe input into ``-t``: a notebook can show a terminal session
  reproducibly.

Whatever the mode, the cell's saved output is a readable transcript (see
:mod:`runmagic.terminals.screen`), never escape codes.
"""

from __future__ import annotations

import select
import socket
import threading
import time

from runmagic.errors import DaemonResponse, PlainError
from runmagic.terminals import descriptor
from runmagic.terminals.handoff import TRANSCRIPT_LIMIT
from runmagic.terminals.screen import Transcript, strip_sequences

#: Seconds of quiet output after which a session counts as waiting for input.
SETTLE = 0.3
#: Most seconds a script line waits for the output to settle before it is typed anyway.
SETTLE_LIMIT = 10.0
#: Seconds the kernel waits for the browser's terminal to connect before it falls back
#: to the line mode.
CONNECT_TIMEOUT = 10.0
#: The TTY size of the line and script modes (a terminal's default).
LINE_SIZE = (24, 80)
CTRL_D = b"\x04"
ENTER = b"\r"


def choose_mode(engine, script: bytes | None) -> str:
    if script is not None:
        return "script"
    return "terminal" if descriptor.frontend_renders_terminals(engine.endpoint.host) else "line"


def refused_attach(refusal: DaemonResponse) -> PlainError:
    """docker's words when the engine refuses an attach's upgrade (a bad ``--detach-keys``)."""
    status = refusal.status_code if getattr(refusal, "status_code", None) else 400
    return PlainError(f"unable to upgrade to tcp, received {status}")


class TranscriptSink:
    """A sink (as ``StreamSession.pump``/``drain`` feed) keeping the session's bytes."""

    def __init__(self, live=None):
        self.data = bytearray()
        self.live = live  # an OutputSink showing the output as it comes (line mode)
        self.last_output = time.monotonic()

    def feed(self, stream: str, data: bytes) -> None:
        self.last_output = time.monotonic()
        self.data += data
        if len(self.data) > TRANSCRIPT_LIMIT * 2:
            del self.data[:-TRANSCRIPT_LIMIT]
        if self.live is not None:
            self.live.feed(stream, strip_sequences(data))

    def notice(self, text: str) -> None:
        """runmagic's own line (the interrupt ladder's): shown live in line mode, and kept
        in the transcript in its place."""
        self.data += text.replace("\n", "\r\n").encode()
        if self.live is not None:
            self.live.notice(text)

    def typed(self) -> None:
        """Input was just sent: its echo and answer count as output still to come."""
        self.last_output = time.monotonic()

    def maybe_flush(self) -> None:
        if self.live is not None:
            self.live.maybe_flush()

    def flush_due(self):
        return self.live.flush_due() if self.live is not None else None

    def flush(self) -> None:
        if self.live is not None:
            self.live.flush()

    def finish(self) -> None:
        if self.live is not None:
            self.live.finish()

    def text(self, size=LINE_SIZE) -> str:
        screen = Transcript(*size)
        screen.feed(bytes(self.data))
        return screen.text()

    def captured(self, size=LINE_SIZE) -> str:
        """The transcript as a result's stdout: lines ending with a newline, as a stream's."""
        text = self.text(size)
        return text + "\n" if text else ""


class EventWatch:
    """The container's events, read by a thread; wakes a ``select`` through a socket pair."""

    def __init__(self, engine, container_id: str, events: list[str]):
        self._stream = engine.events(filters={"container": [container_id], "event": events})
        self.seen: list[dict] = []
        self._lock = threading.Lock()
        self.wake_reader, self._wake_writer = socket.socketpair()
        threading.Thread(target=self._read, daemon=True, name="runmagic-terminal-events").start()

    def _read(self) -> None:
        try:
            for event in self._stream:
                with self._lock:
                    self.seen.append(event)
                self._wake()
        except Exception:  # closed, or the engine went away: the main thread sees the rest
            pass

    def _wake(self) -> None:
        try:
            self._wake_writer.send(b".")
        except OSError:
            pass

    def fileno(self) -> int:
        return self.wake_reader.fileno()

    def clear_wake(self) -> None:
        try:
            self.wake_reader.recv(4096)
        except OSError:
            pass

    def find(self, action: str, exec_id: str = "") -> bool:
        with self._lock:
            return any(e.get("Action", "").split(":")[0] == action
                       and (not exec_id or (e.get("Actor") or {}).get("Attributes", {}).get("execID") == exec_id)
                       for e in self.seen)

    def wait_for(self, action: str, timeout: float | None, exec_id: str = "") -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.find(action, exec_id):
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            select.select([self], [], [], left)
            self.clear_wake()
        return True

    def close(self) -> None:
        self._stream.close()
        self.wake_reader.close()
        self._wake_writer.close()


def settle(out, sink: TranscriptSink, limit: float = SETTLE_LIMIT) -> bool:
    """Read output until it has been quiet for SETTLE seconds (or ``limit`` passed);
    True if the stream ended."""
    deadline = time.monotonic() + limit
    while True:
        quiet_for = time.monotonic() - sink.last_output
        wait = min(SETTLE - quiet_for, deadline - time.monotonic())
        if wait <= 0:
            return False
        if out.drain(sink, wait):
            return True


def follow(out, sink: TranscriptSink, events: EventWatch | None, detach_action: str = "detach",
           exec_id: str = "") -> str:
    """Read the kernel's output attach until it ends ("exited") or a detach event ("detached")."""
    watched = [out] + ([events] if events is not None else [])
    early = out.take_early()
    if early:
        sink.feed("stdout", early)
    while True:
        readable, _, _ = select.select(watched, [], [])
        if events is not None and events in readable:
            events.clear_wake()
            if events.find(detach_action, exec_id):
                return "detached"
        if out in readable:
            data = out.read_some()
            if not data:
                return "exited"
            sink.feed("stdout", data)


def run_script(out, stdin, sink: TranscriptSink, lines: list[str]) -> bool:
    """Type ``lines`` into the TTY; True if the stream ended meanwhile."""
    for line in lines:
        if settle(out, sink):
            return True
        stdin.send(line.encode() + ENTER)
        sink.typed()
    if settle(out, sink):
        return True
    stdin.send(CTRL_D)
    return False


def run_lines(out, stdin, sink: TranscriptSink) -> bool:
    """Ask for lines through ``input()`` (the kernel's stdin channel: ipykernel replaces the
    builtin for each execution, so it is looked up on every call) until the stream ends;
    True if it did. No stdin in this frontend (StdinNotImplementedError) sends Ctrl-D."""
    import builtins

    from IPython.core.error import StdinNotImplementedError

    while True:
        if settle(out, sink, limit=SETTLE):
            return True
        sink.flush()
        try:
            answer = builtins.input("")
        except (StdinNotImplementedError, EOFError):
            stdin.send(CTRL_D)
            return False
        if out.drain(sink, 0):
            return True
        stdin.send(answer.encode() + ENTER if answer else CTRL_D)
        sink.typed()


def read_to_end(out, sink: TranscriptSink) -> None:
    """The rest of the output, until the stream ends."""
    out.pump(sink)
