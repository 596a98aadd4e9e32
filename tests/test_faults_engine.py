"""The engine killed (SIGKILL) under a kernel, on a dockerd of the test's own: the cell ends
in one line naming the engine and the container, the next cell works once the engine is
back, without restarting the kernel, and nothing is left on the engine."""

import time

import pytest

from tests.support.kernel import KernelSession
from tests.support.private_engine import PrivateEngine


@pytest.fixture(scope="module")
def engine(docker_client):
    private = PrivateEngine()
    try:
        private.start()
        private.load_busybox(docker_client)
        yield private
    finally:
        private.stop()


@pytest.fixture(scope="module")
def kernel_on(engine):
    session = KernelSession(extra_setup=f"%env DOCKER_HOST={engine.url}\n")
    yield session
    session.close()


def test_engine_killed_while_a_cell_streams(engine, kernel_on):
    execution = kernel_on.submit(
        "%%docker_run --rm --name fault-stream --network none busybox sh\necho ready\nsleep 300\n")
    kernel_on.wait_for_output(execution, "ready")
    engine.kill()
    kernel_on.collect(execution, timeout=15)
    assert execution.outputs[-1][0] < 15
    line, = execution.error["traceback"]
    assert line.startswith(f"docker: the Docker engine at {engine.url} stopped answering (")
    assert "; the container " in line and "(fault-stream) was started: its state and exit status are " \
        "unknown (exit status 125)" in line
    assert execution.stream("stdout") == "ready\n"

    # While it is down: docker's own sentence, at once.
    down = kernel_on.run("%docker_run --rm --network none busybox true")
    assert down.error["traceback"][0].startswith(f"docker: Cannot connect to the Docker daemon at {engine.url}.")

    engine.start()
    back = kernel_on.run("%docker_run --rm --network none busybox echo back")
    assert back.error is None, back.error
    assert back.stream("stdout") == "back\n"
    # dockerd removes a --rm container it finds stopped when it starts again (soon after).
    deadline = time.monotonic() + 20
    while engine.client().containers(all=True) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert engine.client().containers(all=True) == []


def test_engine_killed_between_create_and_start(engine, kernel_on):
    kernel_on.run("import os, signal\n"
                  f"_kill = lambda cid: os.kill({engine.process.pid}, signal.SIGKILL)\n")
    execution = kernel_on.run(
        "from runmagic.commands.run import Runner\n"
        "_created = Runner.__init__\n"
        "def _init(self, *a, **k):\n"
        "    _created(self, *a, **k)\n"
        "    self.on_created = _kill\n"
        "Runner.__init__ = _init\n"
        "try:\n"
        "    get_ipython().run_line_magic('docker_run', '--name fault-created --network none busybox true')\n"
        "finally:\n"
        "    Runner.__init__ = _created\n", timeout=30)
    engine.process.wait()
    line, = execution.error["traceback"]
    # The attach finds the engine gone or going: "Cannot connect" or "stopped answering".
    assert line.startswith(f"docker: Cannot connect to the Docker daemon at {engine.url}.") or \
        line.startswith(f"docker: the Docker engine at {engine.url} stopped answering (")
    assert line.endswith("(fault-created) was created and not started (exit status 125)")
    engine.kill()
    engine.start()
    left = engine.client().containers(all=True)
    assert [(c["Names"], c["State"]) for c in left] == [(["/fault-created"], "created")]
    engine.client().remove_container("fault-created")
