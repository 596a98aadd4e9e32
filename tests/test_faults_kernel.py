"""Faults a user meets in a real kernel against the real engine: the interrupt of a
container that ignores every polite signal, and a log folder that cannot be written."""

import time

from tests.test_docker_run import labelled_containers


def wait_running(docker_client, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [c for c in labelled_containers(docker_client) if c["State"] == "running"]
        if running:
            return running[0]
        time.sleep(0.05)
    raise AssertionError("the container never ran")


def test_interrupt_ends_the_cell_within_the_grace_plus_one_second(kernel, docker_client):
    """busybox sleep as PID 1 ignores SIGINT and SIGTERM: only the ladder's SIGKILL ends it."""
    grace = float(kernel.run("print(get_ipython().find_magic('docker_run').__self__.interrupt_grace)")
                  .stream("stdout"))
    execution = kernel.submit("%docker_run --rm --network none busybox sleep 120")
    wait_running(docker_client)
    interrupted = time.monotonic()
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    took = time.monotonic() - interrupted
    assert took < grace + 1, f"the cell took {took:.2f} s after the interrupt"
    assert execution.error["traceback"] == [
        "Interrupted: the container exited with status 137 and was removed"]
    assert not labelled_containers(docker_client)
    assert kernel.run("print(1 + 1)").stream("stdout") == "2\n"


def test_unwritable_log_folder_is_named_and_the_output_stays(kernel, docker_client):
    kernel.run("%config DockerRun.live_limit = 10000")
    kernel.run("%config DockerRun.log_dir = '/proc/nope'")
    try:
        execution = kernel.run("%docker_run --rm --network none busybox seq 100000", timeout=120)
    finally:
        kernel.run("%config DockerRun.live_limit = 524288\n%config DockerRun.log_dir = '/tmp/runmagic'")
    stdout, stderr = execution.stream("stdout"), execution.stream("stderr")
    assert execution.error is None, execution.error
    assert stdout.startswith("1\n2\n3\n") and "100000\n" in stdout  # the head and the tail
    # The notice is in the stream it is about, naming the folder.
    assert "log cannot be written (" in stdout and " in /proc/nope)" in stdout
    assert "Cannot connect" not in stdout + stderr
    assert not labelled_containers(docker_client)
