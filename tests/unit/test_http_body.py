"""The response body reader (runmagic.engine.http_body) on bytes handed out in pieces, as
a connection does: chunked bodies cut at every place (chunk extensions, trailers), bodies of
a Content-Length or read until the connection ends, gzip and deflate; bodies cut short or
malformed refused with http.client's errors."""

from __future__ import annotations

import gzip
import http.client
import io
import os
import random
import zlib

import pytest

from runmagic.engine.http_body import READ_SIZE, BodyReader, MalformedBody, body_reader


class Connection(io.RawIOBase):
    """Hands out ``wire`` in pieces of the given sizes (the last size repeating), as recv does.
    A ``keep_alive`` one has nothing after the wire: a read there would wait forever."""

    def __init__(self, wire: bytes, sizes=(READ_SIZE,), keep_alive: bool = False):
        self._wire, self._sizes, self._pos = wire, list(sizes), 0
        self._keep_alive = keep_alive

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._keep_alive and self._pos >= len(self._wire):
            raise AssertionError("read past the response: this would wait forever")
        size = self._sizes.pop(0) if len(self._sizes) > 1 else self._sizes[0]
        piece = self._wire[self._pos:self._pos + min(size, len(buffer))]
        buffer[:len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


def chunked(*chunks: bytes, extensions: bool = False, trailers: bytes = b"") -> bytes:
    parts = [b"%x%s\r\n%s\r\n" % (len(c), b";name=value" if extensions else b"", c) for c in chunks]
    return b"".join(parts) + b"0\r\n" + trailers + b"\r\n"


def read_all(body, size: int) -> bytes:
    """The whole body through ``readinto`` with a ``size``-byte buffer."""
    buffer, out = bytearray(size), bytearray()
    while count := body.readinto(buffer):
        out += buffer[:count]
    return bytes(out)


def reader(wire: bytes, sizes=(READ_SIZE,), **framing):
    framing = framing or {"chunked": True, "length": None}
    connection = Connection(wire, sizes)
    return BodyReader(io.BufferedReader(connection), connection.readinto, **framing)


def coded(wire: bytes, coding: str, sizes=(READ_SIZE,)):
    connection = Connection(wire, sizes)
    return body_reader(io.BufferedReader(connection), connection.readinto, chunked=True,
                       length=None, coding=coding)


CHUNKS = [os.urandom(n) for n in (1, 300, 32768, 7, 20_000)]
BODY = b"".join(CHUNKS)


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 13, 4096, READ_SIZE])
@pytest.mark.parametrize("buffer", [1, 9, 65536, 3 * READ_SIZE])
def test_chunked_body_cut_anywhere(piece, buffer):
    wire = chunked(*CHUNKS, extensions=piece % 2 == 1, trailers=b"X-Sum: 1\r\nOther: two\r\n")
    assert read_all(reader(wire, (piece,)), buffer) == BODY


def test_chunk_boundaries_at_every_place_of_a_read():
    """Every cut of the wire into two reads: each framing byte once at a read's edge."""
    wire = chunked(b"abc", b"defgh", extensions=True, trailers=b"T: v\r\n")
    for cut in range(1, len(wire)):
        assert read_all(reader(wire, (cut, len(wire))), 4) == b"abcdefgh", cut


def test_random_chunks_and_reads():
    rng = random.Random(7)
    chunks = [os.urandom(rng.randrange(1, 70_000)) for _ in range(40)]
    sizes = [rng.randrange(1, 200_000) for _ in range(400)]
    body = reader(chunked(*chunks, extensions=True), sizes)
    assert read_all(body, 250_000) == b"".join(chunks)


