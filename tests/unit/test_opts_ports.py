"""-p/--publish and --expose, checked against what docker 28.2 sends and says."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.ports import parse_expose, parse_port_range, parse_publish, split_proto_port


def pub(*specs):
    return parse_publish(list(specs))


def usage_error(func, *args):
    with pytest.raises(UsageError) as info:
        func(*args)
    assert type(info.value) is UsageError
    return info.value.message


@pytest.mark.parametrize("spec, exposed, bindings", [
    ("80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": ""}]}),
    ("8080:80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}),
    ("80-81:90", {"90/tcp": {}}, {"90/tcp": [{"HostIp": "", "HostPort": "80-81"}]}),
    ("8000-8010:80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": "8000-8010"}]}),
    ("::1:8080:80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "::1", "HostPort": "8080"}]}),
    ("[::1]:80:80/sctp", {"80/sctp": {}}, {"80/sctp": [{"HostIp": "::1", "HostPort": "80"}]}),
    ("1.2.3.4::80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "1.2.3.4", "HostPort": ""}]}),
    # Only the first two parts of a range count; the protocol is lower-cased.
    ("1-2-3:5-6-7/UDP", {"5/udp": {}, "6/udp": {}},
     {"5/udp": [{"HostIp": "", "HostPort": "1"}], "6/udp": [{"HostIp": "", "HostPort": "2"}]}),
    ("80/tcp/zzz", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": ""}]}),
    ("80/", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": ""}]}),
    ("1000-1002:2000-2002/udp", {"2000/udp": {}, "2001/udp": {}, "2002/udp": {}},
     {"2000/udp": [{"HostIp": "", "HostPort": "1000"}],
      "2001/udp": [{"HostIp": "", "HostPort": "1001"}],
      "2002/udp": [{"HostIp": "", "HostPort": "1002"}]}),
    # Long syntax: mode and unknown keys are ignored by docker run.
    ("target=80,mode=ingress,protocol=udp", {"80/udp": {}},
     {"80/udp": [{"HostIp": "", "HostPort": ""}]}),
    ("published=8080,target=80", {"80/tcp": {}},
     {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}),
    ("published=,target=80", {"80/tcp": {}}, {"80/tcp": [{"HostIp": "", "HostPort": ""}]}),
])
def test_publish_values(spec, exposed, bindings):
    assert pub(spec) == (exposed, bindings)


def test_publish_repeats_are_kept_in_order():
    exposed, bindings = pub("80", "80", "8080:80", "80/udp")
    assert exposed == {"80/tcp": {}, "80/udp": {}}
    assert bindings == {
        "80/tcp": [{"HostIp": "", "HostPort": ""}, {"HostIp": "", "HostPort": ""},
                   {"HostIp": "", "HostPort": "8080"}],
        "80/udp": [{"HostIp": "", "HostPort": ""}],
    }


def test_no_publish():
    assert pub() == ({}, {})


@pytest.mark.parametrize("spec, message", [
    # Messages as printed by the docker 28.2 CLI after "docker: ".
    ("99999", "invalid containerPort: 99999"),
    ("99999:80", "invalid hostPort: 99999"),
    ("1.2.3.4:80:80/xyz", "invalid proto: xyz"),
    ("[::1:80:80", "invalid IP address [::1: address [::1:: missing ']' in address"),
    ("[::1]x:80:80", "invalid IP address [::1]x: address [::1]x:: missing port in address"),
    ("abc:80:80", "invalid IP address: abc"),
    ("/tcp", "no port specified: /tcp<empty>"),
    ("8080:", "no port specified: 8080:<empty>"),
    ("", "no port specified: <empty>"),
    ("80-82:90-91", "invalid ranges specified for container and host Ports: 90-91 and 80-82"),
    ("published=8080", "no port specified: 8080:/tcp<empty>"),
    ("published=8080,target=80,foo",
     "invalid publish opts format (should be name=value but got 'foo')"),
    ("=1", "invalid publish opts format (should be name=value but got '=1')"),
    (" 80", "invalid containerPort:  80"),
    ("+80", "invalid containerPort: +80"),
    ("8_0", "invalid containerPort: 8_0"),
    ("0x50", "invalid containerPort: 0x50"),
    ("80-79", "invalid containerPort: 80-79"),
])
def test_publish_errors(spec, message):
    assert usage_error(parse_publish, [spec]) == message


def test_long_syntax_errors_come_before_any_spec_is_checked():
    # docker converts every value before parsing any of them.
    assert usage_error(parse_publish, ["99999", "a=b,c"]) == (
        "invalid publish opts format (should be name=value but got 'c')")


@pytest.mark.parametrize("spec, exposed", [
    ("80", {"80/tcp": {}}),
    ("80-82/udp", {"80/udp": {}, "81/udp": {}, "82/udp": {}}),
    ("80/foo", {"80/foo": {}}),
    ("8-9-10", {"8/tcp": {}, "9/tcp": {}}),
    ("80/", {"80/tcp": {}}),
])
def test_expose_values(spec, exposed):
    assert parse_expose([spec]) == exposed


@pytest.mark.parametrize("spec, message", [
    ("1:2", "invalid port format for --expose: 1:2"),
    ("abc", 'invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax'),
    ("80-", 'invalid range format for --expose: 80-, error: strconv.ParseUint: parsing "": invalid syntax'),
    ("", "invalid range format for --expose: , error: empty string specified for ports"),
    ("/udp", "invalid range format for --expose: /udp, error: empty string specified for ports"),
    ("80-79", "invalid range format for --expose: 80-79, error: invalid range specified for port: 80-79"),
    ("99999", 'invalid range format for --expose: 99999, error: strconv.ParseUint: parsing "99999": value out of range'),
])
def test_expose_errors(spec, message):
    assert usage_error(parse_expose, [spec]) == message


def test_expose_merges_with_publish():
    exposed, bindings = pub("8080:80")
    merged = {**exposed, **parse_expose(["80", "80/udp"])}
    assert merged == {"80/tcp": {}, "80/udp": {}}
    assert bindings == {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}


def test_helpers():
    assert split_proto_port("53/udp") == ("udp", "53")
    assert split_proto_port("") == ("", "")
    assert parse_port_range("1-65535") == (1, 65535)


@given(st.lists(st.text(max_size=30), max_size=3))
def test_publish_never_raises_anything_else(specs):
    try:
        parse_publish(specs)
    except UsageError:
        pass


@given(st.lists(st.text(alphabet="0123456789-:/[]abcudpt.=,", max_size=20), max_size=3))
def test_expose_never_raises_anything_else(specs):
    try:
        parse_expose(specs)
    except UsageError:
        pass
