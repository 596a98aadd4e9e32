"""The runner against the fake engine: the exact API calls of ``docker run``, in order."""

import os

import pytest

from runmagic.commands.handle import ContainerHandle
from runmagic.errors import DaemonError, UsageError
from tests.support.fake_engine import (
    FakeEngine, Pause, ScriptedContainer, frame, refuse, reply, stream)
from tests.unit.engine_doubles import Cell, engine_of, runner_for

CID = "c0ffee" * 10 + "abcd"
BASE = f"/containers/{CID}"


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        yield engine


def test_foreground_run_calls_in_docker_order(fake, tmp_path):
    ScriptedContainer(fake, output=[frame("stdout", "out 1\n"), frame("stderr", "err 1\n"),
                                    frame("stdout", "out 2\n")], status=3)
    cell = Cell()
    result = runner_for(engine_of(fake), "--name job busybox sh", cell, tmp_path=tmp_path).run()
    assert fake.calls() == [
        ("POST", "/containers/create"), ("POST", f"{BASE}/attach"), ("POST", f"{BASE}/wait"),
        ("POST", f"{BASE}/start")]
    create, = fake.requests_to("POST", "/containers/create")
    assert create.query == {"name": "job"}
    assert create.json["Image"] == "busybox" and create.json["Cmd"] == ["sh"]
    attach, = fake.requests_to("POST", f"{BASE}/attach")
    assert attach.query == {"stdin": "0", "stdout": "1", "stderr": "1", "stream": "1"}
    assert fake.requests_to("POST", f"{BASE}/wait")[0].query == {"condition": "next-exit"}
    assert cell.pieces == [("stdout", "out 1\n"), ("stderr", "err 1\n"), ("stdout", "out 2\n")]
    assert (result.exit_status, result.stdout, result.stderr, result.name) == (3, "out 1\nout 2\n", "err 1\n", "job")


def test_an_unnamed_container_is_inspected_for_its_name_before_start(fake, tmp_path):
    ScriptedContainer(fake, name="brave_turing")
    result = runner_for(engine_of(fake), "--rm busybox true", Cell(), tmp_path=tmp_path).run()
    assert fake.calls()[:2] == [("POST", "/containers/create"), ("GET", f"{BASE}/json")]
    assert fake.requests_to("POST", f"{BASE}/wait")[0].query == {"condition": "removed"}
    assert fake.requests_to("POST", "/containers/create")[0].json["HostConfig"]["AutoRemove"] is True
    assert result.name == "brave_turing" and result.removed


def test_cell_body_is_sent_then_stdin_half_closed(fake, tmp_path):
    container = ScriptedContainer(fake, cat=True)
    cell = Cell()
    result = runner_for(engine_of(fake), "-i busybox cat", cell, stdin=b"line 1\nline 2\n",
                        tmp_path=tmp_path).run()
    attach, = fake.requests_to("POST", f"{BASE}/attach")
    assert attach.query["stdin"] == "1"
    assert attach.stdin == b"line 1\nline 2\n" and attach.stdin_closed.is_set()
    assert result.stdout == "line 1\nline 2\n" and container.exited.is_set()


def test_a_large_body_is_written_while_output_is_read(fake, tmp_path):
    ScriptedContainer(fake, cat=True)
    body = b"x" * 999 + b"\n"
    result = runner_for(engine_of(fake), "-i busybox cat", Cell(), stdin=body * 1000,
                        tmp_path=tmp_path, live_limit=2_000_000, capture_limit=2_000_000).run()
    assert len(result.stdout) == 1_000_000


def test_tty_output_is_raw_bytes(fake, tmp_path):
    ScriptedContainer(fake, tty=True, output=[b"a\r\n", b"b\r\n"])
    cell = Cell()
    runner_for(engine_of(fake), "-t busybox sh", cell, tmp_path=tmp_path).run()
    assert cell.stream("stdout") == "a\nb\n" and cell.stream("stderr") == ""
    # With a TTY and no body, stdin stays open: closing it would end the output.
    assert not fake.requests_to("POST", f"{BASE}/attach")[0].stdin


def test_detached_run_creates_starts_and_prints_the_id(fake, tmp_path):
    ScriptedContainer(fake, name="bg")
    cell = Cell()
    handle = runner_for(engine_of(fake), "-d --name bg busybox sleep 9", cell, tmp_path=tmp_path).run()
    assert fake.calls() == [("POST", "/containers/create"), ("POST", f"{BASE}/start")]
    body = fake.requests_to("POST", "/containers/create")[0].json
    assert (body["AttachStdin"], body["AttachStdout"], body["AttachStderr"]) == (False, False, False)
    assert isinstance(handle, ContainerHandle) and handle.id == CID
    assert cell.pieces == [("stdout", CID + "\n")]


