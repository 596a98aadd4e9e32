"""Go values as docker's templates see them: types, ``fmt`` printing, ``encoding/json``.

Pure: no IPython, no docker. The docker CLI executes ``--format`` templates
against Go values, so what ``{{.State}}`` or ``{{json .Config}}`` prints
depends on Go types the JSON from the engine does not carry: a nil slice
prints ``[]``, a nil map ``map[]``, a nil pointer ``<nil>``; a struct prints
its fields in declaration order; ``json`` marshals fields in Go order with
``omitempty``. A :class:`GoType` records what is needed, and a
:class:`Value` pairs a type with the engine's decoded JSON for it.

Two families of values exist, as in the CLI:

* typed values (declared in :mod:`.schemas`), the CLI's first attempt;
* raw values (kind ``raw``): the engine's JSON decoded into ``any``, which
  the CLI falls back to when the typed execution fails. Objects are maps
  (printed and marshalled with sorted keys), numbers keep their literal.

What Go would print but runmagic cannot reproduce (a pointer nested in a
printed value shows as a memory address) raises :class:`Unreproducible`,
so the output is never wrong, only refused.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable


class Unreproducible(ValueError):
    """Go would print something runmagic cannot reproduce faithfully."""


class GoError(ValueError):
    """An execution error in Go's words (the caller adds the position)."""


@dataclass(frozen=True)
class StructField:
    name: str  # Go's field name, used by templates
    json_name: str  # the key in the engine's JSON
    type: "GoType"
    omitempty: bool = False
    embedded: bool = False


@dataclass(eq=False)
class GoType:
    """A Go type, reduced to what printing, marshalling and field access need.

    ``kind`` is one of: string, int, uint, float, bool, slice, array, map,
    struct, ptr, any, iface, raw, time, duration, filemode, context. ``iface``
    is an ``interface{}`` whose dynamic type is known (``elem``): it prints and
    marshals as that type, while errors name it ``interface {}`` as Go does.
    ``name`` is how Go names the type in error messages (``*container.State``).
    """

    kind: str
    name: str
    elem: GoType | None = None
    key: GoType | None = None
    length: int = 0
    fields: list[StructField] = field(default_factory=list)
    #: For ``context`` types: method name -> (function(data, *args), number of args).
    methods: dict[str, tuple[Callable, int]] = field(default_factory=dict)
    #: For ``raw`` values of objects whose Go types runmagic does not model:
    #: print only what prints the same whatever the Go type.
    guarded: bool = False
    #: The type has a MarshalJSON of its own that calls json.Marshal: its JSON
    #: escapes <, > and & even where the encoder was told not to (templates' json).
    marshals_escaped: bool = False

    def __repr__(self) -> str:
        return f"GoType({self.name})"


STRING = GoType("string", "string")
INT = GoType("int", "int")
INT64 = GoType("int", "int64")
UINT16 = GoType("uint", "uint16")
UINT32 = GoType("uint", "uint32")
UINT64 = GoType("uint", "uint64")
UINT = GoType("uint", "uint")
FLOAT64 = GoType("float", "float64")
BOOL = GoType("bool", "bool")
ANY = GoType("any", "interface {}")
RAW = GoType("raw", "interface {}")
UNTYPED = GoType("raw", "interface {}", guarded=True)
TIME = GoType("time", "time.Time")
DURATION = GoType("duration", "time.Duration")
FILEMODE = GoType("filemode", "fs.FileMode")
EMPTY_STRUCT = GoType("struct", "struct {}")
STRINGS = GoType("slice", "[]string", elem=STRING)


def slice_of(elem: GoType) -> GoType:
    return GoType("slice", "[]" + elem.name, elem=elem)


def map_of(key: GoType, elem: GoType) -> GoType:
    return GoType("map", f"map[{key.name}]{elem.name}", elem=elem, key=key)


def ptr_to(elem: GoType) -> GoType:
    return GoType("ptr", "*" + elem.name, elem=elem)


@dataclass
class Value:
    """A Go value: its type and its data (the engine's decoded JSON, or None for nil)."""

    type: GoType
    data: object

    @property
    def kind(self) -> str:
        return self.type.kind


def raw(data) -> Value:
    return Value(RAW, data)


NO_VALUE = Value(GoType("invalid", "<invalid>"), None)


# ----------------------------------------------------------------- decoding


