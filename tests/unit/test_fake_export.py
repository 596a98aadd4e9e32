"""An image export (``GET /images/{name}/get``) read off the fake engine's socket, as the
explorer reads it: chunked answers cut anywhere (chunk extensions, trailers), a
Content-Length answer, a gzip one; an engine that hangs up mid-body, or sends broken
framing, ends in runmagic's one-line error; a read waiting on a silent engine ends when
another thread closes the stream."""

from __future__ import annotations

import gzip
import tarfile
import threading
import time

import pytest

from runmagic.errors import EngineLost
from runmagic.explore.archive import read_archive
from tests.support.fake_engine import HANG_UP, SILENCE, FakeEngine, Pause, raw, reply, stream
from tests.unit.engine_doubles import engine_of
from tests.unit.test_explore_archive import expected, export, layer_tar
from tests.unit.test_fake_faults import one_line

HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n"
        b"Api-Version: 1.41\r\n")
LAYER = layer_tar(tarfile.PAX_FORMAT)
EXPORT = export(LAYER)


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        yield engine


def chunked_wire(data: bytes, size: int) -> bytes:
    """``data`` in chunks of ``size`` with extensions, then a trailer field."""
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    body = b"".join(b"%x;part=%d\r\n%s\r\n" % (len(c), n, c) for n, c in enumerate(chunks))
    return body + b"0\r\nX-Checksum: none\r\n\r\n"


def cut(wire: bytes, every: int) -> list:
    """The wire in pieces of ``every`` bytes, a pause between them: separate reads."""
    parts = []
    for start in range(0, len(wire), every):
        parts += [wire[start:start + every], Pause(0.001)]
    return parts


def layer_rows(archive) -> list:
    tree = archive.ordered_trees()[0]
    return sorted(node.info.as_tuple() for node in tree.nodes() if node.info.path)


def analysed(engine) -> list:
    export_stream = engine.export_image("app")
    try:
        return layer_rows(read_archive(export_stream))
    finally:
        export_stream.close()


@pytest.mark.parametrize("chunk, every", [(32768, 7001), (1000, 333), (5, 3000)])
def test_a_chunked_export_cut_across_reads(fake, chunk, every):
    fake.on("GET", "/images/app/get", raw(HEAD + b"\r\n", *cut(chunked_wire(EXPORT, chunk), every)))
    assert analysed(engine_of(fake)) == expected(LAYER)
    # Asked as sent: no content coding to undo.
    assert fake.requests_to("GET", "/images/app/get")[0].headers["accept-encoding"] == "identity"


def test_an_export_of_a_content_length(fake):
    fake.on("GET", "/images/app/get", reply(200, EXPORT))
    assert analysed(engine_of(fake)) == expected(LAYER)


def test_a_gzip_export_is_decoded(fake):
    coded = gzip.compress(EXPORT)
    fake.on("GET", "/images/app/get", raw(HEAD + b"Content-Encoding: gzip\r\n\r\n",
                                          *cut(chunked_wire(coded, 4096), 5000)))
    assert analysed(engine_of(fake)) == expected(LAYER)


@pytest.mark.parametrize("answer, reason", [
    (stream(EXPORT[:3000], HANG_UP, content_type="application/x-tar"),
     "the connection ended in the middle of a response"),
    (raw(HEAD + b"\r\n", b"10\r\n0123456789abcdef\r\nzz\r\n"),
     "its answer was malformed: a bad chunk size line: b'\\r\\nzz\\r\\n'"),
])
def test_an_export_broken_midway_is_one_line(fake, answer, reason):
    fake.on("GET", "/images/app/get", answer)
    with pytest.raises(EngineLost) as caught:
        analysed(engine_of(fake))
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} stopped answering ({reason}) (exit status 125)")


def test_closing_ends_a_read_waiting_on_a_silent_engine(fake):
    fake.on("GET", "/images/app/get", raw(HEAD + b"\r\n", b"8\r\nabcdefgh\r\n", SILENCE))
    export_stream = engine_of(fake).export_image("app")
    outcome = []

    def read() -> None:
        try:
            outcome.append(export_stream.read(1024))
        except EngineLost as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.2)
    assert reader.is_alive()  # waiting for the rest of its buffer
    started = time.monotonic()
    export_stream.close()
    reader.join(2)
    assert not reader.is_alive() and time.monotonic() - started < 1
    assert isinstance(outcome[0], EngineLost)
    assert "the connection ended in the middle of a response" in str(outcome[0])
