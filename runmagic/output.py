"""Turn a container's byte streams into bounded, coalesced notebook output.

Pure Python (no IPython, no docker): the runner feeds raw bytes per stream,
and an ``OutputSink`` decodes them (UTF-8, incrementally, so a character split
across frames arrives whole), normalises ``\\r\\n`` to ``\\n``, batches writes,
and stops writing live past ``live_limit`` bytes. Past the limit the full
stream goes to a log file, a rolling tail is kept, and when the stream ends
the tail is shown with a one-line notice naming the file. Jupyter drops output
silently beyond its IOPub rate limits, so the notebook never sees more than
the head, the tail and the notices, however much a container writes.
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
    """One output stream: the live head, then a log file and a rolling tail."""

    def __init__(self, name: str, write: Writer, live_limit: int, tail_lines: int,
                 log_path: Callable[[str], str], capture_limit: int):
        self.name = name
        self._write = write
        self._live_limit = live_limit
        self._tail_lines = tail_lines
        self._log_path = log_path
        self._capture_limit = capture_limit
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._endings = LineEndings()
        self._pending: list[str] = []
        self._head = bytearray()  # raw bytes while under the limit, for the log file
        self._captured: list[str] = []
        self._captured_chars = 0
        self.total_bytes = 0
        self.log_file = None
        self.log_path = ""
        # Past the limit only the last bytes matter: enough for tail_lines lines.
        self._tail: collections.deque[bytes] = collections.deque()
        self._tail_bytes = 0

    @property
    def over_limit(self) -> bool:
        return self.log_file is not None

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def feed(self, data: bytes) -> None:
        self.total_bytes += len(data)
        if self.log_file is not None:
            self.log_file.write(data)
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
            self._pending.append(text)
            self._capture(text)

    def _capture(self, text: str) -> None:
        room = self._capture_limit - self._captured_chars
        if room > 0:
            piece = text[:room]
            self._captured.append(piece)
            self._captured_chars += len(piece)

    def _start_log(self, beyond: bytes) -> None:
        self.log_path = self._log_path(self.name)
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log_file = open(self.log_path, "wb")
        self.log_file.write(self._head)
        self._head = bytearray()
        self._remember_tail(beyond)
        self._pending.append(
            f"\n[runmagic] {self.name} is over {self._live_limit:,} bytes: the rest goes to "
            f"{self.log_path}; its last lines follow when the container exits.\n"
        )

    def _remember_tail(self, data: bytes) -> None:
        self._tail.append(data)
        self._tail_bytes += len(data)
        keep = max(4096, self._tail_lines * 512)
        while self._tail_bytes - len(self._tail[0]) >= keep:
            self._tail_bytes -= len(self._tail.popleft())

    def take_pending(self) -> str:
        text = "".join(self._pending)
        self._pending.clear()
        return text

    def flush(self) -> None:
        if self._pending:
            self._write(self.take_pending())

    def finish(self) -> None:
        """End of stream: the decoder's remainder, then the tail and notice."""
        if self.log_file is None:
            rest = self._endings.feed(self._decoder.decode(b"", final=True)) + self._endings.finish()
            if rest:
                self._pending.append(rest)
                self._capture(rest)
            self.flush()
            return
        self.log_file.close()
        tail = b"".join(self._tail).decode("utf-8", errors="replace").replace("\r\n", "\n")
        lines = tail.splitlines(keepends=True)[-self._tail_lines:] if self._tail_lines else []
        hidden = self.total_bytes - self._live_limit - sum(len(line.encode()) for line in lines)
        self._pending.append(
            f"\n[runmagic] {self.name}: {self.total_bytes:,} bytes in all; "
            f"{max(hidden, 0):,} not shown; the full output is in {self.log_path}\n"
        )
        self._pending.append("".join(lines))
        self.flush()

    @property
    def captured(self) -> str:
        return "".join(self._captured)


class OutputSink:
    """The container's stdout and stderr, written live and in batches."""

    def __init__(self, write_stdout: Writer, write_stderr: Writer, *, live_limit: int,
                 tail_lines: int, capture_limit: int, flush_interval: float,
                 log_path: Callable[[str], str], on_first_output: Callable[[], None] = lambda: None):
        self.streams = {
            "stdout": StreamSink("stdout", write_stdout, live_limit, tail_lines, log_path, capture_limit),
            "stderr": StreamSink("stderr", write_stderr, live_limit, tail_lines, log_path, capture_limit),
        }
        self._flush_interval = flush_interval
        self._last_flush = 0.0
        self._on_first_output = on_first_output
        self._seen_output = False

    def feed(self, stream: str, data: bytes) -> None:
        self.streams[stream].feed(data)

    def flush_due(self) -> float | None:
        """Seconds until pending output must be written, or None if none is pending."""
        if not any(s.has_pending for s in self.streams.values()):
            return None
        return max(0.0, self._last_flush + self._flush_interval - time.monotonic())

    def maybe_flush(self) -> None:
        due = self.flush_due()
        if due is not None and due <= 0:
            self.flush()

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        for sink in self.streams.values():
            sink.flush()
        if not self._seen_output:
            self._seen_output = True
            self._on_first_output()

    def finish(self) -> None:
        for sink in self.streams.values():
            sink.finish()

    @property
    def log_paths(self) -> dict[str, str]:
        return {name: s.log_path for name, s in self.streams.items() if s.log_path}


# -- the running cell's streams -------------------------------------------------------


def cell_writer(stream_name: str):
    """A writer for ``sys.stdout``/``sys.stderr`` that bypasses IPython 9's
    capture of every string written (which would keep gigabytes alive): it
    calls the stream type's own ``write``."""

    def write(text: str) -> None:
        stream = getattr(sys, stream_name)
        type(stream).write(stream, text)

    return write


def flush_cell() -> None:
    """Send what is buffered now rather than at the kernel's next flush."""
    sys.stdout.flush()
    sys.stderr.flush()
