"""Tab completion of %docker_run / %%docker_run lines: pure, in an IPython shell, in a kernel."""

import time

import pytest

from runmagic.engine import contexts
from runmagic.errors import EngineLost, EngineUnreachable
from IPython.core.completer import CompletionContext, provisionalcompleter

from runmagic.ipython import completion
from runmagic.ipython.completion import EngineCache, complete, magic_arguments, split_words
from runmagic.grammar import command_flags as tables
from runmagic.grammar.parser import RUN
from runmagic.grammar.run_flags import FLAGS

KNOWN = {
    "network": ["bridge", "host", "none", "labnet"],
    "container": ["peer", "web"],
    "volume": ["data"],
    "image": ["busybox", "busybox:latest", "runmagic/course:latest"],
}


def values(kind):
    return KNOWN[kind]


def context(full_text, cursor_line=None, cursor_position=None, token=""):
    lines = full_text.split("\n")
    line = len(lines) - 1 if cursor_line is None else cursor_line
    position = len(lines[line]) if cursor_position is None else cursor_position
    return CompletionContext(token=token, full_text=full_text, cursor_position=position,
                             cursor_line=line, limit=None)


# ------------------------------------------------------------------ where


def test_line_and_cell_magics_are_recognised():
    assert magic_arguments(context("%docker_run --rm ")) == (RUN, " --rm ")
    assert magic_arguments(context("r = %docker_run -d busybox")) == (RUN, " -d busybox")
    assert magic_arguments(context("%%docker_run --net")) == (RUN, " --net")
    assert magic_arguments(context("\n\n%%docker_run -i busybox sh\necho hi", cursor_line=2)) == (
        RUN, " -i busybox sh")
    assert magic_arguments(context("%%docker_run -i busybox sh\necho --r")) is None
    assert magic_arguments(context("x = 1\n%docker_run --rm")) == (RUN, " --rm")
    assert magic_arguments(context("print('%docker_run --rm')")) is None
    assert magic_arguments(context("%docker_runner --rm")) is None
    # The companions: each with its own command; a cell form only where the magic has one.
    assert magic_arguments(context("%docker_ps -a --fo")) == (tables.PS, " -a --fo")
    assert magic_arguments(context("out = %docker_image ls ")) == (tables.IMAGE, " ls ")
    assert magic_arguments(context("%%docker_build -t x .\nFROM busybox", cursor_line=0)) == (
        tables.BUILD, " -t x .")
    assert magic_arguments(context("%%docker_ps -a")) is None  # no such cell magic


def test_words_are_split_like_a_shell():
    assert split_words(' -e "A=b c" --na') == (["-e", "A=b c"], "--na")
    assert split_words(" --rm ") == (["--rm"], "")
    assert split_words(" -e 'unfinished") == (["-e"], "unfinished")


# ------------------------------------------------------------------ what


def test_flag_names_long_and_short_without_hidden_aliases():
    assert complete(" --res", values) == (["--restart"], False)
    names, _ = complete(" -", values)
    assert "-p" in names and "--publish" in names and "-h" in names
    assert "--net" not in names and "--dns-opt" not in names
    assert {n for n in names if n.startswith("--")} == {f"--{f.name}" for f in FLAGS}


def test_closed_sets():
    assert complete(" --restart ", values)[0] == [
        "no", "always", "on-failure", "on-failure:", "unless-stopped"]
    assert complete(" --pull=n", values)[0] == ["--pull=never"]
    assert complete(" --log-driver j", values)[0] == ["json-file", "journald"]
    assert complete(" -a STD", values)[0] == ["STDIN", "STDOUT", "STDERR"]
    assert complete(" --stop-signal SIGU", values)[0] == ["SIGURG", "SIGUSR1", "SIGUSR2"]
    assert complete(" --cgroupns ", values)[0] == ["host", "private"]


def test_engine_values():
    assert complete(" --network ", values)[0] == [
        "bridge", "host", "none", "default", "container:", "container:peer", "container:web",
        "labnet"]
    assert complete(" --net=lab", values)[0] == ["--net=labnet"]
    assert complete(" --network container:w", values)[0] == ["container:web"]
    assert complete(" --volumes-from ", values)[0] == ["peer", "web"]
    assert complete(" --link p", values)[0] == ["peer"]
    assert complete(" --pid container:", values)[0] == ["container:", "container:peer", "container:web"]
    assert complete(" -v d", values)[0] == ["data:"]
    assert complete(" --rm run", values)[0] == ["runmagic/course:latest"]


def test_positions_follow_pflag():
    assert complete(" -e --rm ", values)[0][:2] == ["--add-host", "--annotation"]  # --rm was -e's value
    assert complete(" -it --rm busybox ", values) == ([], True)  # the container's command
    assert complete(" -- bus", values)[0] == ["busybox", "busybox:latest"]
    assert complete(" -v/x:/y --rm ", values)[0][0] == "--add-host"
    assert complete(" -dp ", values)[0] == []  # -p's value: nothing to offer
    assert complete(" --env-file ", values) == ([], True)  # files: IPython's file matcher


# ------------------------------------------------------------------ engine cache


class FakeAPI:
    endpoint = "fake"

    def __init__(self):
        self.calls = 0

    def networks(self):
        self.calls += 1
        return [{"Name": "bridge"}, {"Name": "zeta"}]

    def containers(self, all):
        raise EngineLost("the Docker engine at fake stopped answering")


