"""The parse-time validator table, as the flag parser uses it."""

import os

import pytest
from hypothesis import given, settings, strategies as st

from runmagic.grammar.run_flags import BY_NAME
from runmagic.grammar.options.network import NetworkAttachment
from runmagic.grammar.options.validators import PARSE_TIME_VALIDATORS

# The flags whose docker option type checks values while parsing (opts.go addFlags).
EXPECTED = {
    "add-host", "attach", "blkio-weight-device", "device-cgroup-rule", "device-read-bps",
    "device-read-iops", "device-write-bps", "device-write-iops", "dns", "dns-search", "env",
    "gpus", "label", "link", "mount", "network", "sysctl", "ulimit",
}


def test_table_covers_docker_validated_flags():
    assert set(PARSE_TIME_VALIDATORS) == EXPECTED
    assert all(name in BY_NAME for name in PARSE_TIME_VALIDATORS)


def test_stored_values(monkeypatch, tmp_path):
    monkeypatch.setenv("RUNMAGIC_T", "v")
    monkeypatch.chdir(tmp_path)
    v = PARSE_TIME_VALIDATORS
    assert v["env"]("RUNMAGIC_T") == "RUNMAGIC_T=v"
    assert v["attach"]("STDERR") == "stderr"
    assert v["dns"]("::ffff:1.2.3.4") == "1.2.3.4"
    assert v["mount"]("type=bind,src=./a,dst=/b") == {
        "Type": "bind", "Source": os.path.join(str(tmp_path), "a"), "Target": "/b"}
    assert v["network"]("host") == NetworkAttachment("host")
    assert v["ulimit"]("nofile=1:2") == {"Name": "nofile", "Hard": 2, "Soft": 1}


@pytest.mark.parametrize("flag, value, message", [
    # The part after 'invalid argument "V" for "--flag" flag: ' in docker 28.2's output.
    ("env", "=x", "invalid environment variable: =x"),
    ("label", "=x", "invalid label '=x': empty name"),
    ("attach", "foo", "valid streams are STDIN, STDOUT and STDERR"),
    ("dns", "x", "IP address is not correctly formatted: x"),
    ("link", "a:b:c", "bad format for links: a:b:c"),
    ("sysctl", "kernel.foo=1", "sysctl 'kernel.foo=1' is not allowed"),
    ("mount", "", "EOF"),
    ("gpus", "x", 'invalid count (x): value must be either "all" or an integer: invalid syntax'),
    ("network", "x=y", "invalid field key x"),
    ("device-cgroup-rule", "x 1:3 r", "invalid device cgroup format 'x 1:3 r'"),
])
def test_errors(flag, value, message):
    with pytest.raises(ValueError) as info:
        PARSE_TIME_VALIDATORS[flag](value)
    assert str(info.value) == message


@settings(max_examples=300)
@given(st.sampled_from(sorted(EXPECTED)), st.text(max_size=30))
def test_validators_raise_value_error_only(flag, value):
    try:
        PARSE_TIME_VALIDATORS[flag](value)
    except ValueError:
        pass
