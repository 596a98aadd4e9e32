"""Faults the real engine can't be made to show on demand, against the fake engine:
the engine dies, hangs up or goes silent at each point of a run, a pull or a follow;
an interrupt arrives at each phase of a run. Each ends in one line naming the engine
and what is known of the container, within a bounded time, with nothing left running."""

import signal
import threading
import time

import pytest

from runmagic.commands import logs as logs_command
from runmagic.commands.context import Context, RunSettings
from runmagic.commands.pull import pull_image
from runmagic.errors import EngineLost, EngineUnreachable, Interrupted
from tests.support.fake_engine import (
    HANG_UP, SILENCE, FakeEngine, Pause, ScriptedContainer, frame, reply, slow, stream)
from tests.unit.engine_doubles import Cell, engine_of, runner_for

CID = "c0ffee" * 10 + "abcd"
BASE = f"/containers/{CID}"
#: A notebook's ladder, made quick: SIGINT, 0.2 s, the stop signal, 0.2 s, SIGKILL.
QUICK_LADDER = {"interrupt_grace": 0.2, "interrupt_kill_delay": 0.2}


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        yield engine


def interrupt_main(after: float = 0.0) -> None:
    """A kernel interrupt: SIGINT to the main thread, which raises KeyboardInterrupt there
    even while it is blocked reading a socket."""
    main = threading.main_thread().ident
    threading.Timer(after, signal.pthread_kill, (main, signal.SIGINT)).start()


def one_line(error) -> str:
    lines = error._render_traceback_()
    assert len(lines) == 1, lines
    return lines[0]


# -- the engine dies or goes silent -----------------------------------------------------


def test_engine_dies_while_a_cell_streams(fake, tmp_path):
    ScriptedContainer(fake, name="job", output=[frame("stdout", "before\n")], runs_until={"SIGKILL"})
    engine = engine_of(fake)
    cell = Cell()
    threading.Timer(0.3, fake.die).start()
    started = time.monotonic()
    with pytest.raises(EngineLost) as caught:
        runner_for(engine, "--rm --name job busybox sleep 60", cell, tmp_path=tmp_path).run()
    assert time.monotonic() - started < 2
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} stopped answering (the connection ended in the "
        f"middle of a response); the container {CID[:12]} (job) was started: its state and exit "
        "status are unknown (exit status 125)")
    assert cell.pieces == [("stdout", "before\n")]  # the output shown so far stays


def test_engine_dies_between_create_and_start(fake, tmp_path):
    container = ScriptedContainer(fake, name="job")
    fake.on("POST", f"{BASE}/start", lambda request: (fake.die(), HANG_UP)[1])
    with pytest.raises(EngineLost) as caught:
        runner_for(engine_of(fake), "--name job busybox true", Cell(), tmp_path=tmp_path).run()
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} stopped answering (the connection closed before "
        f"an answer); the container {CID[:12]} (job) may have started (exit status 125)")
    assert not container.started.is_set()


def test_engine_gone_before_start_says_the_container_was_not_started(fake, tmp_path):
    ScriptedContainer(fake, name="job")
    runner = runner_for(engine_of(fake), "busybox true", Cell(), tmp_path=tmp_path)
    runner.on_created = lambda container_id: fake.die()
    with pytest.raises(EngineUnreachable) as caught:
        runner.run()
    line = one_line(caught.value)
    assert line.startswith(f"docker: Cannot connect to the Docker daemon at {fake.url}.")
    assert line.endswith(f"; the container {CID[:12]} (job) was created and not started (exit status 125)")


def test_engine_dies_while_the_wait_is_pending(fake, tmp_path):
    ScriptedContainer(fake, name="job", output=[frame("stdout", "done\n")])
    fake.on("POST", f"{BASE}/wait", stream(Pause(0.2), HANG_UP))
    with pytest.raises(EngineLost, match="stopped answering .* was started: its state"):
        runner_for(engine_of(fake), "--name job busybox true", Cell(), tmp_path=tmp_path).run()


def test_engine_dies_while_it_pulls(fake):
    fake.on("POST", "/images/create", stream(
        {"status": "Pulling from app", "id": "1"},
        {"status": "Downloading", "id": "abc", "progressDetail": {"current": 10, "total": 100}},
        HANG_UP))
    shown = []
    with pytest.raises(EngineLost) as caught:
        pull_image(engine_of(fake), "127.0.0.1:5/app:1", write=shown.append)
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} stopped answering (the connection ended in the "
        "middle of a response) (exit status 125)")
    assert shown and shown[0].startswith("1: Pulling from app")


def test_engine_dies_during_logs_follow(fake):
    ScriptedContainer(fake, name="job", runs_until={"SIGKILL"}).created.set()
    fake.on("GET", f"{BASE}/logs", stream(frame("stdout", "line 1\n"), Pause(0.2), HANG_UP,
                                          content_type="application/vnd.docker.raw-stream"))
    cell = Cell()
    ctx = Context(engine_of(fake), cell.out, cell.err, settings=RunSettings(flush_interval=0.0))
    started = time.monotonic()
    with pytest.raises(EngineLost) as caught:
        logs_command.fetch_logs(ctx, "job", follow=True)
    assert time.monotonic() - started < 2
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} stopped answering (the connection ended in the "
        "middle of a response); stopped following the logs of job: the container's state is "
        "unknown (exit status 125)")
    assert cell.stream("stdout") == "line 1\n"


def test_a_silent_engine_times_out_with_a_clear_line(fake):
    fake.on("GET", "/version", SILENCE)
    started = time.monotonic()
    with pytest.raises(EngineLost) as caught:
        engine_of(fake, timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} did not answer within 0.3 s (exit status 125)")


