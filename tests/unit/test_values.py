"""Scalar parsing with Go's semantics."""

import pytest

from runmagic import values


@pytest.mark.parametrize("text, expected", [
    ("10", 10), ("0x200", 512), ("010", 8), ("0o17", 15), ("0b101", 5), ("1_0", None),
    ("0x_1f", 31), ("-5", -5), ("+7", 7), ("0", 0),
])
def test_parse_int_base_prefixes(text, expected):
    if expected is None:
        with pytest.raises(ValueError, match='invalid syntax'):
            values.parse_int(text)
    else:
        assert values.parse_int(text) == expected


def test_parse_int_range():
    assert values.parse_int(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueError, match="value out of range"):
        values.parse_int(str(2**63))


def test_parse_uint16():
    assert values.parse_uint("65535", 16) == 65535
    with pytest.raises(ValueError, match=r'strconv.ParseUint: parsing "65536": value out of range'):
        values.parse_uint("65536", 16)
    with pytest.raises(ValueError, match="invalid syntax"):
        values.parse_uint("-1", 16)


@pytest.mark.parametrize("text, expected", [
    ("1024", 1024), ("1k", 1024), ("1KB", 1024), ("1KiB", 1024), ("1.5g", 1536 * 1024**2),
    ("100MB", 100 * 1024**2), ("2 m", 2 * 1024**2), ("7b", 7), ("0.5k", 512),
])
def test_ram_bytes_are_binary(text, expected):
    assert values.parse_ram_bytes(text) == expected


@pytest.mark.parametrize("text, message", [
    ("1x", "invalid suffix: 'x'"), ("1kbb", "invalid suffix: 'kbb'"), ("abc", "invalid size: 'abc'"),
    ("-1m", "invalid size: '-1m'"), ("1kx", "invalid suffix: 'kx'"),
])
def test_ram_bytes_errors(text, message):
    with pytest.raises(ValueError) as info:
        values.parse_ram_bytes(text)
    assert str(info.value) == message


def test_swap_allows_minus_one():
    assert values.parse_swap_bytes("-1") == -1


@pytest.mark.parametrize("text, nanos", [("1/2", 500_000_000), ("1.5", 1_500_000_000), ("2", 2_000_000_000),
                                         ("0.000000001", 1)])
def test_nano_cpus(text, nanos):
    assert values.parse_nano_cpus(text) == nanos


def test_nano_cpus_errors():
    with pytest.raises(ValueError, match="failed to parse x as a rational number"):
        values.parse_nano_cpus("x")
    with pytest.raises(ValueError, match="value is too precise"):
        values.parse_nano_cpus("0.0000000001")


@pytest.mark.parametrize("text, nanos", [("0", 0), ("1s", 10**9), ("1h30m", 5400 * 10**9), ("1.5ms", 1_500_000),
                                         ("-2s", -2 * 10**9), ("300us", 300_000)])
def test_durations(text, nanos):
    assert values.parse_duration(text) == nanos


@pytest.mark.parametrize("text, message", [
    ("1", 'time: missing unit in duration "1"'), ("1x", 'time: unknown unit "x" in duration "1x"'),
    ("", 'time: invalid duration ""'), ("s", 'time: invalid duration "s"'),
])
def test_duration_errors(text, message):
    with pytest.raises(ValueError) as info:
        values.parse_duration(text)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["1", "t", "T", "TRUE", "true", "True"])
def test_bool_true(text):
    assert values.parse_bool(text) is True
