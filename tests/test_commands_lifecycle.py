"""start, stop, restart, kill, rm, wait, logs and exec on real containers, and the ContainerHandle.

Outcomes (stdout, error words, exit status) are compared with the docker CLI's
where the CLI can run the same line.
"""

import shlex
import subprocess

import docker.errors
import pytest

from runmagic.grammar import parser as cli
from runmagic.engine import client as engine
from runmagic.commands import attach
from runmagic.commands import inspect
from runmagic.commands import lifecycle
from runmagic.commands import logs
from runmagic.grammar import command_flags as tables
from runmagic.commands.context import Context
from runmagic.errors import ContainerExit, DockerError
from runmagic.commands.handle import ContainerHandle

DOCKER = "/usr/local/bin/docker"


def docker_cli(line: str) -> tuple[int, str, str]:
    done = subprocess.run([DOCKER, *shlex.split(line)], capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def run(api, command, line: str, action, stdin: bytes | None = None) -> tuple[int, str, str, object]:
    out, err = [], []
    ctx = Context(api, out.append, err.append, stdin=stdin)
    try:
        result = action(ctx, cli.parse_args(cli.split_line(line), command))
    except DockerError as exc:
        return exc.exit_status, "".join(out), "".join(err) + f"{exc}\n", None
    return 0, "".join(out), "".join(err), result


@pytest.fixture(scope="module")
def api():
    client = engine.connect()
    yield client
    client.close()


@pytest.fixture
def make(docker_client, labels):
    """Containers made for one test, removed after it."""
    made = []

    def container(command, start=True, **options):
        options = {"network_mode": "none", "labels": labels, **options}
        if start:
            created = docker_client.containers.run("busybox", command, detach=True, **options)
        else:
            created = docker_client.containers.create("busybox", command, **options)
        made.append(created)
        return created

    yield container
    for created in made:
        try:
            created.remove(force=True)
        except docker.errors.NotFound:
            pass


def test_stop_restart_kill_print_names_and_report_each_failure(api, make):
    first, second = make(["sleep", "300"], init=True), make(["sleep", "300"], init=True)
    status, out, err, _ = run(api, tables.STOP, f"-t 1 {first.name} no-such-container {second.name}",
                              lifecycle.stop)
    expected = docker_cli("stop no-such-container")
    assert (status, out) == (1, f"{first.name}\n{second.name}\n")
    assert err == expected[2]
    first.reload()
    assert first.status == "exited"
    assert run(api, tables.RESTART, f"-t 1 {first.name}", lifecycle.restart)[:2] == (0, f"{first.name}\n")
    first.reload()
    assert first.status == "running"
    assert run(api, tables.KILL, f"-s SIGTERM {first.name}", lifecycle.kill)[:2] == (0, f"{first.name}\n")
    assert lifecycle.wait_one(api, first.id) == 143
    assert run(api, tables.STOP, "--time 1 --timeout 1 x", lifecycle.stop)[2] == (
        "conflicting options: cannot specify both --timeout and --time\n")


def test_wait_prints_exit_statuses(api, make):
    done = make(["sh", "-c", "exit 7"])
    status, out, err, _ = run(api, tables.WAIT, f"{done.name} no-such-container", lifecycle.wait)
    assert (status, out) == (1, "7\n")
    assert err == docker_cli("wait no-such-container")[2]


def test_rm_with_and_without_force(api, make, docker_client):
    running = make(["sleep", "300"])
    status, out, err, _ = run(api, tables.RM, running.name, lifecycle.remove)
    expected = docker_cli(f"rm {running.name}")
    assert (status, out, err) == (expected[0], expected[1], expected[2])
    assert run(api, tables.RM, f"-f {running.name} no-such-container", lifecycle.remove)[:3] == (
        0, f"{running.name}\n", "Error response from daemon: No such container: no-such-container\n")
    with pytest.raises(docker.errors.NotFound):
        docker_client.containers.get(running.id)


def test_start_reports_failures_in_dockers_words(api, make):
    created = make(["no-such-command"], start=False)
    mine = run(api, tables.START, created.name, lifecycle.start)
    theirs = docker_cli(f"start {created.name}")
    assert mine[:3] == theirs


def test_an_ambiguous_prefix_gets_dockers_error(api, make):
    """Containers are made until two share a first hex digit (at most 17)."""
    seen = {}
    for _ in range(17):
        container = make(["true"], start=False)
        if container.id[0] in seen:
            break
        seen[container.id[0]] = container
    prefix = container.id[0]
    status, out, err, _ = run(api, tables.INSPECT, f"--type container {prefix}",
                              inspect.inspect)
    assert status == 1
    assert err.strip() == f"Error response from daemon: Multiple IDs found with provided prefix: {prefix}"
    assert (status, out, err) == docker_cli(f"inspect --type container {prefix}")
    # A unique longer prefix and the name resolve as the full ID does.
    unique = container.id[:12]
    for ref in (unique, container.name, container.id):
        assert ContainerHandle(api, ref).inspect()["Id"] == container.id


def test_logs_keep_streams_apart_and_match_docker(api, make):
    job = make(["sh", "-c", "for i in 1 2 3; do echo out $i; echo err $i >&2; done"])
    job.wait()
    for line in (job.name, f"--tail 2 {job.name}", f"-t --tail 1 {job.name}"):
        status, out, err, _ = run(api, tables.LOGS, line, logs.logs)
        assert (status, out, err) == docker_cli(f"logs {line}")
    assert run(api, tables.LOGS, f"--since tomorrow {job.name}", logs.logs)[2] == (
        'invalid value for "since": failed to parse value as time or duration: "tomorrow"\n')


def test_start_attached_streams_and_returns_the_exit_status(api, make):
    created = make(["sh", "-c", "cat; echo done >&2; exit 5"], start=False, stdin_open=True)
    status, out, err, result = run(
        api, tables.START, f"-a -i {created.name}",
        lambda ctx, parsed: attach.start_attached(ctx, parsed.args[0], interactive=True),
        stdin=b"from the cell\n")
    assert (status, out, err) == (0, "from the cell\n", "done\n")
    assert result.exit_status == 5 and result.stdout == "from the cell\n"


def test_attach_refuses_a_stopped_container(api, make):
    created = make(["true"], start=False)
    outcome = run(api, tables.ATTACH, created.name,
                  lambda ctx, parsed: attach.attach(ctx, parsed.args[0]))
    assert outcome[:3] == docker_cli(f"attach {created.name}")


def test_handle_methods(api, make):
    web = make(["sh", "-c", "echo hello; exec sleep 300"], init=True,
               ports={"80/tcp": ("127.0.0.1", None)}, network_mode="bridge")
    handle = ContainerHandle(api, web.id)
    assert handle.name == web.name
    assert handle.port() == docker_cli(f"port {web.id}")[1].splitlines()
    assert handle.port("80") == docker_cli(f"port {web.id} 80")[1].splitlines()
    result = handle.exec(["sh", "-c", "cat; echo err >&2"], stdin="to stdin")
    assert (result.exit_status, result.stdout, result.stderr) == (0, "to stdin\n", "err\n")
    with pytest.raises(ContainerExit) as info:
        handle.exec("sh -c 'exit 3'")
    assert info.value.exit_status == 3 and str(info.value) == "The command exited with status 3"
    assert handle.exec("false", check=False).exit_status == 1
    assert handle.logs() == "hello\n"
    handle.restart(timeout=1)
    assert handle.status() == "running"
    handle.stop(timeout=30)  # with --init the stop is quick; a short timeout could turn into SIGKILL
    assert handle.wait() == 143
    assert handle.inspect()["State"]["Status"] == "exited"
    handle.remove()
    with pytest.raises(DockerError) as info:
        handle.inspect()
    assert str(info.value) == f"Error response from daemon: No such container: {web.id}"


def test_volume_prune_needs_a_yes(api, docker_client, labels):
    from runmagic.commands import volumes

    node = f"label=org.runmagic.test.node={labels['org.runmagic.test.node']}"
    volume = docker_client.volumes.create(labels=labels)
    try:
        status, out, err, _ = run(api, tables.VOLUME_PRUNE, f"--filter {node}", volumes.prune)
        assert (status, out) == (1, "")
        assert err.startswith("WARNING! This will remove all local volumes not used by at least one "
                              "container. Nobody can answer the prompt here: add --force")
        status, out, err, _ = run(api, tables.VOLUME_PRUNE, f"-f --filter {node}", volumes.prune)
        assert (status, out, err) == (0, f"Deleted Volumes:\n{volume.name}\n\nTotal reclaimed space: 0B\n", "")
        with pytest.raises(docker.errors.NotFound):
            docker_client.volumes.get(volume.name)
    finally:
        try:
            volume.remove()
        except docker.errors.NotFound:
            pass


@pytest.mark.parametrize("command, line", [
    (tables.VOLUME_CREATE, "--name a b"),
    (tables.NETWORK_CREATE, "--gateway 10.1.0.1 runmagic-never-made"),
    (tables.NETWORK_CREATE, "--subnet 10.1.0.0/24 --gateway 10.2.0.1 runmagic-never-made"),
    (tables.NETWORK_CREATE, "--subnet 10.1.0.0/16 --subnet 10.1.2.0/24 runmagic-never-made"),
    (tables.NETWORK_CREATE, "--subnet 10.1.0.0/24 --ip-range 10.1.0.0/25 --ip-range 10.1.0.128/25 "
                            "runmagic-never-made"),
    (tables.NETWORK_CREATE, "--subnet nonsense runmagic-never-made"),
    (tables.NETWORK_CONNECT, "--driver-opt novalue net web"),
])
def test_client_side_refusals_match_docker(api, command, line):
    from runmagic.commands import networks
    from runmagic.commands import volumes

    action = {"volume create": volumes.create, "network create": networks.create,
              "network connect": networks.connect}[command.name]
    assert run(api, command, line, action)[:3] == docker_cli(f"{command.name} {line}")
