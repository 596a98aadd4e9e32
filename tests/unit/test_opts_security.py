"""--security-opt, capabilities and --sysctl (docker 28.2)."""

import json

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.golang.jsonsyntax import compact
from runmagic.grammar.options.env import kv_map
from runmagic.grammar.options.security import (
    normalize_capabilities, parse_security_opts, validate_sysctl,
)


def test_capabilities():
    # docker 28.2 sent CapAdd ["ALL","CAP_ SYS_ADMIN ","CAP_NET_ADMIN,CHOWN","CAP_RESET"] and
    # CapDrop ["ALL","CAP_CHOWN"] for these values.
    assert normalize_capabilities(["all", "net_admin,chown", " sys_admin ", "RESET"]) == [
        "ALL", "CAP_ SYS_ADMIN ", "CAP_NET_ADMIN,CHOWN", "CAP_RESET"]
    assert normalize_capabilities(["ALL", "cap_chown", "Chown"]) == ["ALL", "CAP_CHOWN"]
    assert normalize_capabilities([]) is None


def test_sysctls():
    values = [validate_sysctl(v) for v in ("net.ipv4.ip_forward=1", "kernel.shmmax=5",
                                           "fs.mqueue.x=1", "net.a=1", "net.a=2")]
    assert kv_map(values) == {"net.ipv4.ip_forward": "1", "kernel.shmmax": "5",
                                  "fs.mqueue.x": "1", "net.a": "2"}
    for bad in ("kernel.foo=1", "net.x", "=1"):
        with pytest.raises(ValueError) as info:
            validate_sysctl(bad)
        assert str(info.value) == f"sysctl '{bad}' is not allowed"


def test_security_opts(tmp_path):
    profile = tmp_path / "sec.json"
    profile.write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ ]\n}\n')
    opts, masked, readonly = parse_security_opts([
        f"seccomp={profile}", "no-new-privileges", "label=user:x", "apparmor:unconfined",
        "seccomp=unconfined", "systempaths=unconfined", "seccomp:builtin"])
    assert opts == ['seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}', "no-new-privileges",
                    "label=user:x", "apparmor:unconfined", "seccomp=unconfined", "seccomp:builtin"]
    assert masked == [] and readonly == []
    assert parse_security_opts(["no-new-privileges=false"]) == (["no-new-privileges=false"], None, None)
    assert parse_security_opts([f"seccomp:{profile.name}"], cwd=str(tmp_path))[0] == [
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}']
    assert parse_security_opts([]) == (None, None, None)
    assert parse_security_opts(["systempaths=unconfined"]) == ([], [], [])


def test_security_opt_errors(tmp_path):
    cases = {
        "bogus": 'Invalid --security-opt: "bogus"',
        "label=": 'Invalid --security-opt: "label="',
        f"seccomp={tmp_path}/nope.json":
            f"opening seccomp profile ({tmp_path}/nope.json) failed: "
            f"open {tmp_path}/nope.json: no such file or directory",
        f"seccomp={tmp_path}": f"opening seccomp profile ({tmp_path}) failed: read {tmp_path}: is a directory",
    }
    bad = tmp_path / "bad.json"
    bad.write_text("{bad")
    cases[f"seccomp={bad}"] = (f"compacting json for seccomp profile ({bad}) failed: "
                               "invalid character 'b' looking for beginning of object key string")
    for option, message in cases.items():
        with pytest.raises(UsageError) as info:
            parse_security_opts([option])
        assert info.value.message == message


@pytest.mark.parametrize("data, message", [
    # Texts docker 28.2 printed after "compacting json for seccomp profile (F) failed: ".
    (b'{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    (b"[1 2]", "invalid character '2' after array element"),
    (b"trux", "invalid character 'x' in literal true (expecting 'e')"),
    (b"01", "invalid character '1' after top-level value"),
    (b"1.e", "invalid character 'e' after decimal point in numeric literal"),
    (b'"\\x"', "invalid character 'x' in string escape code"),
    (b"", "unexpected end of JSON input"),
    (b"{} {}", "invalid character '{' after top-level value"),
    (b'"a\nb"', "invalid character '\\n' in string literal"),
    (b"\xe9", "invalid character '\u00e9' looking for beginning of value"),
    (b'{"a" 1}', "invalid character '1' after object key"),
    (b"'", "invalid character '\\'' looking for beginning of value"),
])
def test_compact_errors(data, message):
    with pytest.raises(ValueError) as info:
        compact(data)
    assert str(info.value) == message


def test_compact_keeps_bytes():
    assert compact(b'[1, 2.5e+3, -0, true,false , null, "a b\\u00e9"]') == (
        b'[1,2.5e+3,-0,true,false,null,"a b\\u00e9"]')
    assert compact(b' {"a" : [ {} ] , "b":"x y"} \n') == b'{"a":[{}],"b":"x y"}'


@given(st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(max_size=5),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=3), kids,
                                                                              max_size=3),
                    max_leaves=8))
def test_compact_agrees_with_python_json(value):
    pretty = json.dumps(value, indent=2).encode()
    assert json.loads(compact(pretty)) == value
    assert compact(pretty) == json.dumps(value, separators=(",", ":")).encode()


@given(st.binary(max_size=40))
def test_compact_raises_value_error_only(data):
    try:
        compact(data)
    except ValueError:
        pass
