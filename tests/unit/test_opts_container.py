"""--restart, --log-opt, --storage-opt, health, namespaces, -a, --pull, --platform (docker 28.2)."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.container import (
    attach_streams, check_restart_with_rm, check_swappiness, healthcheck, parse_log_opts,
    parse_platform, parse_restart_policy, parse_storage_opts, validate_attach,
    validate_namespace_modes, validate_pull,
)
from runmagic.golang.strconv import parse_duration


def usage(func, *args, **kwargs):
    with pytest.raises(UsageError) as info:
        func(*args, **kwargs)
    assert type(info.value) is UsageError
    return info.value.message


@pytest.mark.parametrize("value, policy", [
    ("on-failure:3", {"Name": "on-failure", "MaximumRetryCount": 3}),
    ("always", {"Name": "always", "MaximumRetryCount": 0}),
    ("bogus", {"Name": "bogus", "MaximumRetryCount": 0}),  # the engine judges names
    ("on-failure:", {"Name": "on-failure", "MaximumRetryCount": 0}),
    ("on-failure:+5", {"Name": "on-failure", "MaximumRetryCount": 5}),
    ("no:-1", {"Name": "no", "MaximumRetryCount": -1}),
    ("", {"Name": "", "MaximumRetryCount": 0}),
])
def test_restart(value, policy):
    assert parse_restart_policy(value) == policy


@pytest.mark.parametrize("value, message", [
    (":3", "invalid restart policy format: no policy provided before colon"),
    ("on-failure:x", "invalid restart policy format: maximum retry count must be an integer"),
    ("a:b:c", "invalid restart policy format: maximum retry count must be an integer"),
    ("on-failure:0x5", "invalid restart policy format: maximum retry count must be an integer"),
])
def test_restart_errors(value, message):
    assert usage(parse_restart_policy, value) == message


def test_restart_with_rm():
    assert usage(check_restart_with_rm, parse_restart_policy("always"), True) == (
        "conflicting options: cannot specify both --restart and --rm")
    check_restart_with_rm(parse_restart_policy("no"), True)
    check_restart_with_rm(parse_restart_policy(""), True)
    check_restart_with_rm(parse_restart_policy("always"), False)


def test_log_and_storage_opts():
    assert parse_log_opts("", ["max-size=1m", "x", "a=1", "a=2"]) == {"max-size": "1m", "x": "", "a": "2"}
    assert usage(parse_log_opts, "none", ["a=1"]) == "invalid logging opts for driver none"
    assert parse_log_opts("NONE", ["a=1"]) == {"a": "1"}
    assert parse_log_opts("none", []) == {}
    assert parse_storage_opts(["size=1G", "a=b=c"]) == {"size": "1G", "a": "b=c"}
    assert usage(parse_storage_opts, ["size"]) == "invalid storage option"


def test_healthcheck():
    assert healthcheck() is None
    assert healthcheck(no_healthcheck=True) == {"Test": ["NONE"]}
    assert healthcheck(cmd="curl x", interval=parse_duration("1s"), timeout=parse_duration("2s"),
                       retries=3, start_period=parse_duration("4s")) == {
        "Test": ["CMD-SHELL", "curl x"], "Interval": 1000000000, "Timeout": 2000000000,
        "StartPeriod": 4000000000, "Retries": 3}
    assert healthcheck(retries=0, cmd="") is None
    assert usage(healthcheck, no_healthcheck=True, retries=1) == (
        "--no-healthcheck conflicts with --health-* options")
    assert usage(healthcheck, interval=-1) == "--health-interval cannot be negative"
    assert usage(healthcheck, retries=-1, timeout=-1) == "--health-timeout cannot be negative"
    assert usage(healthcheck, start_interval=-1) == "--health-start-interval cannot be negative"


def test_namespaces():
    validate_namespace_modes(pid="host", uts="host", userns="host", cgroupns="private")
    validate_namespace_modes(pid="container:abc")
    assert usage(validate_namespace_modes, pid="container:") == "--pid: invalid PID mode"
    assert usage(validate_namespace_modes, pid="bogus") == "--pid: invalid PID mode"
    assert usage(validate_namespace_modes, uts="container:x") == "--uts: invalid UTS mode"
    assert usage(validate_namespace_modes, userns="x") == "--userns: invalid USER mode"
    assert usage(validate_namespace_modes, cgroupns="x") == "--cgroupns: invalid CGROUP mode"


def test_swappiness():
    check_swappiness(-1)
    check_swappiness(0)
    check_swappiness(100)
    assert usage(check_swappiness, 101) == "invalid value: 101. Valid memory swappiness range is 0-100"
    assert usage(check_swappiness, -2) == "invalid value: -2. Valid memory swappiness range is 0-100"


def test_attach():
    assert validate_attach("STDOUT") == "stdout"
    with pytest.raises(ValueError, match="^valid streams are STDIN, STDOUT and STDERR$"):
        validate_attach("foo")
    # (AttachStdin, AttachStdout, AttachStderr, StdinOnce) as docker 28.2 sent them.
    assert attach_streams([], False) == (False, True, True, False)
    assert attach_streams([], True) == (True, True, True, True)
    assert attach_streams(["stdout"], True) == (True, True, False, True)
    assert attach_streams(["stdin"], False) == (True, False, False, False)


def test_pull():
    assert validate_pull("missing") == "missing"
    assert usage(validate_pull, "bogus") == (
        "invalid pull option: 'bogus': must be one of \"always\", \"missing\" or \"never\"")


@pytest.mark.parametrize("spec, query", [
    # The ?platform= values docker 28.2 sent from an amd64 client.
    ("linux/amd64", "linux/amd64"), ("linux/arm/v7", "linux/arm/v7"), ("Linux/AMD64", "linux/amd64"),
    ("linux/x86_64", "linux/amd64"), ("linux", "linux/amd64"), ("windows/amd64", "windows/amd64"),
    ("amd64", "linux/amd64"), ("linux/arm64/v8", "linux/arm64/v8"), ("linux/aarch64", "linux/arm64"),
    ("darwin", "darwin/amd64"), ("linux/armhf", "linux/arm"), ("linux/ARM/V7", "linux/arm/v7"),
    ("linux/arm64/v9", "linux/arm64/v9"), ("linux/amd64/v2", "linux/amd64/v2"), ("Linux", "linux/amd64"),
    ("linux/arm/7", "linux/arm/v7"), ("linux(1.0)/amd64", "linux/amd64"),
])
def test_platform(spec, query):
    assert parse_platform(spec, host_arch="amd64") == query


@pytest.mark.parametrize("spec, message", [
    ("bogus", '"bogus": unknown operating system or architecture'),
    ("a/b/c/d", '"a/b/c/d": cannot parse platform specifier'),
    ("a b", '"a b" is an invalid OS component of "a b": OSAndVersion specifier component must match '
            '"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$"'),
    ("linux/a b", '"a b" is an invalid component of "linux/a b": platform specifier component must '
                  'match "^[A-Za-z0-9_.-]+$"'),
    ("linux/*", '"linux/*": wildcards not yet supported'),
])
def test_platform_errors(spec, message):
    assert usage(parse_platform, spec, host_arch="amd64") == (
        f"error parsing specified platform: {message}: invalid argument")


@given(st.text(max_size=20))
def test_restart_and_platform_raise_usage_error_only(value):
    for func in (parse_restart_policy, parse_platform):
        try:
            func(value)
        except UsageError:
            pass
