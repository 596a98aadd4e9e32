"""The Go standard-library look-alikes behind the option parsers (net, path, csv, ...).

strconv and the other scalars are tested in test_values.py."""

import pytest
from hypothesis import given, strategies as st

from runmagic.golang import stdlib as _go


def test_ip():
    assert _go.ip_string(_go.parse_ip("::ffff:1.2.3.4")) == "1.2.3.4"
    assert _go.ip_string(_go.parse_ip("::1.2.3.4")) == "::102:304"
    assert _go.ip_string(_go.parse_ip("2001:DB8:0:0:1::1")) == "2001:db8::1:0:0:1"
    assert _go.parse_ip("fe80::1%eth0") is None
    assert _go.parse_ip("1.2.3.04") is None
    assert _go.parse_ip(" 1.2.3.4") is None


def test_split_host_port():
    assert _go.split_host_port("[::1]:") == ("::1", "")
    with pytest.raises(ValueError, match=r"^address \[::1:: missing '\]' in address$"):
        _go.split_host_port("[::1:")
    with pytest.raises(ValueError, match=r"^address \[::1\]x:: missing port in address$"):
        _go.split_host_port("[::1]x:")
    with pytest.raises(ValueError, match=r"^address \[a\]:b\]:: too many colons in address$"):
        _go.split_host_port("[a]:b]:")
    with pytest.raises(ValueError, match=r"^address a\]:: unexpected '\]' in address$"):
        _go.split_host_port("a]:")


def test_mac():
    assert _go.parse_mac("02:42:ac:11:00:02").hex() == "0242ac110002"
    assert _go.parse_mac("02-42-ac-11-00-02").hex() == "0242ac110002"
    assert _go.parse_mac("0242.ac11.0002").hex() == "0242ac110002"
    assert len(_go.parse_mac(":".join(["00"] * 20))) == 20
    for bad in ("02:42-ac:11:00:02", "zz", "0242.ac11.00020", "0242:ac11:0002", "02:42:ac:11:00:0g"):
        with pytest.raises(ValueError, match="invalid MAC address"):
            _go.parse_mac(bad)


@pytest.mark.parametrize("path, clean", [
    ("", "."), ("/", "/"), ("//a//b/", "/a/b"), ("a/../..", ".."), ("/../a", "/a"),
    ("./x/./y/..", "x"), ("../a/../b", "../b"),
])
def test_clean_path(path, clean):
    assert _go.clean_path(path) == clean


def test_space():
    assert _go.trim_left_space("\v\f\xa0\u2003x ") == "x "
    assert _go.trim_left_space("\x1cx") == "\x1cx"
    assert _go.trim_space(" \tx\n") == "x"


@pytest.mark.parametrize("text, fields", [
    ("a,\"b,c\",d", ["a", "b,c", "d"]), ('"a""b"', ['a"b']), ("a,", ["a", ""]), (",", ["", ""]),
    ('"x\ny",z', ["x\ny", "z"]), ('"x\r\ny",z', ["x\ny", "z"]), ("\n\na,b", ["a", "b"]),
    ("\r\n\r\na", ["a"]), ('"x"\r\n', ["x"]), ("a\nb", ["a"]),
])
def test_csv(text, fields):
    assert _go.csv_first_record(text) == fields


@given(st.text(alphabet='a,"\n\r é', max_size=20))
def test_csv_raises_csv_error_only(text):
    try:
        _go.csv_first_record(text)
    except _go.CSVError:
        pass


def test_read_file_errors_in_gos_words(tmp_path):
    for path, message in (("", "open : no such file or directory"),
                          (str(tmp_path), f"read {tmp_path}: is a directory"),
                          ("no-such", "open no-such: no such file or directory"),
                          ("a\x00b", "open a\x00b: invalid argument")):
        with pytest.raises(_go.FileError) as info:
            _go.read_file(path, str(tmp_path))
        assert str(info.value) == message
