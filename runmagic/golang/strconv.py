"""Scalar value parsers with the semantics and error words of Go, pflag and docker.

docker's CLI is written in Go, so ``--cpu-shares 0x10`` is 16, ``-c 1_0`` is 10,
``-m 1.5g`` is 1.5 GiB, ``--cpus 1/2`` is half a CPU and ``--rm=T`` is true.
This module is the one home of those behaviours: ``strconv`` (ParseBool,
ParseInt/ParseUint in any base docker uses, Atoi, ParseFloat, Quote),
Go's float-to-int64 conversion, ``math/big``'s ``Rat.SetString``,
``time.ParseDuration`` and go-units' ``RAMInBytes``.

Each parser returns the Python value or raises ``ValueError`` whose text is
what Go would say; the flag parser wraps it into
``invalid argument "V" for "--flag" flag: TEXT``.
"""

import math
import re
import unicodedata
from fractions import Fraction

# ------------------------------------------------------------------ quoting

_SIMPLE_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
}


def _is_print(ch: str) -> bool:
    """Go's ``strconv.IsPrint``: graphic characters plus the ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def _escape(ch: str, quote: str) -> str:
    code = ord(ch)
    if ch == quote or ch == "\\":
        return "\\" + ch
    if ch in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[ch]
    if _is_print(ch):
        return ch
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        # A lone surrogate stands for an invalid byte: Go writes U+FFFD's escape.
        return "\\ufffd"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` (and ``%q`` of a string)."""
    return '"' + "".join(_escape(ch, '"') for ch in text) + '"'


def go_quote_rune(ch: str) -> str:
    """Go's ``strconv.QuoteRune`` (``%q`` of a rune or a byte): ``'z'``, ``'\\''``."""
    return "'" + _escape(ch, "'") + "'"


def go_quote_byte(ch: str) -> str:
    """``%q`` of the first byte of ``ch`` in UTF-8, as pflag quotes a shorthand
    (a byte formatted as a rune: ``é`` starts with 0xC3, shown as ``'Ã'``)."""
    first = ch.encode("utf-8", "surrogateescape")[:1]
    return go_quote_rune(chr(first[0]) if first else "")


# ------------------------------------------------------------------ strconv


def _num_error(func: str, text: str, why: str) -> ValueError:
    return ValueError(f"strconv.{func}: parsing {go_quote(text)}: {why}")


def num_error_reason(exc: ValueError) -> str:
    """The bare reason of a strconv error (Go's ``NumError.Err``)."""
    return str(exc).rsplit(": ", 1)[-1]


_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def parse_bool(text: str) -> bool:
    """Go's ``strconv.ParseBool``."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _num_error("ParseBool", text, "invalid syntax")


def _underscore_ok(text: str) -> bool:
    """Go's ``underscoreOK``: ``_`` only between digits or after a base prefix."""
    saw = "^"
    i = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexadecimal = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        i, saw, hexadecimal = 2, "0", text[1].lower() == "x"
    for ch in text[i:]:
        if "0" <= ch <= "9" or hexadecimal and "a" <= ch.lower() <= "f":
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def parse_uint(text: str, bits: int = 64, base: int = 0, func: str = "ParseUint") -> int:
    """Go's ``strconv.ParseUint(text, base, bits)`` for base 0 (prefixes, ``_``) or 2..36."""
    if text == "":
        raise _num_error(func, text, "invalid syntax")
    base0 = base == 0
    body = text
    if base0:
        base = 10
        if text[0] == "0":
            prefix = text[1:2].lower()
            if len(text) >= 3 and prefix in ("b", "o", "x"):
                base, body = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
            else:
                base, body = 8, text[1:]
    limit = (1 << bits) - 1
    value = 0
    underscores = False
    for ch in body:
        if ch == "_" and base0:
            underscores = True
            continue
        if "0" <= ch <= "9":
            digit = ord(ch) - 48
        elif "a" <= ch.lower() <= "z" and ch.isascii():
            digit = ord(ch.lower()) - 87
        else:
            raise _num_error(func, text, "invalid syntax")
        if digit >= base:
            raise _num_error(func, text, "invalid syntax")
        value = value * base + digit
        if value > limit:
            raise _num_error(func, text, "value out of range")
    if underscores and not _underscore_ok(text):
        raise _num_error(func, text, "invalid syntax")
    return value


