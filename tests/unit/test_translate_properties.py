"""Property-based tests of the parser and the translator (hypothesis).

Whatever the tokens, parsing and planning either succeed or raise one of
runmagic's DockerError subclasses with docker's status (125, or 1 for the
few refusals docker exits 1 with); they finish quickly; and a rejected line
never reaches the engine: planning is pure, no socket is opened, and a
runner whose plan is refused at create time makes no call to its client.
"""

import socket

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from runmagic.grammar import parser as cli
from runmagic import translate
from runmagic.errors import DockerError
from runmagic.grammar.run_flags import FLAGS
from runmagic.commands.run import Runner, RunSettings

VALUE_CHARS = st.sampled_from(list("abcAZ019_-.:=,/ @[]\"'x%é\t*+()~") + ["\n", "0x", "1e", "::", "//"])
VALUES = st.lists(VALUE_CHARS, max_size=12).map("".join)
LONG = [f"--{f.name}" for f in FLAGS] + [f"--{a}" for f in FLAGS for a in f.aliases]
SHORT = [f"-{f.short}" for f in FLAGS if f.short]
FLAG_TOKENS = st.one_of(
    st.sampled_from(LONG), st.sampled_from(SHORT),
    st.builds(lambda f, v: f"{f}={v}", st.sampled_from(LONG), VALUES),
    st.builds(lambda a, b: f"-{a}{b}", st.sampled_from([f.short for f in FLAGS if f.short]), VALUES),
)
IMAGES = st.sampled_from(["busybox", "busybox:latest", "UPPER", "a:b:c", "", "--", "x@sha256:1", "-"])
TOKENS = st.lists(st.one_of(FLAG_TOKENS, VALUES, IMAGES), max_size=10)
ENVIRON = {"HOME": "/nonexistent-home", "PATH": "/bin", "SET": "value"}
VERSIONS = st.sampled_from(["1.24", "1.40", "1.41", "1.44", "1.47"])
SETTINGS = settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach an engine fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def _safe(tokens):
    """Keep the tests off devices and pseudo-files that never end (docker would hang too)."""
    return not any(p in t for t in tokens for p in ("/dev", "/proc", "/sys"))


def _check(error: DockerError) -> None:
    assert error.exit_status in (125, 1), (type(error), error.exit_status, str(error))
    assert str(error)


def plan_or_refuse(tokens, api_version, tmp_path):
    """Parse, plan and adapt; returns the request or None when refused (checked)."""
    try:
        run = cli.parse_args(tokens)
        if run.help:
            return None
        plan = translate.plan_run(run, ENVIRON, str(tmp_path), translate.EngineInfo(api_version))
        return plan, translate.adapt_to_api(plan, api_version)
    except DockerError as error:
        _check(error)
        return None


@SETTINGS
@given(tokens=TOKENS, api_version=VERSIONS)
def test_random_token_lists(tokens, api_version, tmp_path_factory):
    assume(_safe(tokens))
    plan_or_refuse(tokens, api_version, tmp_path_factory.getbasetemp())


@SETTINGS
@given(flag=st.sampled_from([f for f in FLAGS if f.kind.takes_value]), value=VALUES,
       form=st.sampled_from(["space", "equals", "short"]), api_version=VERSIONS)
def test_random_values_for_each_flag(flag, value, form, api_version, tmp_path_factory):
    assume(_safe([value]))
    if form == "short" and flag.short:
        tokens = [f"-{flag.short}{value}" if value else f"-{flag.short}", "busybox"]
    elif form == "equals":
        tokens = [f"--{flag.name}={value}", "busybox"]
    else:
        tokens = [f"--{flag.name}", value, "busybox"]
    plan_or_refuse(tokens, api_version, tmp_path_factory.getbasetemp())


@SETTINGS
@given(text=st.text(max_size=30), flag=st.sampled_from([f for f in FLAGS if f.kind.takes_value]))
def test_any_unicode_value(text, flag, tmp_path_factory):
    assume(_safe([text]))
    plan_or_refuse([f"--{flag.name}={text}", "busybox"], "1.41", tmp_path_factory.getbasetemp())


class RecordingAPI:
    """A client that records every call (and has nothing behind it)."""

    api_version = "1.41"

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args, **kwargs):
            self.calls.append(name)
            raise AssertionError(f"the engine was asked: {name}")
        return call


@SETTINGS
@given(tokens=TOKENS)
def test_a_line_refused_at_create_time_never_reaches_the_engine(tokens, tmp_path_factory):
    assume(_safe(tokens))
    try:
        run = cli.parse_args([*tokens, "busybox"] if not tokens else tokens)
        if run.help:
            return
        plan = translate.plan_run(run, ENVIRON, str(tmp_path_factory.getbasetemp()),
                                  translate.EngineInfo("1.41"))
        translate.adapt_to_api(plan, "1.41")
    except DockerError:
        pass
    else:
        return  # accepted: the engine's turn
    if "plan" not in locals():
        return
    api = RecordingAPI()
    runner = Runner(api, plan, RunSettings(), stdin=None, write_stdout=lambda _: None,
                    write_stderr=lambda _: None)
    plan.cidfile = ""  # an existing cidfile is refused before create, also without the engine
    with pytest.raises(DockerError) as info:
        runner.run()
    _check(info.value)
    assert api.calls == []