def test_readinto_fills_the_buffer_but_at_the_end():
    body = reader(chunked(*CHUNKS), (1000,))
    buffer = bytearray(50_000)
    counts = []
    while count := body.readinto(buffer):
        counts.append(count)
    assert counts[:-1] == [50_000] * (len(BODY) // 50_000) and sum(counts) == len(BODY)


def test_read_whole_and_in_sizes():
    assert reader(chunked(*CHUNKS), (777,)).read() == BODY
    body = reader(chunked(*CHUNKS), (777,))
    parts = iter(lambda: body.read(10_000), b"")
    assert b"".join(parts) == BODY


@pytest.mark.parametrize("sizes", [(READ_SIZE,), (20, 5)])
def test_the_end_of_the_body_is_not_waited_past(sizes):
    """A keep-alive connection stays open after the body: the reader must not ask it for
    more, also when the whole body came with the headers, into the buffered reader's
    buffer (as http.client reads them); after the end readinto answers 0."""
    connection = Connection(b"HTTP/1.1 200 OK\r\n\r\n" + chunked(b"data", b"more"), sizes,
                            keep_alive=True)
    fp = io.BufferedReader(connection)
    while fp.readline() != b"\r\n":  # the headers, as http.client reads them
        pass
    body = BodyReader(fp, connection.readinto, chunked=True, length=None)
    assert read_all(body, 100) == b"datamore"
    assert body.readinto(bytearray(10)) == 0


def test_a_missing_last_line_after_the_last_chunk_is_forgiven():
    assert read_all(reader(b"3\r\nabc\r\n0\r\n"), 10) == b"abc"


@pytest.mark.parametrize("wire", [b"", b"5\r\nab", b"5\r\nabcde", b"5\r\nabcde\r\n", b"5\r\nabcde\r\n1",
                                  b"5;ext=unfinish"])
def test_cut_short_is_an_incomplete_read(wire):
    with pytest.raises(http.client.IncompleteRead):
        read_all(reader(wire, (2,)), 100)


@pytest.mark.parametrize("wire, what", [
    (b"zz\r\nab\r\n0\r\n\r\n", "chunk size"),
    (b"2\r\nabc\r\n0\r\n\r\n", "chunk size"),  # data runs on past its size
    (b"2\r\nab\r\n0\r\nno end of line\nx", "trailer"),
    (b"f" * 70_000, "chunk size"),
])
def test_malformed_framing_is_refused(wire, what):
    with pytest.raises(MalformedBody, match=f"a bad {what} line"):
        read_all(reader(wire, (3,)), 100)


def test_content_length_body():
    data = os.urandom(300_000)
    connection = Connection(data + b"NEXT RESPONSE", (5000,))
    body = BodyReader(io.BufferedReader(connection), connection.readinto, chunked=False,
                      length=len(data))
    assert read_all(body, 65536) == data
    assert body.readinto(bytearray(10)) == 0  # nothing read past the body's length


def test_content_length_cut_short():
    body = reader(b"x" * 10, (3,), chunked=False, length=11)
    with pytest.raises(http.client.IncompleteRead):
        read_all(body, 100)


def test_empty_and_until_closed_bodies():
    assert read_all(reader(b"ignored", chunked=False, length=0), 10) == b""
    assert read_all(reader(b"to the end", (3,), chunked=False, length=None), 4) == b"to the end"


@pytest.mark.parametrize("coding, encode", [
    ("gzip", gzip.compress), ("deflate", zlib.compress), ("GZIP ", gzip.compress)])
def test_content_codings_are_decoded(coding, encode):
    data = os.urandom(200_000) + b"\0" * 3 * READ_SIZE  # decodes to more than one read
    wire = chunked(*(lambda e: [e[i:i + 40_000] for i in range(0, len(e), 40_000)])(encode(data)))
    assert read_all(coded(wire, coding, (9000,)), 100_000) == data


def test_identity_is_no_coding():
    body = coded(chunked(b"plain"), "identity")
    assert isinstance(body, BodyReader) and body.read() == b"plain"


@pytest.mark.parametrize("coding, wire, message", [
    ("br", chunked(b"anything"), "an encoding runmagic cannot read: br"),
    ("gzip", chunked(b"not gzip at all"), "a bad gzip body"),
])
def test_unreadable_codings_are_refused(coding, wire, message):
    with pytest.raises(MalformedBody, match=message):
        coded(wire, coding).read()


def test_a_coded_body_cut_short():
    encoded = gzip.compress(b"x" * 1000)
    with pytest.raises(http.client.IncompleteRead):
        coded(chunked(encoded[:-10]), "gzip").read()
