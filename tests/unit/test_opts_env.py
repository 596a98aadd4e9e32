"""-e, --env-file, -l and --label-file, checked against docker 28.2's behaviour."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.env import (
    build_env, build_labels, collapse_env, kv_map, merge_image_env, read_env_file, read_label_file,
    validate_env, validate_label,
)

# The env file docker 28.2 was tried with: BOM, indented comment, blank line,
# tab-indented entry with a trailing space and CRLF, a bare name, spaced value,
# empty value, vertical-tab and NBSP indentation, a value holding '='.
GOOD = (b"\xef\xbb\xbfA=1\n  # comment\n\n\tB=x \r\nC\nD=  spaced  \nE=\n\x0bF=v\n"
        b"\xc2\xa0G=nbsp\nH=a=b\nUNSET_Q\n")


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_validate_env():
    assert validate_env("A=1", {}) == "A=1"
    assert validate_env("A=", {}) == "A="
    assert validate_env("HOME", {"HOME": "/root"}) == "HOME=/root"
    assert validate_env("UNSETX", {}) == "UNSETX"
    # docker: invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x
    with pytest.raises(ValueError, match="^invalid environment variable: =x$"):
        validate_env("=x", {})
    with pytest.raises(ValueError, match="^invalid environment variable: $"):
        validate_env("", {})


def test_collapse_env_last_wins_first_position():
    # docker 28.2 sent these (in random order) for
    # -e B=1 -e A=2 -e B=3 -e UNSETX -e HOME -e Z= -e C=1 with HOME=/root, UNSETX unset.
    values = [validate_env(v, {"HOME": "/root"})
              for v in ["B=1", "A=2", "B=3", "UNSETX", "HOME", "Z=", "C=1"]]
    assert collapse_env(values) == ["B=3", "A=2", "UNSETX", "HOME=/root", "Z=", "C=1"]


def test_collapse_env_proxies():
    proxies = {"default": {"httpProxy": "http://p:3128", "noProxy": "localhost"},
               "tcp://other:2375": {"httpsProxy": "https://q"}}
    assert collapse_env(["HTTP_PROXY=mine"], proxies, "unix:///var/run/docker.sock") == [
        "HTTP_PROXY=mine", "http_proxy=http://p:3128", "NO_PROXY=localhost", "no_proxy=localhost"]
    assert collapse_env([], proxies, "tcp://other:2375") == ["HTTPS_PROXY=https://q", "https_proxy=https://q"]


def test_env_file_rules(tmp_path):
    path = write(tmp_path, "good.env", GOOD)
    assert read_env_file(path, {"C": "cval"}) == [
        "A=1", "B=x ", "C=cval", "D=  spaced  ", "E=", "F=v", "G=nbsp", "H=a=b"]
    # What docker 28.2 sent for --env-file good.env -e A=override with C=cval.
    assert build_env([path], ["A=override"], {"C": "cval"}) == [
        "A=1", "B=x ", "C=cval", "D=  spaced  ", "E=", "F=v", "G=nbsp", "H=a=b", "A=override"]


def test_env_file_edge_cases(tmp_path):
    # A file-separator control is not Go whitespace: it stays in the name.
    assert read_env_file(write(tmp_path, "fs", b"A=1\n\x1cG=1\n"), {}) == ["A=1", "\x1cG=1"]
    assert read_env_file(write(tmp_path, "nonl", b"A=1"), {}) == ["A=1"]
    assert read_env_file(write(tmp_path, "bom", b"\xef\xbb\xbf"), {}) == []
    # Only the first line's BOM is removed.
    assert read_env_file(write(tmp_path, "bom2", b"A=1\n\xef\xbb\xbfB=2\n"), {}) == ["A=1", "\ufeffB=2"]
    # Lines up to 65535 bytes are fine, longer ones are refused.
    assert len(read_env_file(write(tmp_path, "l1", b"A=" + b"x" * 65533 + b"\nB=1\n"), {})) == 2
    assert len(read_env_file(write(tmp_path, "l3", b"A=" + b"x" * 65533), {})) == 1
    assert read_env_file(write(tmp_path, "rel", b"R=1\n"), {}, cwd=str(tmp_path)) == ["R=1"]


@pytest.mark.parametrize("name, data, why", [
    # As printed by docker 28.2 after "docker: invalid env file (PATH): ".
    ("ws.env", b"A=1\nB C=2\n", "variable 'B C' contains whitespaces"),
    ("sp.env", b"B =x\n", "variable 'B ' contains whitespaces"),
    ("noname.env", b"A=1\n=2\n", "no variable name on line '=2'"),
    ("bad.env", b"A=1\nB=\xff\xfe\n", "invalid utf8 bytes at line 2: [66 61 255 254]"),
    ("l2.env", b"A=" + b"x" * 65534 + b"\nB=1\n", "bufio.Scanner: token too long"),
    ("l4.env", b"A=" + b"x" * 65534, "bufio.Scanner: token too long"),
])
def test_env_file_errors(tmp_path, name, data, why):
    path = write(tmp_path, name, data)
    with pytest.raises(UsageError) as info:
        read_env_file(path, {})
    assert type(info.value) is UsageError
    assert info.value.message == f"invalid env file ({path}): {why}"


def test_missing_and_directory(tmp_path):
    with pytest.raises(UsageError) as info:
        read_env_file("ef/nope", {}, cwd=str(tmp_path))
    assert info.value.message == "open ef/nope: no such file or directory"
    with pytest.raises(UsageError) as info:
        read_env_file("", {})
    assert info.value.message == "open : no such file or directory"
    with pytest.raises(UsageError) as info:
        read_label_file(str(tmp_path))
    assert info.value.message == f"invalid env file ({tmp_path}): read {tmp_path}: is a directory"


def test_labels(tmp_path):
    lab = write(tmp_path, "lab.txt", b"L1=a\nL2\n#x=y\n")
    good = write(tmp_path, "good.env", GOOD)
    assert read_label_file(lab) == ["L1=a"]
    # What docker 28.2 sent for --label-file lab.txt --label-file good.env -l k -l L1=z -l ' sp=1'.
    assert build_labels([lab, good], ["k", "L1=z", " sp=1"]) == {
        " sp": "1", "A": "1", "B": "x ", "D": "  spaced  ", "E": "", "F": "v", "G": "nbsp",
        "H": "a=b", "L1": "z", "k": ""}


def test_validate_label():
    assert validate_label("k") == "k"
    assert validate_label(" sp=1") == " sp=1"
    # invalid argument "=x" for "-l, --label" flag: invalid label '=x': empty name
    with pytest.raises(ValueError, match="^invalid label '=x': empty name$"):
        validate_label("=x")
    # invalid argument "a b=x" for "-l, --label" flag: label 'a b' contains whitespaces
    with pytest.raises(ValueError, match="^label 'a b' contains whitespaces$"):
        validate_label("a b=x")


def test_kv_map():
    assert kv_map(["a=1", "b", "a=2=3"]) == {"a": "2=3", "b": ""}


@given(st.binary(max_size=200))
def test_env_file_never_raises_anything_else(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("h") / "f.env"
    path.write_bytes(data)
    try:
        read_env_file(str(path), {"A": "1"})
    except UsageError:
        pass


@given(st.text(max_size=30))
def test_validators_raise_value_error_only(value):
    for check in (lambda v: validate_env(v, {}), validate_label):
        try:
            check(value)
        except ValueError:
            pass


def test_merge_image_env():
    # Config.Env the 20.10 engine here stored for busybox (image Env ["PATH=/usr/..."]) with
    # --env-file (A=1, B=2) -e A=override -e UNSETX -e PATH, and with -e HOSTNAME (unset).
    image = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    sent = ["A=1", "B=2", "PATH=/client/bin", "A=override", "UNSETX"]
    assert merge_image_env(image, sent) == sent
    assert merge_image_env(image, ["HOSTNAME"]) == ["HOSTNAME", image[0]]


def test_build_env_resolves_unvalidated_names():
    assert build_env([], ["HOME", "X", "A=1"], {"HOME": "/h"}) == ["HOME=/h", "X", "A=1"]
