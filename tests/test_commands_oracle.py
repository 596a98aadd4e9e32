"""The companion commands print what the docker CLI prints for the same objects.

The docker CLI on this machine is the oracle: each case runs the same line through
runmagic's command layer (what the magics call) and through ``docker``, and
compares stdout, or the error sentence and exit status.
"""

import shlex
import time
import uuid

import pytest

from runmagic.grammar import parser as cli
from runmagic.engine import client as engine
from runmagic.commands import events
from runmagic.commands import inspect
from runmagic.commands import lifecycle
from runmagic.commands import networks
from runmagic.commands import ps
from runmagic.grammar import command_flags as tables
from runmagic.commands import volumes
from runmagic.errors import DockerError
from tests.support.oracle import assert_same, comparable, docker_cli
from tests.support.engine import session_labels

GROUP_LABEL = "org.runmagic.test.group"


@pytest.fixture(scope="module")
def api():
    client = engine.connect()
    yield client
    client.close()


@pytest.fixture(scope="module")
def group():
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="module")
def objects(docker_client, group):
    """A running container with ports, labels and odd characters in its
    environment, an exited one, a volume and a network, all labelled."""
    labels = {**session_labels(), GROUP_LABEL: group, "role": "web"}
    made = []
    try:
        web = docker_client.containers.run(
            "busybox", ["sleep", "300"], detach=True, labels=labels, name=f"oracle-web-{group}",
            ports={"80/tcp": ("127.0.0.1", None), "81/udp": ("127.0.0.1", None)},
            environment={"HTML": "<b>&amp;</b>"}, init=True)
        made.append(web)
        done = docker_client.containers.run(
            "busybox", ["sh", "-c", "echo out; echo err >&2; exit 3"], detach=True,
            labels={**labels, "role": "job"}, name=f"oracle-job-{group}", network_mode="none")
        made.append(done)
        done.wait()
        volume = docker_client.volumes.create(f"oracle-vol-{group}", labels=labels)
        network = docker_client.networks.create(f"oracle-net-{group}", labels=labels)
        yield {"web": web, "job": done, "volume": volume, "network": network, "group": group}
        network.remove()
        volume.remove()
    finally:
        for container in made:
            container.remove(force=True)


def mine(objects) -> str:
    return f"--filter label={GROUP_LABEL}={objects['group']}"


@pytest.mark.parametrize("options", [
    "",
    "-a",
    "-a -q",
    "-a --no-trunc --format '{{.ID}} {{.Command}} {{.Names}}'",
    "-a --format '{{.Names}}\\t{{.Status}}\\t{{.Ports}}'",
    "-a --format 'table {{.Names}}\\t{{.Ports}}\\t{{.Labels}}\\t{{.Label \"role\"}}'",
    "-a --format '{{json .}}'",
    "-a --format json",
    "-a -s",
    "-a --format '{{.Names}} {{.Size}}'",
    "--filter status=exited -a --format '{{.Names}} {{.State}} {{.Status}}'",
    "-a -n 1 --format '{{.Names}}'",
    "-a --format '{{range $i, $p := split .Names \"-\"}}{{$i}}={{$p}} {{end}}'",
    "-a --format '{{if eq .State \"running\"}}UP {{.Names}}{{else}}DOWN{{end}}'",
    "-a --format '{{.Nope}}'",
    "-a --format '{{.Names'",
])
def test_ps(api, objects, options):
    assert_same(api, tables.PS, f"{mine(objects)} {options}", ps.list_containers)


@pytest.mark.parametrize("template", [
    "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}",
    "{{json .Config}}",
    "{{json .}}",
    "{{json .HostConfig}}",
    "{{json .NetworkSettings}}",
    "{{json .State}} {{json .Mounts}}",
    "{{.Config.Env}}",
    "{{range .Config.Env}}[{{.}}]{{end}}",
    "{{.Config.Labels}} {{index .Config.Labels \"role\"}}",
    "{{.HostConfig.PortBindings}} {{.NetworkSettings.Ports}}",
    "{{range $p, $b := .NetworkSettings.Ports}}{{$p}}->{{(index $b 0).HostPort}} {{end}}",
    "{{.Id}} {{.ID}} {{.Name}} {{.HostConfig.CpuShares}} {{.HostConfig.CPUShares}}",
    "{{.State}}",
    "{{.HostConfig.RestartPolicy}} {{.HostConfig.LogConfig}} {{.Config.Cmd}} {{.HostConfig.Init}}",
    "{{.Foo}}",
    "{{.State.Foo}}",
    "{{range .X}}",
    "{{.ContainerJSONBase.Name}} {{.ContainerJSONBase.State.Status}}",  # an embedded struct by its name
])
def test_inspect_container(api, objects, template):
    name = objects["web"].name
    assert_same(api, tables.INSPECT, f"-f {shlex.quote(template)} {name}", inspect.inspect)


@pytest.mark.parametrize("line", [
    "{web}",
    "--format json {web}",
    "{web} {job}",
    "-s -f '{{.SizeRootFs}}' {job}",
    "--type container {web}",
    "{web} no-such-object-runmagic",
    "--type volume {volume}",
    "{volume}",
    "{network}",
    "-f '{{.Name}} {{.Driver}} {{.IPAM.Config}} {{.Created}} {{json .Containers}}' {network}",
    "busybox",
    "-f '{{.Id}} {{.RepoTags}} {{.Os}}' busybox",
    "--type bogus {web}",
])
def test_inspect_objects(api, objects, line):
    names = {"web": objects["web"].name, "job": objects["job"].name, "volume": objects["volume"].name,
             "network": objects["network"].name}
    assert_same(api, tables.INSPECT, line.format(**names), inspect.inspect)


