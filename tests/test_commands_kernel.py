"""The companion magics in a real kernel: streaming, interrupts, cell bodies, rich output.

Containers are made with ``%docker_run -d`` in the kernel (which labels them with the
session's labels) and removed by each test.
"""

import re
import shlex
import time

import docker.errors
import pytest


TICKER = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"


@pytest.fixture
def started(kernel, docker_client):
    """``started(options, command)``: a detached container from the kernel, removed afterwards."""
    made = []

    def start(options: str, command: str):
        network = "" if "--network" in options else "--network none"
        execution = kernel.run(f"%docker_run -d {network} {options} busybox {command}")
        assert execution.error is None, execution.error
        container_id = execution.stream("stdout").split()[0]
        made.append(container_id)
        return docker_client.containers.get(container_id)

    yield start
    for container_id in made:
        try:
            docker_client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass


def one_line_error(execution) -> str:
    assert execution.error is not None, execution.outputs
    [line] = execution.error["traceback"]
    return line


def test_ps_shows_an_html_table_and_docker_text_and_keeps_go_templates(kernel, started):
    web = started("--label role=web", "sleep 300")
    name = web.name
    execution = kernel.run(f"%docker_ps --filter name={name}")
    [(_, kind, content)] = execution.outputs
    assert kind == "execute_result"
    text, html = content["data"]["text/plain"], content["data"]["text/html"]
    assert text.splitlines()[0].startswith("CONTAINER ID   IMAGE     COMMAND")
    assert f"   {name}" in text.splitlines()[1]
    assert "<table" in html and f"<td style=\"text-align:left\">{name}</td>" in html
    # Go templates arrive as written; {var} elsewhere on the line still expands.
    execution = kernel.run(f"wanted = {name!r}\n%docker_ps --filter name={{wanted}} --format '{{{{.Names}}}}:{{{{.Label \"role\"}}}}'")
    assert execution.outputs[-1][2]["data"] == {"text/plain": f"{name}:web"}
    execution = kernel.run(f"rows = %docker_ps -a --filter name={name}\nprint(len(rows), rows[0].id == {web.id!r}, rows[0].status())")
    assert execution.stream("stdout") == "1 True running\n"


def test_help_and_usage_errors(kernel):
    assert kernel.run("%docker_ps --help").stream("stdout").startswith("Usage:  docker ps [OPTIONS]")
    doc = kernel.run("print(get_ipython().find_line_magic('docker_logs').__doc__)").stream("stdout")
    assert doc.startswith("Usage:  docker logs [OPTIONS] CONTAINER") and "--follow" in doc
    assert one_line_error(kernel.run("%docker_ps --bogus")) == "unknown flag: --bogus (exit status 125)"
    assert one_line_error(kernel.run("%docker_logs")) == "docker: 'docker logs' requires 1 argument (exit status 1)"
    assert one_line_error(kernel.run("%docker_stop no-such-container-here")) == (
        "Error response from daemon: No such container: no-such-container-here (exit status 1)")
    assert kernel.run("%docker_network").stream("stdout").startswith("Usage:  docker network COMMAND")
    execution = kernel.run(
        "import os\n"
        "os.environ['DOCKER_HOST'] = 'unix:///tmp/runmagic-no-engine.sock'\n"
        "try:\n"
        "    %docker_ps\n"
        "finally:\n"
        "    del os.environ['DOCKER_HOST']\n")
    assert one_line_error(execution).startswith(
        "Cannot connect to the Docker daemon at unix:///tmp/runmagic-no-engine.sock.")


def test_attach_interrupt_with_sig_proxy_sends_sigint(kernel, started):
    container = started("", f"sh -c \"trap 'echo got INT; exit 3' INT; {TICKER}\"")
    execution = kernel.submit(f"%docker_attach {container.name}")
    kernel.wait_for_output(execution, "tick")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert one_line_error(execution) == "Interrupted: the container got SIGINT and exited with status 3"
    assert execution.stream("stdout").endswith("got INT\n")
    container.reload()
    assert container.status == "exited"


def test_attach_interrupt_without_sig_proxy_only_detaches(kernel, started):
    container = started("", f"sh -c \"trap 'echo got INT; exit 3' INT; {TICKER}\"")
    execution = kernel.submit(f"%docker_attach --sig-proxy=false {container.id[:12]}")
    kernel.wait_for_output(execution, "tick")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert one_line_error(execution) == "Interrupted: detached; the container keeps running (exit status 130)"
    assert "got INT" not in execution.stream("stdout")
    container.reload()
    assert container.status == "running"


def test_attach_cell_body_is_stdin(kernel, started):
    container = started("-i", "sh -c 'read line; echo got: $line; exit 4'")
    execution = kernel.run(f"%%docker_attach {container.name}\nhello there\n")
    assert execution.stream("stdout") == "got: hello there\n"
    assert one_line_error(execution) == "Container exited with status 4"