def zero_data(gotype: GoType):
    """The engine's JSON for a Go zero value of ``gotype``."""
    kind = gotype.kind
    if kind == "string":
        return ""
    if kind in ("int", "uint", "duration", "filemode"):
        return 0
    if kind == "float":
        return 0.0
    if kind == "bool":
        return False
    if kind == "struct":
        return {}
    if kind == "array":
        return [zero_data(gotype.elem)] * gotype.length
    if kind == "time":
        return "0001-01-01T00:00:00Z"
    return None  # slices, maps, pointers, interfaces


def _struct_lookup(gotype: GoType, name: str) -> tuple[StructField, GoType] | None:
    """A field by Go name (and the struct declaring it), promoted from embedded
    structs as Go does."""
    for f in gotype.fields:
        if f.name == name:  # an embedded struct is also a field, named after its type
            return f, gotype
    for f in gotype.fields:
        if f.embedded:
            inner = f.type.elem if f.type.kind == "ptr" else f.type
            found = _struct_lookup(inner, name)
            if found:
                return found
    return None


def _json_get(data: dict, key: str):
    """encoding/json matches keys exactly first, then case-insensitively."""
    if key in data:
        return data[key]
    folded = key.casefold()
    for k, v in data.items():
        if k.casefold() == folded:
            return v
    return None


def field_value(value: Value, f: StructField) -> Value:
    data = value.data or {}
    if f.embedded:
        # An embedded struct's fields are inlined in the JSON.
        return Value(f.type, data)
    item = _json_get(data, f.json_name)
    if item is None:
        item = zero_data(f.type)
    elif f.type.kind == "slice" and f.type.elem.kind == "string" and isinstance(item, str):
        item = [item]  # strslice.StrSlice accepts a single string
    return Value(f.type, item)


def indirect(value: Value) -> Value:
    """Follow pointers (and interfaces) as text/template does before field access."""
    while value.kind == "ptr" and value.data is not None:
        value = Value(value.type.elem, value.data)
    if value.kind == "any":
        return dynamic(value.data)
    if value.kind == "iface":
        return indirect(Value(value.type.elem, value.data)) if value.data is not None else Value(ANY, None)
    return value


def dynamic(data) -> Value:
    """The value inside an ``interface{}`` field, as encoding/json decodes it
    (numbers are float64)."""
    if data is None:
        return Value(ANY, None)
    if isinstance(data, bool):
        return Value(BOOL, data)
    if isinstance(data, (int, float)):
        return Value(FLOAT64, float(data))
    if isinstance(data, str):
        return Value(STRING, data)
    if isinstance(data, list):
        return Value(slice_of(ANY), data)
    return Value(map_of(STRING, ANY), data)


# ------------------------------------------------------------- field access


def get_field(value: Value, name: str, missing_key_error: bool = False) -> Value:
    """``.name`` on ``value``; raises GoError with text/template's words."""
    original = value
    if value.kind == "ptr" and value.data is None:
        raise GoError(f"nil pointer evaluating {value.type.name}.{name}")
    value = indirect(value)
    kind = value.kind
    if kind == "struct":
        found = _struct_lookup(value.type, name)
        if found is None:
            raise GoError(f"can't evaluate field {name} in type {original.type.name}")
        # A promoted field's data is in the same JSON object (embedding inlines it).
        return field_value(value, found[0])
    if kind == "map" and value.type.key.kind == "string":
        data = value.data or {}
        if name in data:
            return Value(value.type.elem, data[name])
        if missing_key_error:
            raise GoError(f'map has no entry for key "{name}"')
        return NO_VALUE
    if kind == "raw":
        if isinstance(value.data, dict):
            if name in value.data:
                return Value(value.type, value.data[name])
            if missing_key_error:
                hint = " (runmagic reads this object as the engine's JSON: use its keys)" if (
                    value.type.guarded) else ""
                raise GoError(f'map has no entry for key "{name}"{hint}')
            return NO_VALUE
        if value.data is None:
            raise GoError(f"nil pointer evaluating interface {{}}.{name}")
        raise GoError(f"can't evaluate field {name} in type {raw_type_name(value.data)}")
    if kind == "any" and value.data is None:
        raise GoError(f"nil pointer evaluating interface {{}}.{name}")
    if kind == "opaque":
        raise Unreproducible(f"{value.type.name} is swarm data runmagic does not model")
    raise GoError(f"can't evaluate field {name} in type {original.type.name}")


