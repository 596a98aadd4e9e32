"""Scalar value parsers with the semantics and error words of Go and pflag.

docker's CLI is written in Go, so ``--cpu-shares 0x10`` is 16, ``-m 1.5g`` is
1.5 GiB and ``--rm=T`` is true. Each parser returns the Python value or raises
``ValueError`` whose text is what Go would say; the flag parser wraps it into
``invalid argument "V" for "--flag" flag: TEXT``.
"""

import re
from fractions import Fraction

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(text: str) -> bool:
    """Go's ``strconv.ParseBool``."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f'strconv.ParseBool: parsing "{text}": invalid syntax')


# Digits of each base, with Go's rule that underscores only separate digits
# and only appear when the base comes from a prefix.
_INT_BODY = {
    16: re.compile(r"0[xX](_?[0-9a-fA-F])+"),
    8: re.compile(r"0[oO](_?[0-7])+|0(_?[0-7])+"),
    2: re.compile(r"0[bB](_?[01])+"),
    10: re.compile(r"[0-9]+"),
}


def _parse_base0(text: str, func: str) -> int:
    """Go's ``strconv.Parse(U)Int(text, 0, ...)`` up to the range check."""
    body = text[1:] if text[:1] in "+-" else text
    for base, pattern in _INT_BODY.items():
        if pattern.fullmatch(body):
            digits = body.replace("_", "")
            if base == 8 and digits[1:2] not in ("o", "O"):
                digits = "0o" + digits[1:] if len(digits) > 1 else "0"
            value = int(digits, 0)
            return -value if text.startswith("-") else value
    raise ValueError(f'strconv.{func}: parsing "{text}": invalid syntax')


def parse_int(text: str, bits: int = 64) -> int:
    """Go's ``strconv.ParseInt(text, 0, bits)``."""
    value = _parse_base0(text, "ParseInt")
    limit = 1 << (bits - 1)
    if not -limit <= value < limit:
        raise ValueError(f'strconv.ParseInt: parsing "{text}": value out of range')
    return value


def parse_uint(text: str, bits: int = 64) -> int:
    """Go's ``strconv.ParseUint(text, 0, bits)``: no sign allowed."""
    if text[:1] in "+-":
        raise ValueError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    value = _parse_base0(text, "ParseUint")
    if value >= 1 << bits:
        raise ValueError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return value


_GO_FLOAT = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)",
    re.IGNORECASE,
)


def parse_float(text: str) -> float:
    """Go's ``strconv.ParseFloat(text, 64)`` for decimal notation."""
    if not _GO_FLOAT.fullmatch(text):
        raise ValueError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    return float(text)


_RAM_UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def parse_ram_bytes(text: str) -> int:
    """go-units ``RAMInBytes``: binary units whatever the spelling (MB is MiB)."""
    sep = max(text.rfind(c) for c in "0123456789. ")
    if sep == -1:
        raise ValueError(f"invalid size: '{text}'")
    if text[sep] == " ":
        number, suffix = text[:sep], text[sep + 1:]
    else:
        number, suffix = text[: sep + 1], text[sep + 1:]
    size = parse_float(number)
    if size < 0:
        raise ValueError(f"invalid size: '{text}'")
    if not suffix:
        return int(size)
    if len(suffix) > 3:
        raise ValueError(f"invalid suffix: '{suffix}'")
    suffix = suffix.lower()
    if suffix[0] == "b":
        if len(suffix) > 1:
            raise ValueError(f"invalid suffix: '{suffix}'")
        return int(size)
    if suffix[0] not in _RAM_UNITS or (len(suffix) == 2 and suffix[1] != "b") or (
        len(suffix) == 3 and suffix[1:] != "ib"
    ):
        raise ValueError(f"invalid suffix: '{suffix}'")
    return int(size * _RAM_UNITS[suffix[0]])


def parse_swap_bytes(text: str) -> int:
    """docker's ``MemSwapBytes``: like memory, but ``-1`` means unlimited."""
    return -1 if text == "-1" else parse_ram_bytes(text)


_RATIONAL = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_nano_cpus(text: str) -> int:
    """docker's ``NanoCPUs``: a rational number of CPUs in units of 1e-9."""
    fraction = None
    if m := _RATIONAL.fullmatch(text):
        if int(m.group(2)) != 0:
            fraction = Fraction(int(m.group(1)), int(m.group(2)))
    elif _DECIMAL.fullmatch(text):
        fraction = Fraction(text)
    if fraction is None:
        raise ValueError(f"failed to parse {text} as a rational number")
    nano = fraction * 1_000_000_000
    if nano.denominator != 1:
        raise ValueError("value is too precise")
    return int(nano)


_DURATION_UNITS = {
    "ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000,
    "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds."""
    quoted = f'"{text}"'
    rest = text
    negative = rest[:1] == "-"
    if rest[:1] in "+-":
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise ValueError(f"time: invalid duration {quoted}")
    total = Fraction(0)
    while rest:
        m = _DURATION_PART.match(rest)
        number, unit = m.group(1), m.group(2)
        if number in ("", ".") or not m.group(0):
            raise ValueError(f"time: invalid duration {quoted}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _DURATION_UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += Fraction(number if number[-1] != "." else number[:-1]) * _DURATION_UNITS[unit]
        rest = rest[m.end():]
    if total >= 1 << 63:
        raise ValueError(f"time: invalid duration {quoted}")
    nanos = int(total)
    return -nanos if negative else nanos
