"""%%docker_run and %docker_run end to end: a real kernel, a real engine, local busybox."""

import io
import re
import textwrap
import time
import uuid

import docker.errors
import pytest

from tests.support.engine import SESSION_ID, SESSION_LABEL, TEST_LABEL
from tests.support.kernel import KernelSession


def labelled_containers(docker_client):
    """This test session's containers (other sessions may run beside it)."""
    return docker_client.api.containers(all=True, filters={"label": f"{SESSION_LABEL}={SESSION_ID}"})


def status_of(kernel, magic_call: str):
    """Run a magic call inside the kernel and report its exception's type and status."""
    code = textwrap.dedent(f"""
        try:
            _r = {magic_call}
            print("OK", getattr(_r, "exit_status", None))
        except Exception as _e:
            print("ERR", type(_e).__name__, getattr(_e, "exit_status", None))
            print("MSG", _e)
    """)
    execution = kernel.run(code)
    return execution.stream("stdout"), execution


def test_first_line_arrives_while_the_container_runs(kernel):
    execution = kernel.run(
        "%%docker_run --rm --network none busybox sh\necho first\nsleep 2\necho last\n")
    assert execution.error is None, execution.error
    assert execution.stream("stdout") == "first\nlast\n"
    assert execution.first_output_time("last") - execution.first_output_time("first") > 1.5