def raw_type_name(data) -> str:
    if isinstance(data, dict):
        return "map[string]interface {}"
    if isinstance(data, list):
        return "[]interface {}"
    if isinstance(data, bool):
        return "bool"
    if isinstance(data, (int, float)):
        return "json.Number"
    if isinstance(data, str):
        return "string"
    return "interface {}"


def type_name(value: Value) -> str:
    if value.kind == "raw":
        return raw_type_name(value.data)
    return value.type.name


# ------------------------------------------------------------------ truth


def is_true(value: Value) -> bool:
    """text/template's notion of truth: the zero value is false."""
    value_kind = value.kind
    data = value.data
    if value_kind == "invalid":
        return False
    if value_kind in ("struct", "context"):
        return True
    if value_kind == "iface":
        return data is not None
    if value_kind == "raw":
        if isinstance(data, (dict, list, str)):
            return len(data) > 0
        if isinstance(data, bool):
            return data
        if isinstance(data, (int, float)):
            return True  # json.Number is a non-empty string
        return data is not None
    if value_kind == "time":
        return True
    if data is None:
        return False
    if isinstance(data, (list, dict, str)):
        return len(data) > 0
    return bool(data)


# ---------------------------------------------------------------- numbers


def _shortest_digits(f: float) -> tuple[str, int]:
    """The shortest digits that round-trip ``abs(f)`` (as Go's and Python's
    formatting both find them) and the decimal exponent of the first one."""
    mantissa, _, exponent = repr(abs(f)).partition("e")
    whole, _, frac = mantissa.partition(".")
    shift = int(exponent) if exponent else 0
    if whole.strip("0"):
        exp = len(whole.lstrip("0")) - 1 + shift
    else:
        exp = -(len(frac) - len(frac.lstrip("0")) + 1) + shift
    digits = (whole + frac).lstrip("0").rstrip("0") or "0"
    return digits, exp


def _plain(digits: str, exp: int) -> str:
    if exp < 0:
        return "0." + "0" * (-exp - 1) + digits
    whole = digits[:exp + 1].ljust(exp + 1, "0")
    frac = digits[exp + 1:]
    return whole + ("." + frac if frac else "")


def _scientific(digits: str, exp: int, min_exp_digits: int) -> str:
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{body}e{'-' if exp < 0 else '+'}{abs(exp):0{min_exp_digits}d}"


def go_float(f: float) -> str:
    """``fmt``'s ``%v`` of a float64 (``strconv`` 'g', shortest): the exponent
    form when the exponent is below -4 or from 6 on."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    sign = "-" if math.copysign(1, f) < 0 else ""
    if f == 0:
        return sign + "0"
    digits, exp = _shortest_digits(f)
    if exp < -4 or exp >= 6:
        return sign + _scientific(digits, exp, 2)
    return sign + _plain(digits, exp)


def json_float(f: float) -> str:
    """encoding/json's float64: plain digits, the exponent form (with a
    one-digit exponent when it fits) below 1e-6 or from 1e21."""
    if math.isinf(f) or math.isnan(f):
        raise GoError(f"json: unsupported value: {go_float(f)}")
    sign = "-" if math.copysign(1, f) < 0 else ""
    if f == 0:
        return sign + "0"
    digits, exp = _shortest_digits(f)
    if abs(f) < 1e-6 or abs(f) >= 1e21:
        return sign + _scientific(digits, exp, 1)
    return sign + _plain(digits, exp)


def raw_number(data) -> str:
    """A json.Number prints as the literal the engine wrote."""
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int):
        return str(data)
    return json_float(data)


# ---------------------------------------------------------------- printing


def _time_string(text: str) -> str:
    """Go's ``Time.String()`` of an RFC 3339 timestamp from the engine."""
    moment = parse_rfc3339(text)
    if moment is None:
        raise Unreproducible(f"cannot read the time {text!r}")
    stamp, nanos, offset = moment
    local = stamp + timedelta(seconds=offset)
    frac = f".{nanos:09d}".rstrip("0") if nanos else ""
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    zone_offset = f"{sign}{hours:02d}{minutes:02d}"
    zone = "UTC" if offset == 0 and text.endswith(("Z", "z")) else zone_offset
    return f"{local:%Y-%m-%d %H:%M:%S}{frac} {zone_offset} {zone}"


