"""Companion commands and pull against the fake engine: the exact API calls, the output,
and the engine's errors in docker's words."""

import pytest

from runmagic.commands import execute, lifecycle, logs, ps
from runmagic.commands.context import Context, RunSettings
from runmagic.commands.pull import PullError, pull_image
from runmagic.errors import CommandError
from runmagic.grammar import command_flags as tables
from runmagic.grammar import parser as cli
from tests.support.fake_engine import FakeEngine, Pause, frame, hijack, refuse, reply, stream
from tests.unit.engine_doubles import Cell, engine_of

CID = "feed" * 16


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        yield engine


def context(fake, cell, stdin=None):
    return Context(engine_of(fake), cell.out, cell.err, settings=RunSettings(flush_interval=0.0),
                   stdin=stdin)


def test_ps_asks_the_engine_as_docker_does(fake):
    fake.on("GET", "/containers/json", reply(200, [{
        "Id": CID, "Names": ["/web"], "Image": "busybox", "Command": "sleep 9", "Created": 1700000000,
        "State": "running", "Status": "Up 2 seconds", "Ports": [], "Labels": {}}]))
    listing = ps.list_containers(context(fake, Cell()), cli.parse_args(
        ["-a", "--filter", "label=team=x", "-n", "3"], tables.PS))
    request, = fake.requests_to("GET", "/containers/json")
    assert request.query == {"all": "1", "limit": "3", "size": "0",
                             "filters": '{"label": {"team=x": true}}'}
    assert [handle.id for handle in listing] == [CID] and listing[0].name == "web"


def test_stop_prints_each_success_and_joins_the_failures(fake):
    fake.on("POST", "/containers/a/stop", reply(204))
    fake.on("POST", "/containers/b/stop", refuse(404, "No such container: b"))
    cell = Cell()
    with pytest.raises(CommandError) as caught:
        lifecycle.stop(context(fake, cell), cli.parse_args(["-t", "3", "a", "b"], tables.STOP))
    assert str(caught.value) == "Error response from daemon: No such container: b"
    assert cell.stream("stdout") == "a\n"
    assert [(r.path, r.query) for r in fake.requests_to("POST", "/containers/./stop")] == [
        ("/containers/a/stop", {"t": "3"}), ("/containers/b/stop", {"t": "3"})]


def test_rm_force(fake):
    fake.on("DELETE", "/containers/web", reply(204))
    cell = Cell()
    lifecycle.remove(context(fake, cell), cli.parse_args(["-f", "web"], tables.RM))
    request, = fake.requests_to("DELETE", "/containers/web")
    assert request.query == {"v": "0", "link": "0", "force": "1"} and cell.stream("stdout") == "web\n"


