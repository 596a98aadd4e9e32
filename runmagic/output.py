"""Turn a container's byte streams into bounded, coalesced notebook output.

Pure Python (no IPython, no docker): the runner feeds raw bytes per stream,
and an ``OutputSink`` decodes them (UTF-8, incrementally, so a character split
across frames arrives whole), normalises ``\\r\\n`` to ``\\n``, batches writes,
and stops writing live past ``live_limit`` bytes. Past the limit the full
stream goes to a log file, a rolling tail is kept, and when the stream ends
the tail is shown with a one-line notice naming the file. Jupyter drops output
silently beyond its IOPub rate limits, so the notebook never sees more than
the head, the tail and the notices, however much a container writes.

The order in which the container wrote to stdout and stderr is kept: the sink
queues pieces of both streams in arrival order, and writes them in that order,
syncing the writers between a piece of one stream and a piece of the other (a
kernel buffers its two streams separately).

A log file that cannot be written (an unwritable folder, a full disk) ends the
logging, not the run: the notice says why and names the file, and what was
shown so far stays.
"""

import codecs
import collections
import os
import time
import sys
from typing import Callable

Writer = Callable[[str], None]


class LineEndings:
    """Incremental ``\\r\\n`` -> ``\\n``, holding back a trailing ``\\r``."""

    def __init__(self):
        self._held_cr = False

    def feed(self, text: str) -> str:
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if text.endswith("\r"):
            self._held_cr = True
            text = text[:-1]
        return text.replace("\r\n", "\n")

    def finish(self) -> str:
        held, self._held_cr = self._held_cr, False
        return "\r" if held else ""


class StreamSink:
    """One output stream: the live head, then a log file and a rolling tail.
    ``emit(name, text)`` queues text to show, in the order of both streams."""

    def __init__(self, name: str, emit: Callable[[str, str], None], live_limit: int, tail_lines: int,
                 log_path: Callable[[str], str], capture_limit: int):
        self.name = name
        self._emit = emit
        self._live_limit = live_limit
        self._tail_lines = tail_lines
        self._log_path = log_path
        self._capture_limit = capture_limit
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._endings = LineEndings()
        self._head = bytearray()  # raw bytes while under the limit, for the log file
        self._captured: list[str] = []
        self._captured_chars = 0
        self.total_bytes = 0
        self.log_file = None
        self.log_path = ""
        #: Why the log file could not be written, once it could not.
        self.log_error = ""
        # Past the limit only the last bytes matter: enough for tail_lines lines.
        self._tail: collections.deque[bytes] = collections.deque()
        self._tail_bytes = 0

    @property
    def over_limit(self) -> bool:
        return self.total_bytes > self._live_limit

    def feed(self, data: bytes) -> None:
        self.total_bytes += len(data)
        if self.log_path:  # over the limit already
            self._log(data)
            self._remember_tail(data)
            return
        room = self._live_limit - len(self._head)
        if len(data) <= room:
            self._head += data
            self._show(data)
            return
        self._show(data[:room])
        self._head += data
        self._start_log(data[room:])

    def _show(self, data: bytes) -> None:
        text = self._endings.feed(self._decoder.decode(data))
        if text:
            self._emit(self.name, text)
            self._capture(text)

    def _capture(self, text: str) -> None:
        room = self._capture_limit - self._captured_chars
        if room > 0:
            piece = text[:room]
            self._captured.append(piece)
            self._captured_chars += len(piece)

    def _start_log(self, beyond: bytes) -> None:
        """The limit is reached: the head (which holds ``beyond`` too) starts the log file."""
        self.log_path = self._log_path(self.name)
        head, self._head = self._head, bytearray()
        try:
            os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
            self.log_file = open(self.log_path, "wb")
            self.log_file.write(head)
        except OSError as exc:
            self._log_failed(exc)
        self._remember_tail(beyond)
        if self.log_error:
            self._emit(self.name, f"\n[runmagic] {self.name} is over {self._live_limit:,} bytes and its "
                                  f"log cannot be written ({self.log_error}): the rest is not kept; its "
                                  "last lines follow when the container exits.\n")
            return
        self._emit(self.name,
                   f"\n[runmagic] {self.name} is over {self._live_limit:,} bytes: the rest goes to "
                   f"{self.log_path}; its last lines follow when the container exits.\n")

    def _log(self, data: bytes) -> None:
        if self.log_file is None:
            return
        try:
            self.log_file.write(data)
        except OSError as exc:
            self._log_failed(exc)

    def _log_failed(self, exc: OSError) -> None:
        self.log_error = f"{exc.strerror or exc} in {os.path.dirname(self.log_path)}"
        if self.log_file is not None:
            try:
                self.log_file.close()
            except OSError:
                pass
            self.log_file = None

    def _remember_tail(self, data: bytes) -> None:
        self._tail.append(data)
        self._tail_bytes += len(data)
        keep = max(4096, self._tail_lines * 512)
        while self._tail_bytes - len(self._tail[0]) >= keep:
            self._tail_bytes -= len(self._tail.popleft())

    def finish(self) -> None:
        """End of stream: the decoder's remainder, then the tail and notice."""
        if not self.over_limit:
            rest = self._endings.feed(self._decoder.decode(b"", final=True)) + self._endings.finish()
            if rest:
                self._emit(self.name, rest)
                self._capture(rest)
            return
        if self.log_file is not None:
            try:
                self.log_file.close()
            except OSError as exc:
                self._log_failed(exc)
            self.log_file = None
        tail = b"".join(self._tail).decode("utf-8", errors="replace").replace("\r\n", "\n")
        lines = tail.splitlines(keepends=True)[-self._tail_lines:] if self._tail_lines else []
        hidden = self.total_bytes - self._live_limit - sum(len(line.encode()) for line in lines)
        kept = (f"the log could not be written ({self.log_error})" if self.log_error
                else f"the full output is in {self.log_path}")
        self._emit(self.name, f"\n[runmagic] {self.name}: {self.total_bytes:,} bytes in all; "
                              f"{max(hidden, 0):,} not shown; {kept}\n")
        self._emit(self.name, "".join(lines))

    @property
    def captured(self) -> str:
        return "".join(self._captured)


