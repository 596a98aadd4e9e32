"""scripts/stale-pidfile.sh: which pid files scripts/setup.sh removes before starting dockerd
(a dockerd killed with SIGKILL whose parent is gone stays a zombie named `dockerd`)."""

import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "stale-pidfile.sh"


def check(pidfile: Path, want: str, proc: Path | str = "/proc") -> tuple[bool, str]:
    done = subprocess.run(["bash", str(SCRIPT), str(pidfile), want, str(proc)],
                          capture_output=True, text=True, timeout=10)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0, done.stdout.strip()


def fake_process(proc: Path, pid: int, comm: str, state: str) -> None:
    entry = proc / str(pid)
    entry.mkdir(parents=True)
    (entry / "comm").write_text(comm + "\n")
    (entry / "stat").write_text(f"{pid} ({comm}) {state} 1 {pid} {pid} 0 -1 4194560 0 0\n")


@pytest.mark.parametrize("comm, state, stale, why", [
    ("dockerd", "S", False, ""),
    ("dockerd", "R", False, ""),
    ("dockerd", "Z", True, "a dockerd that ended and was never reaped (a zombie)"),
    ("bash", "S", True, "which is bash, not dockerd"),
])
def test_made_up_process_table(tmp_path, comm, state, stale, why):
    proc = tmp_path / "proc"
    fake_process(proc, 4242, comm, state)
    pidfile = tmp_path / "docker.pid"
    pidfile.write_text("4242")
    assert check(pidfile, "dockerd", proc) == (stale, f"{pidfile} names PID 4242, {why}" if stale else "")


def test_a_command_name_with_spaces_and_parentheses(tmp_path):
    proc = tmp_path / "proc"
    fake_process(proc, 7, "a) b", "Z")
    pidfile = tmp_path / "x.pid"
    pidfile.write_text("7\n")
    assert check(pidfile, "a) b", proc)[0]


def test_no_process_no_file_or_no_pid(tmp_path):
    pidfile = tmp_path / "docker.pid"
    assert check(pidfile, "dockerd", tmp_path) == (True, f"no pid file {pidfile}")
    pidfile.write_text("")
    assert check(pidfile, "dockerd", tmp_path) == (True, f"{pidfile} holds no PID")
    pidfile.write_text("99999999")
    assert check(pidfile, "dockerd", tmp_path)[1] == f"{pidfile} names PID 99999999, which is not running"


def test_a_real_zombie(tmp_path):
    """A child that exited and was not waited for is a zombie that still carries its name."""
    child = subprocess.Popen(["sleep", "0"])
    try:
        deadline = time.monotonic() + 5
        while Path(f"/proc/{child.pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        pidfile = tmp_path / "sleep.pid"
        pidfile.write_text(str(child.pid))
        assert check(pidfile, "sleep") == (True, f"{pidfile} names PID {child.pid}, a sleep that ended "
                                                 "and was never reaped (a zombie)")
    finally:
        child.wait()


def test_a_live_process_is_kept(tmp_path):
    child = subprocess.Popen(["sleep", "30"])
    try:
        pidfile = tmp_path / "sleep.pid"
        pidfile.write_text(str(child.pid))
        assert check(pidfile, "sleep") == (False, "")
    finally:
        child.kill()
        child.wait()