def test_a_silent_create_times_out_and_says_what_may_exist(fake, tmp_path):
    fake.on("POST", "/containers/create", SILENCE)
    with pytest.raises(EngineLost) as caught:
        runner_for(engine_of(fake, timeout=0.3), "busybox true", Cell(), tmp_path=tmp_path).run()
    assert one_line(caught.value) == (
        f"docker: the Docker engine at {fake.url} did not answer within 0.3 s; the engine may have "
        "created the container (exit status 125)")


def test_slow_answers_below_the_timeout_are_waited_for(fake, tmp_path):
    container = ScriptedContainer(fake, name="job", output=[frame("stdout", "ok\n")])
    fake.on("POST", "/containers/create", lambda request: slow(0.4, container._create(request)))
    result = runner_for(engine_of(fake, timeout=1), "busybox true", Cell(), tmp_path=tmp_path).run()
    assert result.stdout == "ok\n"


def test_an_interrupt_ends_a_wait_on_a_silent_engine(fake, tmp_path):
    fake.on("GET", "/containers/json", SILENCE)
    engine = engine_of(fake, timeout=30)
    interrupt_main(0.2)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        engine.containers(all=True)
    assert time.monotonic() - started < 1


def test_no_engine_at_all(fake, tmp_path):
    engine = engine_of(fake)
    fake.die()
    with pytest.raises(EngineUnreachable) as caught:
        runner_for(engine, "busybox true", Cell(), tmp_path=tmp_path).run()
    assert one_line(caught.value).endswith("; no container was created (exit status 125)")


# -- an interrupt at every phase ----------------------------------------------------------


def run_interrupted(fake, tmp_path, line="--rm --name job busybox sleep 60", **settings):
    started = time.monotonic()
    with pytest.raises(Interrupted) as caught:
        runner_for(engine_of(fake), line, Cell(), tmp_path=tmp_path, **{**QUICK_LADDER, **settings}).run()
    return one_line(caught.value), time.monotonic() - started


def test_interrupt_while_pulling_cancels_the_pull_and_creates_nothing(fake, tmp_path):
    fake.on("POST", "/containers/create", lambda request: reply(404, {"message": "No such image: app:1"}))

    def pull(request):
        interrupt_main(0.1)
        return stream({"status": "Pulling from app"}, Pause(5), {"status": "done"})

    fake.on("POST", "/images/create", pull)
    line, took = run_interrupted(fake, tmp_path, "--rm app:1")
    assert line == "Interrupted: the pull was cancelled (exit status 130)" and took < 2
    assert fake.calls() == [("POST", "/containers/create"), ("POST", "/images/create")]


def test_interrupt_while_creating_removes_what_the_engine_made(fake, tmp_path):
    container = ScriptedContainer(fake, name="job")
    fake.on("POST", "/containers/create",
            lambda request: (interrupt_main(0.05), slow(0.3, container._create(request)))[1])
    line, took = run_interrupted(fake, tmp_path)
    assert line == (f"Interrupted: the container {CID[:12]} was created and removed before it "
                    "started (exit status 130)")
    assert container.removed.is_set() and not container.started.is_set() and took < 2


def test_interrupt_while_creating_a_container_without_rm_leaves_it_created(fake, tmp_path):
    container = ScriptedContainer(fake, name="job")
    fake.on("POST", "/containers/create",
            lambda request: (interrupt_main(0.05), slow(0.3, container._create(request)))[1])
    line, _ = run_interrupted(fake, tmp_path, "--name job busybox sleep 60")
    assert line == f"Interrupted: the container {CID[:12]} was created and not started (exit status 130)"
    assert not container.started.is_set() and not container.removed.is_set()


@pytest.mark.parametrize("phase", ["start", "first output", "stream", "wait", "removal"])
def test_interrupt_at_each_phase_leaves_no_container(fake, tmp_path, phase):
    container = ScriptedContainer(fake, name="job", output=[frame("stdout", "ready\n")],
                                  runs_until={"SIGKILL"},
                                  removal_delay=0.5 if phase == "removal" else 0.0)
    on_first_output = lambda: None  # noqa: E731
    if phase == "start":
        def start(request):
            interrupt_main()
            time.sleep(0.1)
            return container._start(request)
        fake.on("POST", f"{BASE}/start", start)
    elif phase == "first output":
        on_first_output = interrupt_main
    elif phase == "stream":
        interrupt_main(0.4)
    elif phase in ("wait", "removal"):
        # The container exits by itself; the interrupt comes while the wait is pending.
        container.runs_until = None
        wait = container._wait

        def waiting(request):
            interrupt_main(0.2 if phase == "wait" else 0.1)
            return wait(request)
        fake.on("POST", f"{BASE}/wait", waiting)
        if phase == "wait":
            container.output.append(Pause(0.5))
    started = time.monotonic()
    with pytest.raises(Interrupted) as caught:
        runner = runner_for(engine_of(fake), "--rm --name job busybox sleep 60", Cell(),
                            tmp_path=tmp_path, **QUICK_LADDER)
        runner.on_first_output = on_first_output
        runner.run()
    took = time.monotonic() - started
    assert one_line(caught.value) == (
        f"Interrupted: the container exited with status {caught.value.exit_status} and was removed")
    assert container.exited.is_set() and container.removed.is_set()
    assert took < 0.2 + 0.2 + 1 + 0.6  # grace + kill delay + 1 s (+ the fake's own delays)
