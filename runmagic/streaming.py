"""Moving bytes over an attach (or exec) socket: the hot path.

docker multiplexes stdout and stderr on one socket unless there is a TTY:
each frame is an 8-byte header (stream, 3 zero bytes, big-endian length)
and its payload. ``pump`` reads in large chunks, demultiplexes whole frames
into an ``OutputSink`` and lets the sink's coalescing decide when to write;
when output is pending it waits on the socket only until the flush is due.
"""

import select
import socket
import struct
import threading
import time

from .output import OutputSink

STREAM_NAMES = {1: "stdout", 2: "stderr"}
_HEADER = struct.Struct(">BxxxL")
READ_SIZE = 256 * 1024
#: Bodies up to this size fit the socket buffers; larger ones are written by a thread.
_INLINE_STDIN = 64 * 1024


def demux(pending: bytearray, sink: OutputSink) -> int:
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


class _Reader:
    """Feeds what arrives on a socket to a sink, raw or demultiplexed."""

    def __init__(self, sink: OutputSink, tty: bool):
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


def pump(sock, sink: OutputSink, tty: bool) -> None:
    """Read the stream to its end, writing output as the sink's batching allows."""
    buffer = bytearray(READ_SIZE)
    view = memoryview(buffer)
    reader = _Reader(sink, tty)
    while True:
        due = sink.flush_due()
        if due is not None and due > 0:
            readable, _, _ = select.select([sock], [], [], due)
            if not readable:
                sink.flush()
                continue
        count = sock.recv_into(buffer)
        if not count:
            return
        reader.feed(view[:count])


def drain(sock, sink: OutputSink, tty: bool, timeout: float) -> bool:
    """Read what is left for up to ``timeout`` seconds; True if the stream ended."""
    deadline = time.monotonic() + timeout
    reader = _Reader(sink, tty)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        readable, _, _ = select.select([sock], [], [], left)
        if not readable:
            return False
        try:
            chunk = sock.recv(READ_SIZE)
        except OSError:
            return True
        if not chunk:
            return True
        reader.feed(chunk)


def _write_and_close(sock, data: bytes) -> None:
    try:
        if data:
            sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
    except OSError:  # the container exited without reading all of it, as with a pipe
        pass


def send_stdin(sock, data: bytes) -> None:
    """Send ``data`` and half-close, so the container reads it and then EOF."""
    if len(data) <= _INLINE_STDIN:
        _write_and_close(sock, data)
    else:  # a large body must not block while the container waits on its own output
        threading.Thread(target=_write_and_close, args=(sock, data), daemon=True).start()