def test_stdout_and_stderr_are_separate_streams(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox sh -c 'echo out; echo err >&2'")
    assert execution.stream("stdout") == "out\n"
    assert execution.stream("stderr") == "err\n"


def test_cell_body_is_stdin_and_ends_with_eof(kernel):
    execution = kernel.run("%%docker_run --rm --network none busybox wc -l\none\ntwo\nthree\n")
    assert execution.error is None
    assert execution.stream("stdout").strip() == "3"


def test_shell_script_body_runs(kernel):
    execution = kernel.run(
        "%%docker_run --rm --network none busybox sh\nfor i in 1 2 3; do echo n$i; done\n")
    assert execution.stream("stdout") == "n1\nn2\nn3\n"


def test_tty_merges_streams_and_normalises_line_ends(kernel):
    execution = kernel.run(
        "%docker_run --rm -t --network none busybox sh -c 'echo out; echo err >&2; printf \"\\033[31mred\\033[0m\\n\"'")
    assert execution.stream("stderr") == ""
    assert execution.stream("stdout") == "out\nerr\n\x1b[31mred\x1b[0m\n"


def test_attach_selects_streams(kernel):
    execution = kernel.run("%docker_run --rm -a stderr --network none busybox sh -c 'echo out; echo err >&2'")
    assert execution.stream("stdout") == ""
    assert execution.stream("stderr") == "err\n"


def test_split_multibyte_character_arrives_whole(kernel):
    execution = kernel.run(
        "%docker_run --rm --network none busybox sh -c \"printf '\\\\303'; sleep 0.3; printf '\\\\251\\\\n'\"")
    assert execution.stream("stdout") == "\u00e9\n"


def test_line_magic_returns_a_result(kernel):
    execution = kernel.run(
        "r = %docker_run --rm --name rm-result-test --network none busybox echo hi\n"
        "print(r.exit_status, repr(r.stdout), r.name, len(r.id))")
    assert execution.stream("stdout") == "hi\n0 'hi\\n' rm-result-test 64\n"


def test_result_is_not_echoed_in_its_own_cell(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox echo quiet")
    assert execution.stream("stdout") == "quiet\n"
    assert "execute_result" not in [kind for _, kind, _ in execution.outputs]
    later = kernel.run("r = %docker_run --rm --network none busybox echo quiet")
    assert later.stream("stdout") == "quiet\n"
    shown = kernel.run("r")
    assert shown.stream("stdout").startswith("RunResult(id=")


def test_detach_prints_the_id_and_returns_a_handle(kernel, docker_client):
    execution = kernel.run(
        "h = %docker_run -d --network none busybox sleep 30\nprint(h.status())")
    lines = execution.stream("stdout").splitlines()
    assert re.fullmatch(r"[0-9a-f]{64}", lines[0])
    assert lines[1] == "running"
    container = docker_client.containers.get(lines[0])
    assert container.labels[TEST_LABEL] == "1"
    kernel.run("h.remove(force=True)")
    assert not labelled_containers(docker_client)


@pytest.mark.parametrize("call, expected", [
    ("%docker_run --rm --network none busybox true", "OK 0"),
    ("%docker_run --rm --network none busybox sh -c 'exit 1'", "ERR ContainerExit 1"),
    ("%docker_run --rm --network none busybox sh -c 'exit 42'", "ERR ContainerExit 42"),
    ("%docker_run --rm --foo busybox true", "ERR FlagError 125"),
    ("%docker_run --rm --network no-such-network-here busybox true", "ERR DaemonError 125"),
    ("%docker_run --rm --network none busybox /etc", "ERR DaemonError 126"),
    ("%docker_run --rm --network none busybox no-such-command", "ERR DaemonError 127"),
])
def test_exit_statuses(kernel, docker_client, call, expected):
    stdout, _ = status_of(kernel, call)
    assert stdout.splitlines()[0] == expected
    assert not labelled_containers(docker_client), "--rm left a container behind"


def test_errors_render_as_one_line(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox no-such-command")
    assert execution.error is not None
    assert len(execution.error["traceback"]) == 1
    line = execution.error["traceback"][0]
    assert line.startswith("docker: Error response from daemon: ")
    assert "executable file not found" in line or "no such file or directory" in line
    assert line.endswith(" (exit status 127)")


def test_unknown_flag_creates_nothing(kernel, docker_client):
    execution = kernel.run("%docker_run --bogus busybox true")
    assert execution.error["traceback"] == ["unknown flag: --bogus (exit status 125)"]
    assert not labelled_containers(docker_client)


def test_container_without_rm_is_kept(kernel, docker_client):
    execution = kernel.run(
        "r = %docker_run --network none busybox sh -c 'exit 0'\nprint(r.id)")
    container_id = execution.stream("stdout").strip()
    container = docker_client.containers.get(container_id)
    assert container.status == "exited"
    container.remove()


def test_engine_unreachable_is_one_line(kernel):
    execution = kernel.run(
        "import os\n"
        "_saved = os.environ.get('DOCKER_HOST')\n"
        "os.environ['DOCKER_HOST'] = 'unix:///tmp/runmagic-no-engine.sock'\n"
        "try:\n"
        "    %docker_run --rm busybox true\n"
        "finally:\n"
        "    if _saved is None:\n"
        "        os.environ.pop('DOCKER_HOST')\n"
        "    else:\n"
        "        os.environ['DOCKER_HOST'] = _saved\n")
    assert execution.error is not None
    [line] = execution.error["traceback"]
    assert line.startswith("docker: Cannot connect to the Docker daemon at unix:///tmp/runmagic-no-engine.sock.")
    assert "DOCKER_HOST" in line and line.endswith(" (exit status 125)")


def test_missing_image_tries_a_pull_and_fails_with_125(kernel, docker_client):
    # A registry address on this machine where nothing listens: the pull is
    # attempted and refused, and nothing leaves the machine.
    stdout, execution = status_of(kernel, "%docker_run --rm 127.0.0.1:9/runmagic/absent busybox")
    assert stdout.splitlines()[0] == "ERR DaemonError 125"
    assert "Unable to find image '127.0.0.1:9/runmagic/absent:latest' locally" in execution.stream("stderr")
    assert "connection refused" in stdout


def test_pull_never_does_not_pull(kernel):
    stdout, execution = status_of(kernel, "%docker_run --rm --pull never 127.0.0.1:9/runmagic/absent")
    assert stdout.splitlines()[0] == "ERR DaemonError 125"
    assert "No such image: 127.0.0.1:9/runmagic/absent" in stdout
    assert "Unable to find image" not in execution.stream("stderr")


def test_interrupt_with_a_container_that_ignores_sigint(kernel, docker_client):
    execution = kernel.submit(
        "%%docker_run --rm --stop-timeout 1 --network none busybox sh\n"
        "trap '' INT TERM\necho ready\nwhile true; do sleep 1; done\n")
    kernel.wait_for_output(execution, "ready")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert execution.error is not None
    assert execution.error["traceback"][0].startswith("Interrupted: the container exited with status 137")
    assert execution.outputs[-1][0] < 15
    assert not labelled_containers(docker_client)
    assert kernel.run("print(1 + 1)").stream("stdout") == "2\n"


def test_second_interrupt_kills_at_once(kernel, docker_client):
    execution = kernel.submit(
        "%%docker_run --rm --stop-timeout 60 --network none busybox sh\n"
        "trap '' INT TERM\necho ready\nwhile true; do sleep 1; done\n")
    kernel.wait_for_output(execution, "ready")
    kernel.interrupt()
    kernel.wait_for_output(execution, "interrupt again to kill it")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert execution.outputs[-1][0] < 10
    assert not labelled_containers(docker_client)


def test_interrupt_leaves_a_container_without_rm_stopped(kernel, docker_client):
    execution = kernel.submit(
        "%%docker_run --name rm-interrupt-kept --stop-timeout 2 --network none busybox sh\necho ready\nsleep 60\n")
    kernel.wait_for_output(execution, "ready")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    container = docker_client.containers.get("rm-interrupt-kept")
    assert container.status == "exited"
    container.remove()


def test_kernel_death_kills_a_foreground_container(docker_client):
    dying = KernelSession()
    execution = dying.submit(
        "%%docker_run --rm --name rm-kernel-death --network none busybox sh\necho ready\nsleep 300\n")
    dying.wait_for_output(execution, "ready")
    dying.manager.shutdown_kernel(now=True)  # SIGKILL: no handler of the kernel's own runs
    dying.client.stop_channels()
    deadline = time.monotonic() + 20
    while labelled_containers(docker_client) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not labelled_containers(docker_client)


def test_missing_image_is_pulled_from_a_registry_and_run(kernel, docker_client, local_registry, labels):
    repository = f"{local_registry}/runmagic-test/pulled-by-run"
    tag = uuid.uuid4().hex[:12]
    reference = f"{repository}:{tag}"
    dockerfile = f"FROM busybox:latest\nRUN echo {tag} > /marker\n".encode()
    image, _ = docker_client.images.build(fileobj=io.BytesIO(dockerfile), tag=reference, labels=labels,
                                          pull=False, rm=True, forcerm=True)
    try:
        for event in docker_client.images.push(repository, tag=tag, stream=True, decode=True):
            assert "error" not in event, event
        docker_client.images.remove(image.id, force=True)

        execution = kernel.run(f"%docker_run --rm --network none {reference} cat /marker")
        assert execution.error is None, execution.error
        assert f"Unable to find image '{reference}' locally" in execution.stream("stderr")
        assert execution.stream("stdout") == f"{tag}\n"
        assert docker_client.images.get(reference).id == image.id
    finally:
        try:
            docker_client.images.remove(image.id, force=True)
        except docker.errors.ImageNotFound:
            pass


def test_a_body_with_detach_is_refused_before_anything_is_created(kernel, docker_client):
    execution = kernel.run("%%docker_run -d --network none busybox cat\nlost\n")
    assert execution.error["traceback"] == [
        "runmagic: the cell body would be lost: -d does not attach stdin (use the line magic, or drop -d)"
        " (exit status 125)"]
    assert not labelled_containers(docker_client)


def test_line_expansion_keeps_go_templates(kernel, docker_client):
    execution = kernel.run(
        "word = 'expanded'\n"
        "r = %docker_run --network none --log-opt tag={{.Name}} busybox echo {word} $word\n"
        "def inside():\n"
        "    local = 'local-too'\n"
        "    %docker_run --rm --network none busybox echo {local}\n"
        "inside()\n"
        "print(r.id)")
    lines = execution.stream("stdout").splitlines()
    assert lines[:2] == ["expanded expanded", "local-too"]
    container = docker_client.containers.get(lines[2])
    assert container.attrs["HostConfig"]["LogConfig"]["Config"] == {"tag": "{{.Name}}"}
    container.remove()


def test_tty_with_interactive_keeps_the_output(kernel):
    execution = kernel.run(
        "r = %docker_run --rm -it --network none busybox sh -c 'sleep 0.5; echo done'\nprint(repr(r.stdout))")
    assert execution.stream("stdout").splitlines()[-1] == "'done\\n'"


def test_a_body_with_tty_is_refused_as_docker_refuses_piped_input(kernel, docker_client):
    execution = kernel.run("%%docker_run --rm -t --network none busybox sh\necho hello\n")
    assert execution.error["traceback"] == ["the input device is not a TTY (exit status 1)"]
    assert not labelled_containers(docker_client)