def parse_int(text: str, bits: int = 64, base: int = 0, func: str = "ParseInt") -> int:
    """Go's ``strconv.ParseInt(text, base, bits)``: an optional sign, then ParseUint."""
    if text == "":
        raise _num_error(func, text, "invalid syntax")
    body = text[1:] if text[0] in "+-" else text
    try:
        magnitude = parse_uint(body, bits, base, func)
    except ValueError as exc:
        if num_error_reason(exc) != "value out of range":
            raise _num_error(func, text, "invalid syntax") from None
        raise _num_error(func, text, "value out of range") from None
    cutoff = 1 << (bits - 1)
    negative = text[0] == "-"
    if magnitude > cutoff or (magnitude == cutoff and not negative):
        raise _num_error(func, text, "value out of range")
    return -magnitude if negative else magnitude


def atoi(text: str) -> int:
    """Go's ``strconv.Atoi`` on a 64-bit platform (decimal only)."""
    return parse_int(text, 64, 10, "Atoi")


_SPECIAL_FLOAT = re.compile(r"[+-]?(?:inf|infinity)|nan", re.IGNORECASE)
_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")


def parse_float(text: str) -> float:
    """Go's ``strconv.ParseFloat(text, 64)``: decimal and hex (``0x1p-2``)
    notation, ``_`` between digits, ``inf``/``infinity``/``nan``; overflow is
    a range error."""
    if _SPECIAL_FLOAT.fullmatch(text):
        return float(text.lower().replace("infinity", "inf"))
    hexadecimal = bool(_HEX_FLOAT.fullmatch(text))
    if not (hexadecimal or _DECIMAL_FLOAT.fullmatch(text)) or not any(c.isdigit() for c in text.split("p")[0].split("P")[0]):
        raise _num_error("ParseFloat", text, "invalid syntax")
    if "_" in text and not _underscore_ok(text):
        raise _num_error("ParseFloat", text, "invalid syntax")
    plain = text.replace("_", "")
    try:
        value = float.fromhex(plain) if hexadecimal else float(plain)
    except OverflowError:
        value = math.inf
    except ValueError:  # e.g. a hex mantissa without digits
        raise _num_error("ParseFloat", text, "invalid syntax") from None
    if math.isinf(value):
        raise _num_error("ParseFloat", text, "value out of range")
    return value


_INT64_MIN = -(1 << 63)


def float_to_int64(value: float) -> int:
    """Go's ``int64(f)`` on amd64: truncation, and 0x8000000000000000 for NaN
    or anything out of range."""
    if math.isnan(value) or not _INT64_MIN <= value < 1 << 63:
        return _INT64_MIN
    return int(value)


def wrap_int64(value: int) -> int:
    """``big.Int.Int64()``: the low 64 bits of the magnitude, then the sign."""
    low = abs(value) & ((1 << 64) - 1)
    low = low - (1 << 64) if low >= 1 << 63 else low
    return -low if value < 0 else low


def version_tuple(version: str) -> tuple[int, ...]:
    """An Engine API version for docker's ``versions.LessThan``: ``"1.41"`` -> ``(1, 41)``."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


# ------------------------------------------------------------- go-units sizes

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
        return float_to_int64(size)
    if len(suffix) > 3:
        raise ValueError(f"invalid suffix: '{suffix}'")
    suffix = suffix.lower()
    if suffix[0] == "b":
        if len(suffix) > 1:
            raise ValueError(f"invalid suffix: '{suffix}'")
        return float_to_int64(size)
    if suffix[0] not in _RAM_UNITS or (len(suffix) == 2 and suffix[1] != "b") or (
        len(suffix) == 3 and suffix[1:] != "ib"
    ):
        raise ValueError(f"invalid suffix: '{suffix}'")
    return float_to_int64(size * _RAM_UNITS[suffix[0]])


def parse_swap_bytes(text: str) -> int:
    """docker's ``MemSwapBytes``: like memory, but ``-1`` means unlimited."""
    return -1 if text == "-1" else parse_ram_bytes(text)