class OutputSink:
    """The container's stdout and stderr, written live, in batches and in order.

    ``on_first_output`` runs after the first write (to send it at once);
    ``sync`` runs between a write to one stream and a write to the other, so
    that what buffers them (a kernel's streams) keeps their order.
    """

    def __init__(self, write_stdout: Writer, write_stderr: Writer, *, live_limit: int,
                 tail_lines: int, capture_limit: int, flush_interval: float,
                 log_path: Callable[[str], str], on_first_output: Callable[[], None] = lambda: None,
                 sync: Callable[[], None] | None = None):
        self._writers = {"stdout": write_stdout, "stderr": write_stderr}
        self.streams = {
            name: StreamSink(name, self._queue, live_limit, tail_lines, log_path, capture_limit)
            for name in ("stdout", "stderr")
        }
        #: (stream, text) in the order the container wrote them, same-stream pieces joined.
        self._pending: list[list] = []
        self._flush_interval = flush_interval
        self._last_flush = 0.0
        self._on_first_output = on_first_output
        self._sync = sync or on_first_output
        self._seen_output = False
        self._last_stream: str | None = None

    def _queue(self, stream: str, text: str) -> None:
        if self._pending and self._pending[-1][0] == stream:
            self._pending[-1][1].append(text)
        else:
            self._pending.append([stream, [text]])

    def feed(self, stream: str, data: bytes) -> None:
        self.streams[stream].feed(data)

    def notice(self, text: str) -> None:
        """runmagic's own line on stderr, in its place among the container's output."""
        self._queue("stderr", text)
        self.flush()

    def flush_due(self) -> float | None:
        """Seconds until pending output must be written, or None if none is pending."""
        if not self._pending:
            return None
        return max(0.0, self._last_flush + self._flush_interval - time.monotonic())

    def maybe_flush(self) -> None:
        due = self.flush_due()
        if due is not None and due <= 0:
            self.flush()

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        pending, self._pending = self._pending, []
        for stream, pieces in pending:
            if self._last_stream not in (None, stream):
                self._sync()
            self._writers[stream]("".join(pieces))
            self._last_stream = stream
        if pending and not self._seen_output:
            self._seen_output = True
            self._on_first_output()

    def finish(self) -> None:
        for sink in self.streams.values():
            sink.finish()
        self.flush()

    @property
    def log_paths(self) -> dict[str, str]:
        return {name: s.log_path for name, s in self.streams.items() if s.log_path}


# -- the running cell's streams -------------------------------------------------------


def _interrupt_kept(call, *args) -> None:
    """``call(*args)``, an interrupt raised as the KeyboardInterrupt it is. ipykernel's streams
    wait on threading primitives (a flush waits for its IO thread); an interrupt that lands
    while such a wait re-takes its lock leaves the lock free, and the ``with`` around it then
    raises RuntimeError("release unlocked lock") in place of the interrupt the caller handles."""
    try:
        call(*args)
    except RuntimeError as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise


def cell_writer(stream_name: str):
    """A writer for ``sys.stdout``/``sys.stderr`` that bypasses IPython 9's
    capture of every string written (which would keep gigabytes alive): it
    calls the stream type's own ``write``."""

    def write(text: str) -> None:
        stream = getattr(sys, stream_name)
        _interrupt_kept(type(stream).write, stream, text)

    return write


def flush_cell() -> None:
    """Send what is buffered now rather than at the kernel's next flush."""
    _interrupt_kept(sys.stdout.flush)
    _interrupt_kept(sys.stderr.flush)
