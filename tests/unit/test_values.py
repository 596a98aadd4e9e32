"""Scalar parsing with Go's semantics."""

import pytest

from runmagic.golang import strconv as values


@pytest.mark.parametrize("text, expected", [
    ("10", 10), ("0x200", 512), ("010", 8), ("0o17", 15), ("0b101", 5), ("1_0", 10),
    ("0x_1f", 31), ("-5", -5), ("+7", 7), ("0", 0), ("0_10", 8), ("1__0", None), ("_1", None),
    ("1_", None), ("0x", None), ("08", None), ("", None), ("-", None), ("0b", None),
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


def test_go_quote():
    assert values.go_quote('a"b\\c') == '"a\\"b\\\\c"'
    assert values.go_quote("\n\t\x01é\u00a0") == '"\\n\\t\\x01é\\u00a0"'
    assert values.go_quote("\U0001F600") == '"\U0001F600"'
    assert values.go_quote_rune("'") == "'\\''"
    assert values.go_quote_rune('"') == "'\"'"
    assert values.go_quote_byte("é") == "'Ã'"


def test_strconv_with_an_explicit_base():
    assert values.parse_uint("65535", 16, 10) == 65535
    for bad, why in (("65536", "value out of range"), ("+1", "invalid syntax"), ("1_0", "invalid syntax"),
                     ("", "invalid syntax"), ("٣", "invalid syntax"), ("0x10", "invalid syntax")):
        with pytest.raises(ValueError) as info:
            values.parse_uint(bad, 16, 10)
        assert str(info.value) == f"strconv.ParseUint: parsing {values.go_quote(bad)}: {why}"
    assert values.parse_int("-9223372036854775808", 64, 10) == -(1 << 63)
    with pytest.raises(ValueError, match=r'^strconv.ParseInt: parsing "9223372036854775808": value out of range$'):
        values.parse_int("9223372036854775808", 64, 10)
    assert values.atoi("+5") == 5
    with pytest.raises(ValueError, match=r'^strconv.Atoi: parsing "x": invalid syntax$'):
        values.atoi("x")
    assert values.parse_uint("1777", 32, 8) == 0o1777
    with pytest.raises(ValueError, match="invalid syntax"):
        values.parse_uint("9", 32, 8)


def test_range_error_comes_before_a_later_syntax_error():
    with pytest.raises(ValueError, match="value out of range"):
        values.parse_int("99999999999999999999x")


@pytest.mark.parametrize("text, expected", [
    ("1", 1.0), ("1.5", 1.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("1_000", 1000.0),
    ("0x1p-2", 0.25), ("0X1.8P1", 3.0), ("inf", float("inf")), ("-Infinity", float("-inf")),
])
def test_parse_float(text, expected):
    assert values.parse_float(text) == expected


@pytest.mark.parametrize("text, why", [
    ("", "invalid syntax"), (".", "invalid syntax"), ("1e", "invalid syntax"), ("0x1", "invalid syntax"),
    ("1__0", "invalid syntax"), ("+nan", "invalid syntax"), ("1e400", "value out of range"),
    (" 1", "invalid syntax"), ("0x.p1", "invalid syntax"),
])
def test_parse_float_errors(text, why):
    with pytest.raises(ValueError) as info:
        values.parse_float(text)
    assert str(info.value) == f"strconv.ParseFloat: parsing {values.go_quote(text)}: {why}"


def test_ram_bytes_out_of_int64_is_go_s_conversion():
    assert values.parse_ram_bytes("1e300") == -(1 << 63)
    assert values.parse_ram_bytes("1_0k") == 10240
    assert values.parse_ram_bytes("0x1p4m") == 16 << 20
    with pytest.raises(ValueError, match="invalid syntax"):
        values.parse_ram_bytes("0x10m")


@pytest.mark.parametrize("text, nanos", [
    ("0x1", 10**9), ("1_0", 10**10), ("0x1p-2", 250_000_000), (".5e1", 5 * 10**9), ("010", 10 * 10**9),
    ("010/1", 8 * 10**9), ("1/0x2", 500_000_000), ("-0.5", -500_000_000), ("1e-9", 1),
    ("1e10", -8446744073709551616),
])
def test_nano_cpus_are_big_rat(text, nanos):
    assert values.parse_nano_cpus(text) == nanos


@pytest.mark.parametrize("text", ["_1", "1e", " 1", "1/0", "1/-2", "", "0x", "1__0", "1/2/3", "/1", "-/1"])
def test_nano_cpus_refusals(text):
    with pytest.raises(ValueError, match=f"failed to parse {text} as a rational number"):
        values.parse_nano_cpus(text)


@pytest.mark.parametrize("text, nanos", [
    ("1.0000000001s", 1_000_000_000), ("2562047h47m16.854775807s", (1 << 63) - 1),
    ("-2562047h47m16.854775808s", -(1 << 63)), ("1µs", 1000), (".5s", 500_000_000),
])
def test_durations_at_the_edges(text, nanos):
    assert values.parse_duration(text) == nanos


@pytest.mark.parametrize("text, message", [
    ("2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'),
    ("9999999999h", 'time: invalid duration "9999999999h"'),
    ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
    (".s", 'time: invalid duration ".s"'),
])
def test_duration_errors_at_the_edges(text, message):
    with pytest.raises(ValueError) as info:
        values.parse_duration(text)
    assert str(info.value) == message