def test_companion_lines_complete_with_their_own_tables():
    assert complete(" --fo", values, tables.PS) == (["--format"], False)
    assert complete(" --restart", values, tables.PS) == ([], False)  # a run flag, not ps's
    assert complete(" --type ", values, tables.INSPECT)[0] == [
        "config", "container", "image", "network", "node", "plugin", "secret", "service", "task",
        "volume"]
    # Arguments, as the usage line names them.
    assert complete(" -f w", values, tables.LOGS) == (["web"], False)
    assert complete(" web p", values, tables.RM) == (["peer"], False)  # CONTAINER [CONTAINER...]
    assert complete(" web x", values, tables.LOGS) == ([], False)  # logs takes one container
    assert complete(" -it w", values, tables.EXEC) == (["web"], False)
    assert complete(" -it web s", values, tables.EXEC) == ([], True)  # exec's command
    assert complete(" bus", values, tables.RMI) == (["busybox", "busybox:latest"], False)
    assert complete(" busybox r", values, tables.TAG) == (["runmagic/course:latest"], False)
    assert complete(" -t x ", values, tables.BUILD) == ([], True)  # PATH: files
    names, files = complete(" ", values, tables.PS)  # no arguments: the flags
    assert "--all" in names and "-a" in names and not files


def test_groups_complete_their_subcommands_then_the_subcommands_lines():
    assert complete(" ", values, tables.VOLUME) == (["create", "inspect", "ls", "prune", "rm"], False)
    assert complete(" i", values, tables.IMAGE) == (["inspect"], False)
    assert complete(" ls --fi", values, tables.VOLUME) == (["--filter"], False)
    assert complete(" list -", values, tables.NETWORK)[0][:2] == ["--filter", "--format"]  # alias
    assert complete(" rm d", values, tables.VOLUME) == (["data"], False)
    assert complete(" connect lab", values, tables.NETWORK) == (["labnet"], False)
    assert complete(" connect labnet p", values, tables.NETWORK) == (["peer"], False)
    assert complete(" bogus -", values, tables.VOLUME) == ([], False)


def test_context_names_come_from_the_docker_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    contexts.Store(str(tmp_path)).create("remote-a", "tcp://127.0.0.1:2999")
    assert complete(" use ", EngineCache(), tables.CONTEXT) == (["default", "remote-a"], False)
    assert complete(" rm r", EngineCache(), tables.CONTEXT) == (["remote-a"], False)


def test_engine_values_are_cached_and_failures_are_quiet():
    api = FakeAPI()
    cache = EngineCache(ttl=60, connect=lambda: api)
    assert cache("network") == ["bridge", "zeta"]
    assert cache("network") == ["bridge", "zeta"]
    assert api.calls == 1
    assert cache("container") == []


def test_no_engine_means_no_values_and_no_wait(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///tmp/runmagic-no-engine-here.sock")
    started = time.monotonic()
    assert EngineCache(timeout=0.5)("network") == []
    assert time.monotonic() - started < 2


# ------------------------------------------------------------------ IPython


@pytest.fixture
def shell():
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()  # IPython's test shell: history in memory
    saved = list(ip.Completer.custom_matchers)
    completion.register(ip, values)
    completion.register(ip, values)  # twice is once
    yield ip
    ip.Completer.custom_matchers[:] = saved


def texts(ip, code, cursor=None):
    with provisionalcompleter():
        return [c.text for c in ip.Completer.completions(code, len(code) if cursor is None else cursor)]


def test_matcher_in_an_ipython_shell(shell):
    matchers = [m for m in shell.Completer.custom_matchers
                if getattr(m, "matcher_identifier", "") == "runmagic.docker_run_matcher"]
    assert len(matchers) == 1
    assert texts(shell, "%docker_run --resta") == ["--restart"]
    assert texts(shell, "%docker_run --restart=on-") == ["on-failure", "on-failure:"]
    assert texts(shell, "%%docker_run --network container:p") == ["peer"]
    assert texts(shell, "%%docker_run --log-driver no") == ["none"]
    assert "busybox" in texts(shell, "%docker_run --rm bu")
    assert texts(shell, "%docker_ps --fo") == ["--format"]
    assert texts(shell, "%docker_logs -f we") == ["web"]
    assert texts(shell, "%docker_volume i") == ["inspect"]
    # Elsewhere the usual Python completion is untouched.
    assert "print" in texts(shell, "pri")
    assert "--restart" not in texts(shell, "%%docker_run busybox sh\necho --res")


# ------------------------------------------------------------------ a real kernel


@pytest.fixture(scope="module")
def kernel(docker_client):
    from tests.support.kernel import KernelSession

    session = KernelSession("from runmagic.ipython import completion\ncompletion.register(get_ipython())\n")
    yield session
    session.close()


def test_complete_request_in_a_kernel(kernel, docker_client, labels):
    reply = kernel.complete("%docker_run --pu")
    assert reply["status"] == "ok"
    assert reply["matches"] == ["--publish", "--publish-all", "--pull"]
    code = "%%docker_run --restart unl\necho hi\n"
    reply = kernel.complete(code, cursor_pos=len("%%docker_run --restart unl"))
    assert reply["matches"] == ["unless-stopped"]
    assert reply["cursor_start"] == len("%%docker_run --restart ")

    network = docker_client.networks.create(f"rmcomp-{time.monotonic_ns()}", labels=labels)
    try:
        reply = kernel.complete("%docker_run --network rmcomp-")
        assert network.name in reply["matches"]
    finally:
        network.remove()


def test_a_failed_connection_is_not_retried_within_the_ttl():
    attempts = []

    def connect():
        attempts.append(1)
        raise EngineUnreachable("Cannot connect to the Docker daemon")

    cache = EngineCache(ttl=60, connect=connect)
    assert cache("image") == [] and cache("image") == []
    assert len(attempts) == 1
