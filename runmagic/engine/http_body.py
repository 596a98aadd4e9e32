"""An HTTP/1.1 response body read straight off the connection, in big pieces.

urllib3 reads a chunked body one chunk at a time (docker sends 32 KiB chunks),
each into a new bytes object that its ``read(n)`` then joins: for an image export
of hundreds of MB that per-chunk work is most of the reader's time. Here one read
of the connection brings as much as has arrived (up to :data:`READ_SIZE`) into one
reused buffer, and the chunk framing is parsed out of it by position: each chunk's
data is copied once, into the caller's buffer.

Pure: ``fp`` is the buffered binary file the response's headers were read from
(bytes of the body may already wait in its buffer), ``recv_into`` the connection's
own read; no socket, no urllib3. The errors are ``http.client``'s:
:class:`http.client.IncompleteRead` when the connection ends before the body does,
:class:`MalformedBody` when the bytes are not what the headers announced.
"""

from __future__ import annotations

import http.client
import re
import zlib

#: Bytes asked of the connection at a time.
READ_SIZE = 1024 * 1024
#: The longest chunk-size or trailer line accepted (http.client's limit).
MAX_LINE = 65536

# ``SIZE[;extension...]`` (the extensions carry nothing a client must honour); after the
# first chunk, the line ending the previous chunk's data comes first.
_SIZE = rb"([0-9A-Fa-f]+)[ \t]*(?:;[^\r\n]*)?\r\n"
_LINES = {"first": re.compile(_SIZE), "next": re.compile(rb"\r\n" + _SIZE),
          "trailer": re.compile(rb"[^\r\n]*\r\n")}


class MalformedBody(http.client.HTTPException):
    """The body's chunk framing or content coding is broken."""


