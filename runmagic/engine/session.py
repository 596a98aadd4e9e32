"""One stream session: the bytes of an attach, exec or logs stream, in and out.

Every streaming command (run, attach, start -a, exec, logs -f, and the
terminals) holds a :class:`StreamSession` over the engine's hijacked
connection. docker multiplexes stdout and stderr on one socket unless there
is a TTY: each frame is an 8-byte header (stream, 3 zero bytes, big-endian
length) and its payload. :meth:`StreamSession.pump` reads in large chunks,
demultiplexes whole frames into an ``OutputSink`` and lets the sink's
coalescing decide when to write; while output is pending it waits on the
socket only until the flush is due. A kernel interrupt raises
KeyboardInterrupt in the main thread even while it waits here.

A logs response is chunked HTTP rather than a hijacked socket, so a thread
copies its body into one end of a socket pair and the session reads the
other: the same batching, flood control and interrupt path.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time

STREAM_NAMES = {1: "stdout", 2: "stderr"}
_HEADER = struct.Struct(">BxxxL")
READ_SIZE = 256 * 1024
#: Bodies up to this size fit the socket buffers; larger ones are written by a thread.
_INLINE_STDIN = 64 * 1024


def demux(pending: bytearray, sink) -> int:
    """Feed every whole frame of ``pending`` to ``sink``; return the bytes used."""
    offset, size = 0, len(pending)
    while size - offset >= 8:
        kind, length = _HEADER.unpack_from(pending, offset)
        end = offset + 8 + length
        if end > size:
            break
        sink.feed(STREAM_NAMES.get(kind, "stdout"), bytes(pending[offset + 8:end]))
        offset = end
    return offset


class _Collector:
    """A sink that keeps everything, in order."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def feed(self, stream: str, data: bytes) -> None:
        self.chunks.append(data)


def demultiplex(data: bytes, tty: bool) -> bytes:
    """A whole multiplexed body as the bytes of both streams, in order."""
    if tty:
        return data
    collector = _Collector()
    demux(bytearray(data), collector)
    return b"".join(collector.chunks)


class _Reader:
    """Feeds what arrives on a socket to a sink, raw or demultiplexed."""

    def __init__(self, sink, tty: bool):
        self.sink = sink
        self.tty = tty
        self.pending = bytearray()

    def feed(self, data) -> None:
        if self.tty:
            self.sink.feed("stdout", bytes(data))
        else:
            self.pending += data
            del self.pending[:demux(self.pending, self.sink)]
        self.sink.maybe_flush()


def close_quietly(*closables) -> None:
    for closable in closables:
        if closable is not None:
            try:
                closable.close()
            except OSError:
                pass


class StreamSession:
    """A container's streams over one connection to the engine.

    ``sock`` is the connected socket to read (and, for an attach or exec with
    stdin, to write); ``closables`` are what must be closed with it (docker-py's
    socket wrapper, a response). ``on_broken`` turns a socket error into the
    error to raise (the engine package passes one that names the engine).
    ``failure``, when the socket is fed by a copy of a response body, gives the
    error that ended the copy (None for a whole body): the end of the socket is
    then a broken connection, not the end of the stream. ``early``: the stream's
    first bytes, read off the connection with the engine's answer; every read
    gives them first.
    """

    def __init__(self, sock, tty: bool, *, closables=(), on_broken=None, failure=None,
                 early: bytes = b""):
        self.sock = sock
        self.tty = tty
        self._closables = closables
        self._on_broken = on_broken or (lambda exc: exc)
        self._failure = failure or (lambda: None)
        self._early = early

    def fileno(self) -> int:
        return self.sock.fileno()

    # -- input ----------------------------------------------------------------

    def _write(self, data: bytes, close: bool) -> None:
        try:
            if data:
                self.sock.sendall(data)
            if close:
                self.sock.shutdown(socket.SHUT_WR)
        except OSError:  # the container exited without reading all of it, as with a pipe
            pass

    def _write_soon(self, data: bytes, close: bool) -> None:
        if len(data) <= _INLINE_STDIN:
            self._write(data, close)
        else:  # a large body must not block while the container waits on its own output
            threading.Thread(target=self._write, args=(data, close), daemon=True,
                             name="runmagic-stdin").start()

    def send_and_close(self, data: bytes) -> None:
        """Send ``data`` and half-close, so the container reads it and then EOF."""
        self._write_soon(data, close=True)

    def send(self, data: bytes) -> None:
        """Send ``data`` and leave stdin open (what typing into a terminal does)."""
        self._write_soon(data, close=False)

    # -- output ---------------------------------------------------------------

    def _recv_into(self, buffer) -> int:
        try:
            return self.sock.recv_into(buffer)
        except (ConnectionError, TimeoutError) as exc:
            raise self._on_broken(exc) from None

    def take_early(self) -> bytes:
        """The bytes that came with the engine's answer, once (a caller that waits on the
        socket with ``select`` takes them first: the socket no longer holds them)."""
        early, self._early = self._early, b""
        return early

    def pump(self, sink) -> None:
        """Read the stream to its end, writing output as the sink's batching allows."""
        buffer = bytearray(READ_SIZE)
        view = memoryview(buffer)
        reader = _Reader(sink, self.tty)
        if self._early:
            reader.feed(self.take_early())
        while True:
            due = sink.flush_due()
            if due is not None and due > 0:
                readable, _, _ = select.select([self.sock], [], [], due)
                if not readable:
                    sink.flush()
                    continue
            count = self._recv_into(buffer)
            if not count:
                failure = self._failure()
                if failure is not None:
                    raise self._on_broken(failure)
                return
            reader.feed(view[:count])

    def read_some(self) -> bytes:
        """The next bytes as they arrive, unbatched (a terminal's output); b"" at the end,
        also when the session was closed from another thread."""
        if self._early:
            return self.take_early()
        try:
            return self.sock.recv(READ_SIZE)
        except OSError:
            return b""

    def drain(self, sink, timeout: float) -> bool:
        """Read what is left for up to ``timeout`` seconds; True if the stream ended."""
        deadline = time.monotonic() + timeout
        reader = _Reader(sink, self.tty)
        if self._early:
            reader.feed(self.take_early())
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            readable, _, _ = select.select([self.sock], [], [], left)
            if not readable:
                return False
            try:
                chunk = self.sock.recv(READ_SIZE)
            except OSError:
                return True
            if not chunk:
                return True
            reader.feed(chunk)

    def close(self) -> None:
        close_quietly(*self._closables, self.sock)


class ResponseBody:
    """The body of a streamed HTTP response as a socket a session can read."""

    def __init__(self, response, connection):
        self.response = response
        self._connection = connection
        self._error: Exception | None = None
        self.reader, writer = socket.socketpair()

        def copy() -> None:
            try:
                for chunk in response.raw.stream(READ_SIZE, decode_content=False):
                    writer.sendall(chunk)
            except Exception as exc:  # shut down here, or broken: the reader sees the end
                self._error = exc
            finally:
                writer.close()

        threading.Thread(target=copy, daemon=True, name="runmagic-response").start()

    def failure(self) -> Exception | None:
        """What ended the copy before the body's end (None if it ended whole)."""
        return self._error

    def close(self) -> None:
        # Shut the connection down first: the copying thread is blocked reading
        # it, and closing the response would wait for that read to return.
        try:
            self._connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        close_quietly(self.response)