def parse_rfc3339(text: str):
    """(UTC datetime without tz, nanoseconds, offset seconds) or None."""
    try:
        date, _, rest = text.partition("T")
        year, month, day = (int(p) for p in date.split("-"))
        if rest.endswith(("Z", "z")):
            clock, offset = rest[:-1], 0
        else:
            cut = max(rest.rfind("+"), rest.rfind("-"))
            clock, zone = rest[:cut], rest[cut:]
            zh, zm = zone[1:].split(":")
            offset = (int(zh) * 3600 + int(zm) * 60) * (-1 if zone[0] == "-" else 1)
        hms, _, frac = clock.partition(".")
        hour, minute, second = (int(p) for p in hms.split(":"))
        nanos = int((frac + "000000000")[:9]) if frac else 0
        stamp = datetime(year, month, day, hour, minute, second) - timedelta(seconds=offset)
        return stamp, nanos, offset
    except (ValueError, IndexError):
        return None


def duration_string(ns: int) -> str:
    """Go's ``time.Duration.String()``."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return sign + _trim_fraction(ns, 1000) + "µs"
    if ns < 1_000_000_000:
        return sign + _trim_fraction(ns, 1_000_000) + "ms"
    seconds, frac_ns = divmod(ns, 1_000_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = _trim_fraction(seconds * 1_000_000_000 + frac_ns, 1_000_000_000) + "s"
    if hours or minutes:
        text = f"{minutes}m" + text
    if hours:
        text = f"{hours}h" + text
    return sign + text


def _trim_fraction(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    width = len(str(unit)) - 1
    return f"{whole}." + f"{frac:0{width}d}".rstrip("0")


def sort_keys(keys, key_kind: str) -> list:
    if key_kind in ("int", "uint"):
        return sorted(keys, key=lambda k: int(k))
    return sorted(keys, key=lambda k: str(k).encode("utf-8", "surrogatepass"))


def format_value(value: Value, depth: int = 0) -> str:
    """Go's ``fmt.Sprint`` of a value, as text/template prints an action's result."""
    kind = value.kind
    data = value.data
    if kind == "invalid":
        return "<no value>"
    if kind == "string":
        return data
    if kind == "bool":
        return "true" if data else "false"
    if kind in ("int", "uint"):
        return str(int(data))
    if kind == "float":
        return go_float(float(data))
    if kind == "time":
        return _time_string(data)
    if kind == "duration":
        return duration_string(int(data))
    if kind == "filemode":
        raise Unreproducible("printing a file mode is not supported; use {{json ...}}")
    if kind == "raw":
        _check_guard(value)
        return _format_raw(data)
    if kind == "any":
        return "<nil>" if data is None else format_value(dynamic(data), depth)
    if kind == "iface":
        return "<nil>" if data is None else format_value(Value(value.type.elem, data), depth)
    if kind == "ptr":
        if data is None:
            return "<nil>"
        if depth > 0:
            raise Unreproducible(
                "Go prints a pointer inside this value as a memory address; "
                "print its fields, or use {{json ...}}")
        return format_value(Value(value.type.elem, data), depth)
    if kind in ("slice", "array"):
        items = data or []
        return "[" + " ".join(format_value(Value(value.type.elem, i), depth + 1) for i in items) + "]"
    if kind == "map":
        items = data or {}
        keys = sort_keys(items.keys(), value.type.key.kind)
        return "map[" + " ".join(
            f"{k}:{format_value(Value(value.type.elem, items[k]), depth + 1)}" for k in keys) + "]"
    if kind == "struct":
        parts = [format_value(field_value(value, f), depth + 1) for f in value.type.fields]
        return "{" + " ".join(parts) + "}"
    if kind in ("context", "header"):
        raise Unreproducible(f"printing a whole {value.type.name} is not supported; use {{{{json .}}}}")
    raise Unreproducible(f"printing a {value.type.name} is not supported")


def _is_scalar(data) -> bool:
    return isinstance(data, (str, bool, int, float))


def _check_guard(value: Value) -> None:
    """Values of unmodelled objects: only scalars, and lists or maps of them,
    print (and marshal) the same whatever Go type the CLI decodes them into."""
    if not value.type.guarded:
        return
    data = value.data
    items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else [data]
    if not all(_is_scalar(item) for item in items):
        raise Unreproducible(
            "runmagic does not model this object's Go type, so it prints single values and lists "
            "or maps of them only; print the fields you need")


def _format_raw(data) -> str:
    """``fmt`` of decoded JSON (``any``): maps sorted, numbers as json.Number literals."""
    if data is None:
        return "<nil>"
    if isinstance(data, str):
        return data
    if isinstance(data, (bool, int, float)):
        return raw_number(data)
    if isinstance(data, list):
        return "[" + " ".join(_format_raw(i) for i in data) + "]"
    keys = sort_keys(data.keys(), "string")
    return "map[" + " ".join(f"{k}:{_format_raw(data[k])}" for k in keys) + "]"


# ------------------------------------------------------------------- JSON


def json_string(text: str, escape_html: bool) -> str:
    """encoding/json's string encoding (Go 1.22+: ``\\b`` and ``\\f`` short forms)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\n\r\t\b\f":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}[ch])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif escape_html and ch in "<>&":
            out.append(f"\\u{code:04x}")
        elif code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")  # an invalid byte becomes U+FFFD
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _empty(value: Value) -> bool:
    """encoding/json's isEmptyValue, for omitempty."""
    kind, data = value.kind, value.data
    if kind in ("slice", "map", "string"):
        return not data
    if kind == "array":
        return value.type.length == 0
    if kind in ("int", "uint", "float", "duration", "filemode"):
        return data == 0
    if kind == "bool":
        return not data
    if kind in ("ptr", "any", "iface"):
        return data is None
    return False


