"""The exec output the server leaves for the kernel: whole or not at all, taken once, bounded."""

from __future__ import annotations

import os
import threading
import time

import pytest

from runmagic.terminals import handoff

EXEC_ID = "ab" * 32


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    return tmp_path


def test_what_the_server_leaves_the_kernel_takes_once(runtime_dir):
    recorder = handoff.Recorder(EXEC_ID)
    recorder.feed(b"/ # echo hi\r\n")
    recorder.feed(b"hi\r\n")
    recorder.size = (30, 100)
    recorder.leave()
    folder = runtime_dir / "runmagic-terminals"
    assert [p.name for p in folder.iterdir()] == [f"exec-{EXEC_ID}"]  # no temporary left
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    handed = handoff.take(EXEC_ID, timeout=0)
    assert (handed.data, handed.size) == (b"/ # echo hi\r\nhi\r\n", (30, 100))
    assert handoff.take(EXEC_ID, timeout=0) is None
    assert not list(folder.iterdir())


def test_the_kernel_waits_for_a_server_that_is_still_writing():
    recorder = handoff.Recorder(EXEC_ID)
    recorder.feed(b"late")
    threading.Timer(0.3, recorder.leave).start()
    handed = handoff.take(EXEC_ID, timeout=10)
    assert handed is not None and handed.data == b"late" and handed.size == handoff.DEFAULT_SIZE


def test_nothing_comes_within_the_wait():
    started = time.monotonic()
    assert handoff.take(EXEC_ID, timeout=0.2) is None
    assert time.monotonic() - started < 2


def test_only_an_exec_id_names_a_file(runtime_dir):
    for bad in ("../../etc/passwd", "AB" * 32, "ab" * 31, ""):
        recorder = handoff.Recorder(bad)
        recorder.feed(b"x")
        recorder.leave()
        assert handoff.take(bad, timeout=0) is None
    assert not (runtime_dir / "runmagic-terminals").exists()


def test_the_end_of_a_long_session_is_kept():
    recorder = handoff.Recorder(EXEC_ID)
    chunk = b"0123456789abcdef" * 4096  # 64 KiB
    for index in range(handoff.TRANSCRIPT_LIMIT * 3 // len(chunk)):
        recorder.feed(chunk[:-4] + b"%04d" % index)
    recorder.leave()
    handed = handoff.take(EXEC_ID, timeout=0)
    assert len(handed.data) == handoff.TRANSCRIPT_LIMIT
    assert handed.data.endswith(b"%04d" % (handoff.TRANSCRIPT_LIMIT * 3 // len(chunk) - 1))


def test_files_nobody_took_are_dropped_after_an_hour(runtime_dir):
    folder = runtime_dir / "runmagic-terminals"
    handoff.Recorder("cd" * 32).leave()
    stale = folder / f"exec-{'cd' * 32}"
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    handoff.Recorder(EXEC_ID).leave()
    assert sorted(p.name for p in folder.iterdir()) == [f"exec-{EXEC_ID}"]