# ---------------------------------------------------------------- big.Rat


class _Scanner:
    """A byte reader with one byte of look-back, like Go's strings.Reader."""

    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def read(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        self.pos += 1
        return self.text[self.pos - 1]

    def unread(self) -> None:
        self.pos -= 1

    @property
    def done(self) -> bool:
        return self.pos >= len(self.text)


def _digit(ch: str) -> int:
    if "0" <= ch <= "9":
        return ord(ch) - 48
    if ch.isascii() and ch.isalpha():
        return ord(ch.lower()) - 87
    return 99


def _digits_value(digits: str, base: int) -> int:
    """The value of a long digit string, in chunks (int() refuses very long strings)."""
    value = 0
    for start in range(0, len(digits), 1000):
        chunk = digits[start:start + 1000]
        value = value * base ** len(chunk) + int(chunk, base)
    return value


def _scan_nat(r: _Scanner, frac_ok: bool) -> tuple[int, int, int] | None:
    """``nat.scan(r, 0, fracOk)``: (value, base, count), count < 0 giving the
    number of fractional digits; None on error."""
    prev, invalid_sep, count, prefix, base = ".", False, 0, "", 10
    ch = r.read()
    if ch == "0":
        prev, count = "0", 1
        ch = r.read()
        if ch is not None:
            if ch in "bB":
                base, prefix = 2, "b"
            elif ch in "oO":
                base, prefix = 8, "o"
            elif ch in "xX":
                base, prefix = 16, "x"
            elif not frac_ok:
                base, prefix = 8, "0"
            if prefix:
                count = 0
                if prefix != "0":
                    ch = r.read()
    digits, dp = [], -1
    while ch is not None:
        if ch == "." and frac_ok and dp < 0:
            dp, prev = count, "."
        elif ch == "_":
            if prev != "0":
                invalid_sep = True
            prev = "_"
        else:
            if _digit(ch) >= base:
                r.unread()
                break
            prev = "0"
            count += 1
            digits.append(ch)
        ch = r.read()
    value = _digits_value("".join(digits), base)
    if invalid_sep or prev == "_":
        return None
    if count == 0:
        if prefix == "0":
            return 0, 10, 1
        return None
    if dp >= 0:
        count = dp - count
    return value, base, count


def _scan_exponent(r: _Scanner) -> tuple[int, int] | None:
    """``scanExponent(r, true, true)``: (exponent, base 10 or 2); None on error."""
    ch = r.read()
    if ch is None:
        return 0, 10
    if ch in "eE":
        base = 10
    elif ch in "pP":
        base = 2
    else:
        r.unread()
        return 0, 10
    digits, prev, invalid_sep = "", ".", False
    ch = r.read()
    if ch is not None and ch in "+-":
        digits = "-" if ch == "-" else ""
        ch = r.read()
    has_digits = False
    while ch is not None:
        if "0" <= ch <= "9":
            digits += ch
            prev, has_digits = "0", True
        elif ch == "_":
            if prev != "0":
                invalid_sep = True
            prev = "_"
        else:
            r.unread()
            break
        ch = r.read()
    if not has_digits or len(digits.lstrip("-0")) > 19:
        return None  # no digits, or out of int64 (strconv.ParseInt's range error)
    exponent = int(digits)
    if not _INT64_MIN <= exponent < 1 << 63 or invalid_sep or prev == "_":
        return None
    return exponent, base


def _int_set_string(text: str) -> int | None:
    """``big.Int.SetString(text, 0)``."""
    r = _Scanner(text)
    ch = r.read()
    if ch is None:
        return None
    negative = ch == "-"
    if ch not in ("+", "-"):
        r.unread()
    scanned = _scan_nat(r, False)
    if scanned is None or not r.done:
        return None
    return -scanned[0] if negative else scanned[0]


def _rat_set_string(text: str) -> Fraction | None:
    """``big.Rat.SetString``: ``a/b`` (each with Go's base prefixes) or a
    decimal/hex floating-point number with an optional exponent."""
    if text == "":
        return None
    if "/" in text:
        sep = text.index("/")
        numerator = _int_set_string(text[:sep])
        r = _Scanner(text[sep + 1:])
        denominator = _scan_nat(r, False)
        if numerator is None or denominator is None or not r.done or denominator[0] == 0:
            return None
        return Fraction(numerator, denominator[0])
    r = _Scanner(text)
    ch = r.read()
    negative = ch == "-"
    if ch not in ("+", "-"):
        r.unread()
    mantissa = _scan_nat(r, True)
    if mantissa is None:
        return None
    exponent = _scan_exponent(r)
    if exponent is None or not r.done:
        return None
    value, base, count = mantissa
    if value == 0:
        return Fraction(0)
    exp, ebase = exponent
    exp2 = exp5 = 0
    if count < 0:
        exp2 = count * {10: 1, 2: 1, 8: 3, 16: 4}[base]
        if base == 10:
            exp5 = count
    exp2 += exp
    if ebase == 10:
        exp5 += exp
    if abs(exp5) > 1_000_000 or abs(exp2) > 10_000_000:
        return None
    result = Fraction(value) * Fraction(5) ** exp5 * Fraction(2) ** exp2
    return -result if negative else result


def parse_nano_cpus(text: str) -> int:
    """docker's ``ParseCPUs``: a ``big.Rat`` number of CPUs in units of 1e-9."""
    cpus = _rat_set_string(text)
    if cpus is None:
        raise ValueError(f"failed to parse {text} as a rational number")
    nano = cpus * 1_000_000_000
    if nano.denominator != 1:
        raise ValueError("value is too precise")
    return wrap_int64(nano.numerator)


# ----------------------------------------------------------------- durations

_DURATION_UNITS = {
    "ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000,
    "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
}


def _time_quote(text: str) -> str:
    """``time``'s own quote: non-ASCII and control characters as ``\\x`` bytes."""
    out = []
    for ch in text:
        if ord(ch) >= 0x80 or ch < " ":
            out += [f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogateescape")]
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    return '"' + "".join(out) + '"'


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds (its float arithmetic included)."""
    def invalid() -> ValueError:
        return ValueError(f"time: invalid duration {_time_quote(text)}")

    rest, negative, total = text, False, 0
    if rest[:1] in ("-", "+"):
        negative, rest = rest[0] == "-", rest[1:]
    if rest == "0":
        return 0
    if rest == "":
        raise invalid()
    while rest:
        if not (rest[0] == "." or "0" <= rest[0] <= "9"):
            raise invalid()
        i = 0
        whole = 0
        while i < len(rest) and "0" <= rest[i] <= "9":
            if whole > (1 << 63) // 10:
                raise invalid()
            whole = whole * 10 + ord(rest[i]) - 48
            if whole > 1 << 63:
                raise invalid()
            i += 1
        pre, rest = i > 0, rest[i:]
        fraction, scale, post = 0, 1.0, False
        if rest[:1] == ".":
            rest = rest[1:]
            i, overflow = 0, False
            while i < len(rest) and "0" <= rest[i] <= "9":
                if not overflow:
                    if fraction > ((1 << 63) - 1) // 10:
                        overflow = True
                    else:
                        bigger = fraction * 10 + ord(rest[i]) - 48
                        if bigger > 1 << 63:
                            overflow = True
                        else:
                            fraction, scale = bigger, scale * 10
                i += 1
            post, rest = i > 0, rest[i:]
        if not pre and not post:
            raise invalid()
        i = 0
        while i < len(rest) and not (rest[i] == "." or "0" <= rest[i] <= "9"):
            i += 1
        if i == 0:
            raise ValueError(f"time: missing unit in duration {_time_quote(text)}")
        unit_name, rest = rest[:i], rest[i:]
        unit = _DURATION_UNITS.get(unit_name)
        if unit is None:
            raise ValueError(
                f"time: unknown unit {_time_quote(unit_name)} in duration {_time_quote(text)}")
        if whole > (1 << 63) // unit:
            raise invalid()
        whole *= unit
        if fraction > 0:
            whole += int(float(fraction) * (float(unit) / scale))
            if whole > 1 << 63:
                raise invalid()
        total += whole
        if total > 1 << 63:
            raise invalid()
    if negative:
        return -total
    if total > (1 << 63) - 1:
        raise invalid()
    return total