def to_json(value: Value, escape_html: bool = False) -> str:
    """encoding/json's Marshal of a Go value."""
    kind, data = value.kind, value.data
    escape_html = escape_html or value.type.marshals_escaped
    if kind == "invalid":
        return "null"
    if kind in ("string", "time"):
        return json_string(data, escape_html)
    if kind == "bool":
        return "true" if data else "false"
    if kind in ("int", "uint", "duration", "filemode"):
        return str(int(data))
    if kind == "float":
        return json_float(float(data))
    if kind == "raw":
        _check_guard(value)
        return _raw_json(data, escape_html)
    if kind == "any":
        return "null" if data is None else to_json(dynamic(data), escape_html)
    if kind == "iface":
        return "null" if data is None else to_json(Value(value.type.elem, data), escape_html)
    if kind == "ptr":
        return "null" if data is None else to_json(Value(value.type.elem, data), escape_html)
    if kind in ("slice", "array"):
        if data is None:
            return "null"
        return "[" + ",".join(to_json(Value(value.type.elem, i), escape_html) for i in data) + "]"
    if kind == "map":
        if data is None:
            return "null"
        keys = sort_keys(data.keys(), value.type.key.kind)
        return "{" + ",".join(
            json_string(str(k), escape_html) + ":" + to_json(Value(value.type.elem, data[k]), escape_html)
            for k in keys) + "}"
    if kind == "struct":
        return "{" + ",".join(_struct_members(value, escape_html)) + "}"
    if kind == "context":
        # The CLI's formatter contexts marshal a map of their methods' results
        # with json.Marshal, which escapes HTML characters.
        members = []
        for name in sorted(value.type.methods):
            function, arg_count = value.type.methods[name]
            if arg_count == 0:
                members.append(json_string(name, True) + ":" + to_json(function(value.data), True))
        return "{" + ",".join(members) + "}"
    raise Unreproducible(f"marshalling a {value.type.name} is not supported")


def _struct_members(value: Value, escape_html: bool) -> list[str]:
    members = []
    for f in value.type.fields:
        item = field_value(value, f)
        if f.embedded:
            if item.kind == "ptr":
                if item.data is None:
                    continue
                item = Value(item.type.elem, item.data)
            members += _struct_members(item, escape_html)
            continue
        if f.json_name == "-" or (f.omitempty and _empty(item)):
            continue
        members.append(json_string(f.json_name, escape_html) + ":" + to_json(item, escape_html))
    return members


def _raw_json(data, escape_html: bool) -> str:
    if data is None:
        return "null"
    if isinstance(data, str):
        return json_string(data, escape_html)
    if isinstance(data, (bool, int, float)):
        return raw_number(data)
    if isinstance(data, list):
        return "[" + ",".join(_raw_json(i, escape_html) for i in data) + "]"
    keys = sort_keys(data.keys(), "string")
    return "{" + ",".join(json_string(k, escape_html) + ":" + _raw_json(data[k], escape_html)
                          for k in keys) + "}"


# ------------------------------------------------------------ display width


def display_width(text: str) -> int:
    """Terminal columns of ``text`` (East Asian wide characters take two)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