def test_missing_image_is_pulled_then_created_again(fake, tmp_path):
    ScriptedContainer(fake)
    created = fake.requests_to  # noqa: F841 (readability)
    fake.on("POST", "/containers/create", [refuse(404, "No such image: 127.0.0.1:5/app:1"),
                                           reply(201, {"Id": CID, "Warnings": ["be careful"]})])
    fake.on("POST", "/images/create", stream(
        {"status": "Pulling from app", "id": "1"},
        {"status": "Digest: sha256:" + "a" * 64},
        {"status": "Status: Downloaded newer image for 127.0.0.1:5/app:1"}))
    cell = Cell()
    runner_for(engine_of(fake), "--name x 127.0.0.1:5/app:1", cell, tmp_path=tmp_path).run()
    assert fake.calls()[:3] == [("POST", "/containers/create"), ("POST", "/images/create"),
                                ("POST", "/containers/create")]
    assert fake.requests_to("POST", "/images/create")[0].query == {"fromImage": "127.0.0.1:5/app", "tag": "1"}
    stderr = cell.stream("stderr")
    assert stderr.startswith("Unable to find image '127.0.0.1:5/app:1' locally\n")
    assert "Status: Downloaded newer image for 127.0.0.1:5/app:1" in stderr
    assert "WARNING: be careful\n" in stderr


def test_pull_never_reports_the_missing_image(fake, tmp_path):
    fake.on("POST", "/containers/create", refuse(404, "No such image: app:1"))
    with pytest.raises(DaemonError) as caught:
        runner_for(engine_of(fake), "--pull never app:1", Cell(), tmp_path=tmp_path).run()
    assert str(caught.value) == "docker: Error response from daemon: No such image: app:1"
    assert fake.calls() == [("POST", "/containers/create")]


def test_cidfile_holds_the_id(fake, tmp_path):
    ScriptedContainer(fake, name="x")
    path = tmp_path / "cid"
    runner_for(engine_of(fake), f"--cidfile {path} --name x busybox true", Cell(), tmp_path=tmp_path).run()
    assert path.read_text() == CID


def test_cidfile_is_removed_when_create_fails(fake, tmp_path):
    fake.on("POST", "/containers/create", refuse(500, "no space left"))
    path = tmp_path / "cid"
    with pytest.raises(DaemonError):
        runner_for(engine_of(fake), f"--cidfile {path} busybox true", Cell(), tmp_path=tmp_path).run()
    assert not path.exists()


def test_an_existing_cidfile_is_refused_before_any_call(fake, tmp_path):
    path = tmp_path / "cid"
    path.write_text("old")
    with pytest.raises(UsageError, match="container ID file found"):
        runner_for(engine_of(fake), f"--cidfile {path} busybox true", Cell(), tmp_path=tmp_path).run()
    assert fake.calls() == [] and path.read_text() == "old"


def test_start_refusal_has_docker_exit_status(fake, tmp_path):
    ScriptedContainer(fake, name="x")
    fake.on("POST", f"{BASE}/start", refuse(400, 'failed to create shim task: exec: "nope": '
                                                 'executable file not found in $PATH: unknown'))
    with pytest.raises(DaemonError) as caught:
        runner_for(engine_of(fake), "--name x busybox nope", Cell(), tmp_path=tmp_path).run()
    assert caught.value.exit_status == 127


def test_output_split_inside_frames_arrives_whole(fake, tmp_path):
    data = frame("stdout", "héllo\n") + frame("stderr", "wörld\n")
    ScriptedContainer(fake, output=[data[:3], Pause(0.05), data[3:10], Pause(0.05), data[10:]])
    cell = Cell()
    runner_for(engine_of(fake), "--name x busybox sh", cell, tmp_path=tmp_path).run()
    assert cell.pieces == [("stdout", "héllo\n"), ("stderr", "wörld\n")]


def test_a_flood_goes_to_the_log_file_and_the_tail_is_shown(fake, tmp_path):
    lines = "".join(f"line {i}\n" for i in range(20000))
    ScriptedContainer(fake, output=[frame("stdout", lines)])
    cell = Cell()
    result = runner_for(engine_of(fake), "--name x busybox sh", cell, tmp_path=tmp_path,
                        live_limit=1000, tail_lines=2).run()
    assert "line 19999\n" in cell.stream("stdout")
    assert len(cell.stream("stdout")) < 2000
    assert open(result.log_paths["stdout"]).read() == lines
    assert os.path.dirname(result.log_paths["stdout"]) == str(tmp_path)