@pytest.mark.parametrize("line", ["{web}", "{web} 80", "{web} 81/udp", "{web} 82", "{web} x"])
def test_port(api, objects, line):
    assert_same(api, tables.PORT, line.format(web=objects["web"].name), lifecycle.port)


def test_volumes(api, objects):
    label = f"--filter label={GROUP_LABEL}={objects['group']}"
    name = objects["volume"].name
    for command, line, action in (
        (tables.VOLUME_LS, label, volumes.ls),
        (tables.VOLUME_LS, f"{label} -q", volumes.ls),
        (tables.VOLUME_LS, f"{label} --format '{{{{.Name}}}} {{{{.Driver}}}} {{{{.Label \"role\"}}}}'", volumes.ls),
        (tables.VOLUME_LS, f"{label} --format 'table {{{{.Name}}}}\\t{{{{.Mountpoint}}}}\\t{{{{.Size}}}}'", volumes.ls),
        (tables.VOLUME_INSPECT, name, volumes.inspect),
        (tables.VOLUME_INSPECT, f"--format json {name}", volumes.inspect),
        (tables.VOLUME_INSPECT, f"-f '{{{{.Name}}}} {{{{json .Options}}}} {{{{.Labels.role}}}}' {name}", volumes.inspect),
        (tables.VOLUME_INSPECT, f"{name} no-such-volume-runmagic", volumes.inspect),
    ):
        assert_same(api, command, line, action)


def test_networks(api, objects):
    label = f"--filter label={GROUP_LABEL}={objects['group']}"
    name = objects["network"].name
    for command, line, action in (
        (tables.NETWORK_LS, label, networks.ls),
        (tables.NETWORK_LS, f"{label} --no-trunc -q", networks.ls),
        (tables.NETWORK_LS, f"{label} --format '{{{{.Name}}}} {{{{.IPv6}}}} {{{{.Internal}}}} {{{{.Label \"role\"}}}}'", networks.ls),
        (tables.NETWORK_INSPECT, name, networks.inspect),
        (tables.NETWORK_INSPECT, f"-f '{{{{json .IPAM}}}} {{{{.Scope}}}}' {name}", networks.inspect),
    ):
        assert_same(api, command, line, action)


def test_events_between_two_times(api, objects):
    """A bounded window of past events prints identically, default and formatted."""
    since = objects["web"].attrs["Created"]
    # A whole second after the job's end (it has ended: the fixture waited), and past: an
    # --until in the future would make both sides wait for it.
    until = int(time.time()) + 1
    time.sleep(until - time.time() + 0.05)
    target = f"--since {since} --until {until} --filter container={objects['job'].id}"
    for line in (target, f"{target} --format '{{{{json .}}}}'",
                 f"{target} --format '{{{{.Action}}}} {{{{.Actor.Attributes.exitCode}}}}'"):
        output = assert_same(api, tables.EVENTS, line, events.events)[1]
        assert "die" in output


def test_events_format_errors(api):
    assert_same(api, tables.EVENTS, "--since 1s --until 0s --format '{{.Nope}}'", events.events)
    assert_same(api, tables.EVENTS, "--since 1s --until 0s --format '{{.Type'", events.events)


def _leaf_commands() -> list[tables.DockerCommand]:
    """Every companion command of the tables, groups (``volume``) opened into their subcommands."""
    found: dict[str, tables.DockerCommand] = {}
    pending = [value for value in vars(tables).values() if isinstance(value, tables.DockerCommand)]
    while pending:
        command = pending.pop()
        if command.subcommands:
            pending.extend(sub for _, sub in command.subcommands)
        else:
            found[command.name] = command
    return [found[name] for name in sorted(found)]


def _refused_counts(command) -> list[int]:
    """Argument counts the command's table refuses, at each edge of its range."""
    counts = {command.min_args - 1, (command.max_args + 1) if command.max_args is not None else -1}
    return sorted(count for count in counts if count >= 0)


def _without_builder_notice(stderr: str) -> str:
    """``docker build`` first says that its legacy builder is deprecated (a paragraph)."""
    return stderr.split("\n\n", 1)[1] if stderr.startswith("DEPRECATED:") else stderr


@pytest.mark.parametrize("command", [command for command in _leaf_commands() if _refused_counts(command)],
                         ids=lambda command: command.name)
def test_argument_counts_are_refused_in_dockers_words(command):
    """cobra checks the count before anything reaches the engine: the same sentence and
    status as docker for one argument too few and one too many."""
    for count in _refused_counts(command):
        words = " ".join(f"arg{n}" for n in range(count))
        status, _, stderr = docker_cli(f"{command.name} {words}")
        expected = comparable((status, "", _without_builder_notice(stderr)))
        with pytest.raises(DockerError) as refused:
            cli.parse_args(cli.split_line(words), command)
        assert (refused.value.exit_status, "", f"{refused.value}\n") == expected
