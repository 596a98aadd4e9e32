"""A hijacked stream whose first bytes come in the same packet as the engine's 101 answer:
http.client's buffered reader has them, and every way of reading the session gives them first."""

from __future__ import annotations

import pytest

from runmagic.terminals import console
from runmagic.terminals.console import TranscriptSink
from tests.support.fake_engine import FakeEngine, Pause, frame, hijack
from tests.support.sinks import RecordingSink
from tests.unit.engine_doubles import engine_of

EXEC_ID = "e" * 64
CID = "c0ffee" * 10 + "abcd"


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        yield engine


def test_an_execs_output_sent_with_the_answer_is_pumped_first(fake):
    fake.on("POST", f"/exec/{EXEC_ID}/start",
            hijack(frame("stdout", "first\n") + frame("stderr", "oops\n"), Pause(0.05),
                   frame("stdout", "second\n"), with_answer=True))
    session = engine_of(fake).exec_start(EXEC_ID, tty=False)
    streams = RecordingSink()
    session.pump(streams)
    session.close()
    assert streams.pieces == [("stdout", b"first\n"), ("stderr", b"oops\n"), ("stdout", b"second\n")]


def test_a_terminals_first_bytes_come_first_and_once(fake):
    fake.on("POST", f"/containers/{CID}/attach", hijack(b"/ # ", Pause(0.05), b"ls\r\n", with_answer=True))
    session = engine_of(fake).attach(CID, tty=True, stdin=False)
    received = []
    while chunk := session.read_some():
        received.append(chunk)
    session.close()
    assert received[0] == b"/ # " and b"".join(received) == b"/ # ls\r\n"


def test_a_live_terminals_transcript_starts_with_them(fake):
    fake.on("POST", f"/containers/{CID}/attach", hijack(b"hello\r\n", Pause(0.05), b"bye\r\n", with_answer=True))
    session = engine_of(fake).attach(CID, tty=True, stdin=False)
    sink = TranscriptSink()
    assert console.follow(session, sink, None) == "exited"
    session.close()
    assert sink.text() == "hello\nbye"


def test_draining_gives_them_too(fake):
    fake.on("POST", f"/exec/{EXEC_ID}/start", hijack(frame("stdout", "only\n"), with_answer=True))
    session = engine_of(fake).exec_start(EXEC_ID, tty=False)
    streams = RecordingSink()
    assert session.drain(streams, timeout=5) is True
    session.close()
    assert streams.pieces == [("stdout", b"only\n")]
