"""--ulimit, --device, --device-cgroup-rule, blkio devices and --gpus (docker 28.2)."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.resources import (
    cdi_device_request, is_cdi_name, parse_device, parse_devices, parse_gpus, parse_throttle_bps_device,
    parse_throttle_iops_device, parse_ulimit, parse_weight_device, ulimit_list,
    validate_device_cgroup_rule,
)


def test_ulimits():
    values = [parse_ulimit(v) for v in ("nofile=1024:2048", "core=-1", "nofile=5")]
    # docker 28.2 sent exactly this for --ulimit nofile=1024:2048 --ulimit core=-1 --ulimit nofile=5
    assert ulimit_list(values) == [{"Name": "core", "Hard": -1, "Soft": -1},
                                   {"Name": "nofile", "Hard": 5, "Soft": 5}]
    assert parse_ulimit("nofile=5:-1") == {"Name": "nofile", "Hard": -1, "Soft": 5}


@pytest.mark.parametrize("value, message", [
    ("nofile", "invalid ulimit argument: nofile"),
    ("bogus=1", "invalid ulimit type: bogus"),
    ("nofile=a", 'strconv.ParseInt: parsing "a": invalid syntax'),
    ("nofile=1:2:3", "too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`"),
    ("nofile=-1:5", "ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 5"),
    ("nofile=6:5", "ulimit soft limit must be less than or equal to hard limit: 6 > 5"),
    ("nofile=", 'strconv.ParseInt: parsing "": invalid syntax'),
    ("nofile=0x10", 'strconv.ParseInt: parsing "0x10": invalid syntax'),
    ("nofile=1:a", 'strconv.ParseInt: parsing "a": invalid syntax'),
])
def test_ulimit_errors(value, message):
    with pytest.raises(ValueError) as info:
        parse_ulimit(value)
    assert str(info.value) == message


def test_devices():
    devices, cdi = parse_devices([
        "/dev/null", "/dev/a:/dev/b", "/dev/c:rw", "/dev/d:/dev/e:r", "/dev/x/../y",
        "vendor.com/gpu=all", "nvidia.com/gpu=0", "/a:/b/../c/", "vv/bb=c:d", "v.v/b-b=c.1"])
    assert devices == [
        {"PathOnHost": "/dev/null", "PathInContainer": "/dev/null", "CgroupPermissions": "rwm"},
        {"PathOnHost": "/dev/a", "PathInContainer": "/dev/b", "CgroupPermissions": "rwm"},
        {"PathOnHost": "/dev/c", "PathInContainer": "/dev/c", "CgroupPermissions": "rw"},
        {"PathOnHost": "/dev/d", "PathInContainer": "/dev/e", "CgroupPermissions": "r"},
        {"PathOnHost": "/dev/y", "PathInContainer": "/dev/y", "CgroupPermissions": "rwm"},
        {"PathOnHost": "/a", "PathInContainer": "/c", "CgroupPermissions": "rwm"},
    ]
    assert cdi == ["vendor.com/gpu=all", "nvidia.com/gpu=0", "vv/bb=c:d", "v.v/b-b=c.1"]
    assert cdi_device_request(cdi[:2]) == {
        "Driver": "cdi", "Count": 0, "DeviceIDs": ["vendor.com/gpu=all", "nvidia.com/gpu=0"],
        "Capabilities": None, "Options": None}
    assert parse_device("x", "windows") == {"PathOnHost": "x", "PathInContainer": "",
                                            "CgroupPermissions": ""}


def test_cdi_names():
    assert not is_cdi_name("/dev/x")
    assert not is_cdi_name("1v/bb=c")
    assert not is_cdi_name("vv/bb=")
    assert not is_cdi_name("vv/bb=c-")
    assert not is_cdi_name("vv/b/b=c")
    # docker 28.2 panics on a one-character vendor or class; we accept letters.
    assert is_cdi_name("a/bb=c")


@pytest.mark.parametrize("value, message", [
    ("/dev/a:/dev/b:rwx", "bad mode specified: rwx"),
    ("a:b:c:d", "bad format for path: a:b:c:d"),
    (":/x", "bad format for path: :/x"),
    ("/dev/a:rel", "rel is not an absolute path"),
    ("rel", "rel is not an absolute path"),
    ("/a:mm", "mm is not an absolute path"),
    ("/a::r", " is not an absolute path"),
])
def test_device_errors(value, message):
    with pytest.raises(UsageError) as info:
        parse_device(value)
    assert info.value.message == message


def test_device_cgroup_rules():
    assert validate_device_cgroup_rule("c 1:3 mr") == "c 1:3 mr"
    assert validate_device_cgroup_rule("a *:* rwm") == "a *:* rwm"
    with pytest.raises(ValueError, match="^invalid device cgroup format 'x 1:3 r'$"):
        validate_device_cgroup_rule("x 1:3 r")
    with pytest.raises(ValueError):
        validate_device_cgroup_rule("c 1:3 r\n")


def test_blkio():
    assert parse_weight_device("/dev/sda:100") == {"Path": "/dev/sda", "Weight": 100}
    assert parse_weight_device("/dev/sdb:0") == {"Path": "/dev/sdb", "Weight": 0}
    assert parse_throttle_bps_device("/dev/sda:1mb") == {"Path": "/dev/sda", "Rate": 1048576}
    assert parse_throttle_bps_device("/dev/sda:1.5k") == {"Path": "/dev/sda", "Rate": 1536}
    assert parse_throttle_iops_device("/dev/sda:1000") == {"Path": "/dev/sda", "Rate": 1000}


BPS = ("The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. "
       "Unit is optional and can be kb, mb, or gb")


@pytest.mark.parametrize("func, value, message", [
    (parse_weight_device, "sda:100", "bad format for device path: sda:100"),
    (parse_weight_device, "/dev/sda", "bad format: /dev/sda"),
    (parse_weight_device, "/dev/sda:5", "invalid weight for device: /dev/sda:5"),
    (parse_weight_device, ":5", "bad format: :5"),
    (parse_weight_device, "/dev/sda:0x10", "invalid weight for device: /dev/sda:0x10"),
    (parse_throttle_bps_device, "/dev/sda:-1", f"invalid rate for device: /dev/sda:-1. {BPS}"),
    (parse_throttle_bps_device, "/dev/sda:x", f"invalid rate for device: /dev/sda:x. {BPS}"),
    (parse_throttle_iops_device, "/dev/sda:1k",
     "invalid rate for device: /dev/sda:1k. The correct format is <device-path>:<number>. "
     "Number must be a positive integer"),
    (parse_throttle_iops_device, "x:1", "bad format for device path: x:1"),
])
def test_blkio_errors(func, value, message):
    with pytest.raises(ValueError) as info:
        func(value)
    assert str(info.value) == message


@pytest.mark.parametrize("value, request_", [
    ("all", {"Driver": "", "Count": -1, "DeviceIDs": None, "Capabilities": [["gpu"]], "Options": {}}),
    ("2", {"Driver": "", "Count": 2, "DeviceIDs": None, "Capabilities": [["gpu"]], "Options": {}}),
    ("device=0,1", {"Driver": "", "Count": 1, "DeviceIDs": ["0"], "Capabilities": [["gpu"]], "Options": {}}),
    ('"device=0,1",driver=nvidia,capabilities=compute',
     {"Driver": "nvidia", "Count": 0, "DeviceIDs": ["0", "1"], "Capabilities": [["compute", "gpu"]],
      "Options": {}}),
    ('"capabilities=compute,utility","options=a=1,b"',
     {"Driver": "", "Count": 1, "DeviceIDs": None, "Capabilities": [["compute", "utility", "gpu"]],
      "Options": {"a": "1", "b": ""}}),
    ("count=all", {"Driver": "", "Count": -1, "DeviceIDs": None, "Capabilities": [["gpu"]], "Options": {}}),
    ("device=", {"Driver": "", "Count": 0, "DeviceIDs": [""], "Capabilities": [["gpu"]], "Options": {}}),
    ("2,device=1", {"Driver": "", "Count": 2, "DeviceIDs": ["1"], "Capabilities": [["gpu"]], "Options": {}}),
])
def test_gpus(value, request_):
    # Each expectation is what docker 28.2 sent as HostConfig.DeviceRequests[i].
    assert parse_gpus(value) == request_


@pytest.mark.parametrize("value, message", [
    ("x", 'invalid count (x): value must be either "all" or an integer: invalid syntax'),
    ("count=1,count=2", "gpu request key 'count' can be specified only once"),
    ("all,count=2", "gpu request key 'count' can be specified only once"),
    ("foo=bar", "unexpected key 'foo' in 'foo=bar'"),
    ("", "EOF"),
    ("count=99999999999999999999",
     'invalid count (99999999999999999999): value must be either "all" or an integer: value out of range'),
    ('"options=a""b"', 'failed to read gpu options: parse error on line 1, column 2: bare " in non-quoted-field'),
    ('options="a', 'parse error on line 1, column 9: bare " in non-quoted-field'),
])
def test_gpu_errors(value, message):
    with pytest.raises(ValueError) as info:
        parse_gpus(value)
    assert str(info.value) == message


@given(st.text(max_size=30))
def test_parse_time_parsers_raise_value_error_only(value):
    for func in (parse_ulimit, parse_gpus, parse_weight_device, parse_throttle_bps_device,
                 parse_throttle_iops_device, validate_device_cgroup_rule):
        try:
            func(value)
        except ValueError:
            pass


@given(st.text(alphabet="/dev:rwmxa.=b", max_size=20))
def test_device_raises_usage_error_only(value):
    try:
        parse_devices([value])
    except UsageError:
        pass


def test_ulimit_list_takes_texts():
    assert ulimit_list(["nofile=1:2", "core=3"]) == [{"Name": "core", "Hard": 3, "Soft": 3},
                                                     {"Name": "nofile", "Hard": 2, "Soft": 1}]
