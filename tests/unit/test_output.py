"""The output sink: decoding, line endings, coalescing and the live limit."""

import os
import re
import sys
import threading

import pytest

from runmagic.output import LineEndings, OutputSink, cell_writer, flush_cell


def make_sink(tmp_path, live_limit=1000, tail_lines=3, flush_interval=0.0, capture_limit=10**6):
    out, err = [], []
    sink = OutputSink(out.append, err.append, live_limit=live_limit, tail_lines=tail_lines,
                      capture_limit=capture_limit, flush_interval=flush_interval,
                      log_path=lambda stream: str(tmp_path / f"c-{stream}.log"))
    return sink, out, err


def test_split_multibyte_character_arrives_whole(tmp_path):
    sink, out, _ = make_sink(tmp_path)
    data = "é€😀\n".encode()
    for i in range(len(data)):
        sink.feed("stdout", data[i:i + 1])
        sink.maybe_flush()
    sink.finish()
    assert "".join(out) == "é€😀\n"


def test_crlf_split_across_chunks_is_normalised():
    endings = LineEndings()
    assert endings.feed("a\r") == "a"
    assert endings.feed("\nb\r") == "\nb"
    assert endings.feed("c") == "\rc"
    assert endings.finish() == ""


def test_streams_stay_separate(tmp_path):
    sink, out, err = make_sink(tmp_path)
    sink.feed("stdout", b"out\n")
    sink.feed("stderr", b"err\n")
    sink.finish()
    assert out == ["out\n"] and err == ["err\n"]


def test_writes_are_coalesced_within_the_interval(tmp_path):
    sink, out, _ = make_sink(tmp_path, flush_interval=60)
    for i in range(100):
        sink.feed("stdout", f"{i}\n".encode())
        sink.maybe_flush()
    sink.finish()
    assert len(out) == 2  # the first write at once, the rest at the end
    assert "".join(out) == "".join(f"{i}\n" for i in range(100))


def test_over_the_limit_goes_to_a_log_with_every_byte(tmp_path):
    sink, out, _ = make_sink(tmp_path, live_limit=100, tail_lines=2)
    payload = b"".join(b"line %05d\n" % i for i in range(1000))
    for start in range(0, len(payload), 77):
        sink.feed("stdout", payload[start:start + 77])
        sink.maybe_flush()
    sink.finish()
    shown = "".join(out)
    log = tmp_path / "c-stdout.log"
    assert log.read_bytes() == payload
    assert shown.startswith(payload[:100].decode())
    assert "line 00998\nline 00999\n" in shown
    assert "line 00500" not in shown
    assert str(log) in shown
    assert len(shown) < 1000
    assert sink.log_paths == {"stdout": str(log)}


def test_capture_limit_bounds_the_result(tmp_path):
    sink, _, _ = make_sink(tmp_path, capture_limit=5)
    sink.feed("stdout", b"abcdefgh")
    sink.finish()
    assert sink.streams["stdout"].captured == "abcde"


def test_first_output_callback_runs_once(tmp_path):
    calls = []
    sink = OutputSink(lambda s: None, lambda s: None, live_limit=100, tail_lines=1, capture_limit=100,
                      flush_interval=0, log_path=lambda s: os.devnull, on_first_output=lambda: calls.append(1))
    sink.feed("stdout", b"a")
    sink.maybe_flush()
    sink.feed("stdout", b"b")
    sink.maybe_flush()
    sink.finish()
    assert calls == [1]


def test_the_order_of_stdout_and_stderr_is_kept_and_writers_synced_between_them(tmp_path):
    written, syncs = [], []
    sink = OutputSink(lambda text: written.append(("stdout", text)),
                      lambda text: written.append(("stderr", text)),
                      live_limit=1000, tail_lines=5, capture_limit=1000, flush_interval=60,
                      log_path=lambda stream: str(tmp_path / f"{stream}.log"),
                      sync=lambda: syncs.append(len(written)))
    for stream, text in [("stdout", b"one\n"), ("stderr", b"two\n"), ("stdout", b"three\n"),
                         ("stdout", b"3b\n"), ("stderr", b"four\n")]:
        sink.feed(stream, text)
    sink.finish()
    assert written == [("stdout", "one\n"), ("stderr", "two\n"), ("stdout", "three\n3b\n"),
                       ("stderr", "four\n")]
    assert syncs == [1, 2, 3]


def test_an_unwritable_log_folder_ends_logging_not_the_run(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the log folder should be")
    out = []
    sink = OutputSink(out.append, out.append, live_limit=10, tail_lines=2, capture_limit=100,
                      flush_interval=0, log_path=lambda stream: str(blocked / f"{stream}.log"))
    sink.feed("stdout", b"0123456789abcdef\nlast line\n")
    sink.finish()
    shown = "".join(out)
    assert shown.startswith("0123456789")
    assert re.search(rf"over 10 bytes and its log cannot be written \(File exists in {re.escape(str(blocked))}\)",
                     shown)
    assert f"the log could not be written (File exists in {blocked})" in shown
    assert shown.endswith("last line\n")
    assert sink.log_paths == {"stdout": str(blocked / "stdout.log")}


def test_a_head_that_fills_the_limit_exactly_starts_the_log_at_the_next_byte(tmp_path):
    out = []
    sink = OutputSink(out.append, out.append, live_limit=4, tail_lines=1, capture_limit=100,
                      flush_interval=0, log_path=lambda stream: str(tmp_path / f"{stream}.log"))
    sink.feed("stdout", b"abcd")
    sink.feed("stdout", b"efg\n")
    sink.finish()
    assert (tmp_path / "stdout.log").read_bytes() == b"abcdefg\n"
    assert f"the full output is in {tmp_path / 'stdout.log'}" in "".join(out)


def test_a_notice_takes_its_place_among_the_containers_output(tmp_path):
    written = []
    sink = OutputSink(lambda text: written.append(("stdout", text)), lambda text: written.append(("stderr", text)),
                      live_limit=100, tail_lines=1, capture_limit=100, flush_interval=60,
                      log_path=lambda stream: str(tmp_path / f"{stream}.log"))
    sink.feed("stdout", b"before\n")
    sink.notice("[runmagic] stopping the container\n")
    sink.feed("stdout", b"caught SIGTERM\n")
    sink.finish()
    assert written == [("stdout", "before\n"), ("stderr", "[runmagic] stopping the container\n"),
                       ("stdout", "caught SIGTERM\n")]


class _InterruptedWhileWaiting:
    """A kernel stream whose flush is interrupted as a threading wait re-takes its lock: the
    lock is free when the ``with`` ends, which raises RuntimeError over the interrupt."""

    def __init__(self, error=KeyboardInterrupt):
        self.error = error

    def write(self, text):
        self.flush()

    def flush(self):
        lock = threading.Lock()
        with lock:
            lock.release()  # the wait let go of it...
            raise self.error()  # ...and the signal came before it was taken again


def test_an_interrupt_inside_the_kernel_streams_wait_stays_an_interrupt(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _InterruptedWhileWaiting())
    with pytest.raises(KeyboardInterrupt):
        flush_cell()
    with pytest.raises(KeyboardInterrupt):
        cell_writer("stdout")("text")
    monkeypatch.setattr(sys, "stdout", _InterruptedWhileWaiting(error=ValueError))
    with pytest.raises(RuntimeError, match="release unlocked lock"):  # not an interrupt: as it is
        flush_cell()
