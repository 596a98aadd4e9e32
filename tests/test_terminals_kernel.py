"""Interactive containers in a real kernel over ZMQ, as frontends without runmagic's terminal
(nbclient, VS Code) drive them: the line mode through the stdin channel, the scripted body under
nbclient, an interrupt of an idle ``-it sh``, and ``--detach-keys`` refusals.

Containers carry the session labels (the kernel's DockerRun.labels) and --network none.
"""

from __future__ import annotations

import queue
import time
import uuid

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support.engine import session_labels
from tests.support.kernel import Execution

pytestmark = pytest.mark.timeout(180)


def _name() -> str:
    return f"rm-tty-{uuid.uuid4().hex[:10]}"


def _containers(docker_client, name: str) -> list[dict]:
    return docker_client.api.containers(all=True, filters={"name": f"^/{name}$"})


def _submit_with_stdin(kernel, code: str) -> Execution:
    return Execution(kernel.client.execute(code, allow_stdin=True), time.monotonic())


def _next_input_request(kernel, timeout: float = 20) -> dict:
    return kernel.client.get_stdin_msg(timeout=timeout)


def test_line_mode_answers_input_requests(kernel, docker_client):
    name = _name()
    execution = _submit_with_stdin(kernel, f"%docker_run -it --rm --network none --name {name} busybox sh")
    assert _next_input_request(kernel)["msg_type"] == "input_request"
    kernel.client.input("echo $((6*7))")
    _next_input_request(kernel)
    kernel.client.input("")  # an empty answer is Ctrl-D: the shell exits
    kernel.collect(execution)
    stdout = execution.stream("stdout")
    assert "42\n" in stdout
    assert "\x1b" not in stdout.replace("\x1b[", "")  # colours at most, never queries
    assert "[6n" not in stdout
    assert execution.error is None, execution.error
    assert _containers(docker_client, name) == []


def test_without_stdin_the_tty_reads_end_of_file(kernel, docker_client):
    """nbclient's allow_stdin=False: as docker with stdin at EOF, never a hang."""
    name = _name()
    started = time.monotonic()
    execution = kernel.run(f"%docker_run -it --rm --network none --name {name} busybox sh", timeout=30)
    assert time.monotonic() - started < 10
    assert execution.error is None, execution.error
    assert "/ #" in execution.stream("stdout")
    assert _containers(docker_client, name) == []


def test_scripted_body_under_nbclient(docker_client, tmp_path):
    name = _name()
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(f"%load_ext runmagic\n%config DockerRun.labels = {session_labels()!r}"),
        nbformat.v4.new_code_cell(f"%%docker_run -it --rm --network none --name {name} busybox sh\n"
                                  "echo $((6*7))\nprintf '\\033[31mred\\033[0m\\n'\nexit 0\n"),
    ])
    NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    # A readable transcript: what was typed and what came back, no escape codes at all.
    assert "/ # echo $((6*7))\n42\n" in text
    assert "red\n" in text and "\x1b" not in text
    assert not any(o.output_type == "error" for o in outputs), outputs
    assert _containers(docker_client, name) == []


def test_interrupt_of_an_idle_shell(kernel, docker_client):
    """sh on a TTY ignores SIGINT and SIGTERM: the ladder kills it within the grace + 1 s."""
    name = _name()
    execution = _submit_with_stdin(kernel, f"%docker_run -it --rm --network none --name {name} busybox sh")
    _next_input_request(kernel)  # idle at its prompt, the cell waiting for a line
    interrupted = time.monotonic()
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    took = time.monotonic() - interrupted
    grace = kernel.run("print(get_ipython().find_magic('docker_run').__self__.interrupt_grace)").stream("stdout")
    assert took <= float(grace) + 1.0, f"the kernel came back after {took:.2f} s"
    assert execution.error is not None and "Interrupted" in execution.error["evalue"]
    assert _containers(docker_client, name) == []


@pytest.mark.parametrize("keep", ["--rm", ""])
def test_bad_detach_keys_get_dockers_answer(kernel, docker_client, keep):
    name = _name()
    execution = kernel.run(f"%docker_run -it {keep} --network none --detach-keys=bogus --name {name} busybox sh")
    assert execution.error["traceback"] == ["unable to upgrade to tcp, received 400 (exit status 1)"]
    left = _containers(docker_client, name)
    try:
        # Nothing running; docker leaves the created container unless --rm asked it to go.
        assert [c["State"] for c in left] == ([] if keep else ["created"])
    finally:
        for c in left:
            docker_client.api.remove_container(c["Id"], force=True, v=True)