def test_logs_follow_ends_on_interrupt_and_the_container_keeps_running(kernel, started):
    container = started("", f"sh -c \"{TICKER}\"")
    execution = kernel.submit(f"%docker_logs -f {container.name}")
    kernel.wait_for_output(execution, "tick 3")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert execution.error is None
    assert execution.stream("stderr") == (
        "[runmagic] stopped following the logs; the container keeps running\n")
    assert re.match(r"(tick \d+\n)+$", execution.stream("stdout"))
    container.reload()
    assert container.status == "running"


def test_interrupting_the_follow_of_a_silent_container(kernel, started):
    container = started("", "sh -c 'echo once; exec sleep 300'")
    execution = kernel.submit(f"%docker_logs -f {container.name}")
    kernel.wait_for_output(execution, "once")
    kernel.interrupt()
    kernel.collect(execution, timeout=20)
    assert execution.error is None and execution.stream("stdout") == "once\n"


def test_exec_streams_with_the_cell_body_as_stdin(kernel, started):
    container = started("", "sleep 300")
    execution = kernel.run(f"%%docker_exec {container.name} sh -c 'tr a-z A-Z; echo done >&2; exit 4'\nquiet words\n")
    assert execution.stream("stdout") == "QUIET WORDS\n"
    assert execution.stream("stderr") == "done\n"
    assert one_line_error(execution) == "The command exited with status 4"
    execution = kernel.run(
        f"r = %docker_exec -e GREETING=hi -w /tmp {container.name} sh -c 'echo $GREETING $(pwd)'\n"
        "print(r.exit_status, repr(r.stdout))")
    assert execution.stream("stdout") == "hi /tmp\n0 'hi /tmp\\n'\n"


def test_start_attached_with_the_cell_body(kernel, docker_client, labels):
    created = docker_client.containers.create("busybox", ["sh", "-c", "rev; exit 2"], stdin_open=True,
                                              network_mode="none", labels=labels)
    try:
        execution = kernel.run(f"%%docker_start -a -i {created.name}\nabc\n")
        assert execution.stream("stdout") == "cba\n"
        assert one_line_error(execution) == "Container exited with status 2"
        execution = kernel.run(f"%docker_start {created.name} no-such-container-here")
        assert execution.stream("stdout") == f"{created.name}\n"
        assert execution.stream("stderr") == (
            "Error response from daemon: No such container: no-such-container-here\n")
        assert one_line_error(execution) == "Error: failed to start containers: no-such-container-here (exit status 1)"
    finally:
        created.remove(force=True)


def test_events_run_until_interrupted(kernel, started):
    container = started("", "sleep 300")
    execution = kernel.submit(f"%docker_events --filter container={container.id} --format '{{{{.Action}}}}'")
    time.sleep(1)  # the subscription is made when the magic has started
    container.kill()
    kernel.wait_for_output(execution, "die")
    kernel.interrupt()
    kernel.collect(execution, timeout=30)
    assert execution.error is None
    assert execution.stream("stdout") == "kill\ndie\n"


def test_volume_and_network_magics(kernel, started, docker_client, labels):
    options = " ".join(f"--label {shlex.quote(f'{k}={v}')}" for k, v in labels.items())
    suffix = started("--network bridge", "sleep 300").name
    execution = kernel.run(f"%docker_volume create {options} kvol-{suffix}\n"
                           f"%docker_network create {options} knet-{suffix}")
    assert execution.error is None, execution.error
    lines = execution.stream("stdout").splitlines()
    assert lines[0] == f"kvol-{suffix}" and re.fullmatch(r"[0-9a-f]{64}", lines[1])
    try:
        execution = kernel.run(f"%docker_volume ls -q --filter name=kvol-{suffix}")
        assert execution.outputs[-1][2]["data"]["text/plain"] == f"kvol-{suffix}"
        execution = kernel.run(f"%docker_network connect --alias db knet-{suffix} {suffix}")
        assert execution.error is None, execution.error
        execution = kernel.run(f"%docker_inspect -f '{{{{range $n, $e := .NetworkSettings.Networks}}}}{{{{$n}}}}={{{{$e.Aliases}}}} {{{{end}}}}' {suffix}")
        assert re.fullmatch(rf"bridge=\[\] knet-{suffix}=\[db [0-9a-f]{{12}}\] ",
                            execution.outputs[-1][2]["data"]["text/plain"]), execution.outputs
        execution = kernel.run(f"%docker_network disconnect knet-{suffix} {suffix}\n"
                               f"%docker_network rm knet-{suffix}\n%docker_volume rm kvol-{suffix}")
        assert execution.error is None, execution.error
        assert execution.stream("stdout") == f"knet-{suffix}\nkvol-{suffix}\n"
    finally:
        docker_client.api.remove_container(suffix, force=True)
        for remove in (lambda: docker_client.networks.get(f"knet-{suffix}").remove(),
                       lambda: docker_client.volumes.get(f"kvol-{suffix}").remove()):
            try:
                remove()
            except docker.errors.NotFound:
                pass