def test_logs_are_demultiplexed_in_order(fake):
    fake.on("GET", "/containers/web/json", reply(200, {"Id": CID, "Config": {"Tty": False}}))
    fake.on("GET", f"/containers/{CID}/logs", reply(200, frame("stdout", "a\n") + frame("stderr", "b\n")
                                                     + frame("stdout", "c\n")))
    cell = Cell()
    logs.logs(context(fake, cell), cli.parse_args(["--tail", "2", "web"], tables.LOGS))
    assert cell.pieces == [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n")]
    assert fake.requests_to("GET", f"/containers/{CID}/logs")[0].query == {
        "stdout": "1", "stderr": "1", "tail": "2"}


def test_logs_follow_streams_until_the_engine_ends_it(fake):
    fake.on("GET", "/containers/web/json", reply(200, {"Id": CID, "Config": {"Tty": False}}))
    fake.on("GET", f"/containers/{CID}/logs", stream(
        frame("stdout", "one\n"), Pause(0.1), frame("stdout", "two\n"),
        content_type="application/vnd.docker.raw-stream"))
    cell = Cell()
    logs.fetch_logs(context(fake, cell), "web", follow=True)
    assert cell.stream("stdout") == "one\ntwo\n"
    assert fake.requests_to("GET", f"/containers/{CID}/logs")[0].query["follow"] == "1"


def test_exec_sends_the_body_and_reports_the_exit_code(fake):
    fake.on("GET", "/containers/web/json", reply(200, {"Id": CID, "Config": {"Tty": False}}))
    fake.on("POST", f"/containers/{CID}/exec", reply(201, {"Id": "e" * 64}))
    # The output comes in the same packet as the 101 answer: http.client's buffered reader
    # holds it, and the session takes it from there.
    fake.on("POST", f"/exec/{'e' * 64}/start", hijack(frame("stdout", "hi\n"), with_answer=True))
    fake.on("GET", f"/exec/{'e' * 64}/json", reply(200, {"ExitCode": 4, "Running": False}))
    cell = Cell()
    result = execute.run_exec(context(fake, cell, stdin=b"input\n"), "web", ["cat"], interactive=True)
    create, = fake.requests_to("POST", f"/containers/{CID}/exec")
    assert create.json["Cmd"] == ["cat"] and create.json["AttachStdin"] is True
    start, = fake.requests_to("POST", f"/exec/{'e' * 64}/start")
    assert start.json == {"Tty": False, "Detach": False}
    assert (result.exit_status, result.stdout) == (4, "hi\n")
    start.stdin_closed.wait(2)
    assert bytes(start.stdin) == b"input\n"


def test_pull_writes_docker_pull_lines(fake):
    fake.on("POST", "/images/create", stream(
        {"status": "Pulling from runmagic/app", "id": "1"},
        {"status": "Pulling fs layer", "id": "abc"},
        {"status": "Downloading", "id": "abc", "progressDetail": {"current": 5, "total": 10}},
        {"status": "Pull complete", "id": "abc"},
        {"status": "Digest: sha256:" + "d" * 64},
        {"status": "Status: Downloaded newer image for 127.0.0.1:5/runmagic/app:1"}))
    lines = []
    progress = pull_image(engine_of(fake), "127.0.0.1:5/runmagic/app:1", write=lines.append)
    assert fake.requests_to("POST", "/images/create")[0].query == {
        "fromImage": "127.0.0.1:5/runmagic/app", "tag": "1"}
    text = "".join(lines)
    assert "abc: Pull complete" in text and "Downloading" not in text
    assert text.endswith("Status: Downloaded newer image for 127.0.0.1:5/runmagic/app:1\n")
    assert progress.finished


def test_pull_error_mid_stream_is_the_registrys_message(fake):
    fake.on("POST", "/images/create", stream(
        {"status": "Pulling from runmagic/app", "id": "1"},
        {"errorDetail": {"message": "received unexpected HTTP status: 500"},
         "error": "received unexpected HTTP status: 500"}))
    with pytest.raises(PullError) as caught:
        pull_image(engine_of(fake), "127.0.0.1:5/runmagic/app:1", write=lambda line: None)
    assert str(caught.value) == "docker: received unexpected HTTP status: 500"


def test_pull_refused_is_the_daemons_word(fake):
    fake.on("POST", "/images/create", refuse(404, "pull access denied for nope"))
    with pytest.raises(CommandError) as caught:
        pull_image(engine_of(fake), "nope", write=lambda line: None)
    assert str(caught.value) == "Error response from daemon: pull access denied for nope"


def test_listings_name_an_engine_other_than_the_default_in_html_only(fake):
    """The fake engine is reached through DOCKER_HOST: not the default engine. docker's text
    stays byte for byte its own; the HTML table says which engine it lists."""
    from runmagic.commands import image_list

    fake.on("GET", "/containers/json", reply(200, [{
        "Id": CID, "Names": ["/web"], "Image": "busybox", "Command": "sleep 9", "Created": 1700000000,
        "State": "running", "Status": "Up 2 seconds", "Ports": [], "Labels": {}}]))
    fake.on("GET", "/images/json", reply(200, [{
        "Id": "sha256:" + "c" * 64, "RepoTags": ["busybox:latest"], "RepoDigests": [], "Created": 1700000000,
        "Size": 4_000_000, "Labels": {}}]))
    note = f'<div class="runmagic-engine">engine: {fake.url}</div><table class="runmagic-table">'
    listing = ps.list_containers(context(fake, Cell()), cli.parse_args([], tables.PS))
    assert listing.html.startswith(note) and "engine" not in listing.text
    assert listing.text.startswith("CONTAINER ID   IMAGE     COMMAND")
    images = image_list.list_images(context(fake, Cell()), cli.parse_args([], tables.IMAGES))
    assert images.html.startswith(note) and "engine" not in images.text
    assert images.text.startswith("REPOSITORY   TAG")
    quiet = ps.list_containers(context(fake, Cell()), cli.parse_args(["-q"], tables.PS))
    assert quiet.html is None and quiet.text == CID[:12] + "\n"