class _Readable:
    """``read`` from the subclass's ``readinto``, through one reused buffer (a new one per
    call would cost a fresh allocation, and its page faults, per read)."""

    _scratch: bytearray | None = None

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when negative); b"" at the end."""
        if size < 0:
            parts = []
            while part := self.read(READ_SIZE):
                parts.append(part)
            return b"".join(parts)
        if self._scratch is None:
            self._scratch = bytearray(READ_SIZE)
        view = memoryview(self._scratch)[:size]
        return bytes(view[:self.readinto(view)])


class BodyReader(_Readable):
    """The body of a response whose headers were read from ``fp``: chunked, or of
    ``length`` bytes (None: until the connection ends). ``readinto`` fills the buffer
    whole, but at the body's end (as a buffered file does): fewer, bigger pieces.

    ``recv_into`` is the connection's own (a socket's): a chunked body is read with it
    once fp's buffer is drained, as the file layers above it cost more per call than the
    parsing does (a body read faster than the engine writes it comes in many small reads)."""

    def __init__(self, fp, recv_into, *, chunked: bool, length: int | None):
        self._fp = fp
        self._recv_into = recv_into
        self._chunked = chunked
        if chunked:
            self._raw = bytearray(READ_SIZE)
            self._view = memoryview(self._raw)
            self._start = self._end = 0  # unparsed bytes are _raw[_start:_end]
            self._buffered = True  # fp may hold bytes of the body
            self._state = "first"  # then "data", "next", ..., "trailer", "done"
            self._left = 0  # of the current chunk's data
        else:
            self._state = "done" if length == 0 else "data"
            self._left = length  # of the body

    def readinto(self, buffer) -> int:
        """Decoded bytes into ``buffer``; 0 at the end of the body."""
        out = memoryview(buffer).cast("B")
        if self._state == "done" or not out:
            return 0
        if self._chunked:
            return self._read_chunked(out)
        if self._left is not None:
            out = out[:self._left]
        count = self._fp.readinto(out)
        if self._left is not None:
            if count < len(out):
                raise http.client.IncompleteRead(b"", self._left - count)
            self._left -= count
        if count < len(out) or self._left == 0:
            self._state = "done"
        return count

    # -- chunked ------------------------------------------------------------------

    def _read_chunked(self, out: memoryview) -> int:
        # A turn per read of the connection and per chunk: kept lean.
        written, wanted, view = 0, len(out), self._view
        while written < wanted:
            state = self._state
            if state == "data":
                start = self._start
                take = self._end - start
                if not take:
                    self._fill()
                    continue
                left = self._left
                take = min(take, left, wanted - written)
                out[written:written + take] = view[start:start + take]
                written += take
                self._start = start + take
                self._left = left = left - take
                if not left:
                    self._state = "next"
            elif state == "done":
                break
            elif not self._frame():
                self._fill_line()
        return written

    def _frame(self) -> bool:
        """Parse the framing line at the start of the unparsed bytes; False if it has not
        all arrived."""
        raw, start, end = self._raw, self._start, self._end
        line = _LINES[self._state].match(raw, start, end)
        if line is None:
            self._check_incomplete()
            return False
        self._start = line.end()
        if self._state == "trailer":
            if line.end() - start == 2:  # the empty line after the trailer fields
                self._state = "done"
        else:
            self._left = int(line.group(1), 16)
            self._state = "data" if self._left else "trailer"
        return True

    def _check_incomplete(self) -> None:
        """Unparsed bytes that match no framing line must be the start of one."""
        raw, start, end = self._raw, self._start, self._end
        crlf = 2 if self._state == "next" else 0  # ending the previous chunk's data
        head = min(end - start, crlf)
        if raw[start:start + head] != b"\r\n"[:head] or raw.find(b"\n", start + crlf, end) >= 0:
            self._malformed()

    def _malformed(self) -> None:
        what = "trailer" if self._state == "trailer" else "chunk size"
        line = bytes(self._raw[self._start:min(self._end, self._start + 80)])
        raise MalformedBody(f"a bad {what} line: {line!r}")

    def _fill_line(self) -> None:
        """Read on until the framing line begun at the start of the unparsed bytes has its
        end (each byte looked at once, however the line comes in)."""
        crlf = 2 if self._state == "next" else 0
        while True:
            scanned = self._end - self._start
            self._fill()
            if self._state == "done":
                return
            if self._raw.find(b"\n", self._start + max(crlf, scanned), self._end) >= 0:
                return
            if self._end - self._start >= MAX_LINE:
                self._malformed()

    def _fill(self) -> None:
        """Read more of the connection after the unparsed bytes (moved to the front)."""
        start, end = self._start, self._end
        if start == end:  # all parsed: the common case
            self._start = self._end = 0
            space = self._view
        else:
            pending = end - start
            self._view[:pending] = bytes(self._view[start:end])
            self._start, self._end = 0, pending
            space = self._view[pending:]
        if self._buffered:
            # What the buffered reader holds past the headers comes first. Its readinto1
            # would copy that and then wait for the connection too, for bytes that may
            # never come (the body's end was among them): read1 gives only those.
            data = self._fp.read1(len(space))
            count = len(data)
            space[:count] = data
            self._buffered = count == len(space)
        else:
            count = self._recv_into(space)
        if not count:
            if self._state == "trailer":  # the data is whole; a missing last line is forgiven
                self._state = "done"
                return
            raise http.client.IncompleteRead(b"", self._left or None)
        self._end += count


class DecodedBody(_Readable):
    """A body sent with ``Content-Encoding`` gzip or deflate, decoded as it is read
    (never more than :data:`READ_SIZE` decoded bytes at a time, whatever the ratio)."""

    def __init__(self, body: BodyReader, coding: str):
        self._body = body
        self._coding = coding
        self._decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)  # a gzip or zlib header
        self._pending = memoryview(b"")

    def readinto(self, buffer) -> int:
        """Decoded bytes into ``buffer``, filled whole but at the end; 0 at the end."""
        out = memoryview(buffer).cast("B")
        written = 0
        while written < len(out):
            if not self._pending:
                if self._decoder.eof:
                    break
                self._pending = memoryview(self._decode())
                continue
            take = min(len(out) - written, len(self._pending))
            out[written:written + take] = self._pending[:take]
            self._pending = self._pending[take:]
            written += take
        return written

    def _decode(self) -> bytes:
        if self._coding not in ("gzip", "x-gzip", "deflate"):
            raise MalformedBody(f"an answer in an encoding runmagic cannot read: {self._coding}")
        data = self._decoder.unconsumed_tail or self._body.read(READ_SIZE)
        if not data:
            raise http.client.IncompleteRead(b"")
        try:
            return self._decoder.decompress(data, READ_SIZE)
        except zlib.error as exc:
            raise MalformedBody(f"a bad {self._coding} body: {exc}") from None


def body_reader(fp, recv_into, *, chunked: bool, length: int | None, coding: str = ""):
    """The decoded body: :class:`BodyReader`, wrapped in :class:`DecodedBody` when the
    answer names a content coding."""
    body = BodyReader(fp, recv_into, chunked=chunked, length=length)
    coding = coding.strip().lower()
    return DecodedBody(body, coding) if coding and coding != "identity" else body
