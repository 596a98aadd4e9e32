"""``--since``/``--until`` values as docker sends them to the engine.

Pure. Mirrors the Engine API client's ``GetTimestamp``: a Go duration
(``42m``) counts back from now; RFC 3339 dates and times, with or without a
zone, become ``seconds.nanoseconds``; a Unix timestamp passes through.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from runmagic.golang.strconv import go_quote, parse_duration


class TimestampError(ValueError):
    pass


def _local_offset(reference: float) -> timezone:
    return datetime.fromtimestamp(reference, timezone.utc).astimezone().tzinfo


_PATTERNS = {
    "date": r"(\d{4})-(\d{2})-(\d{2})",
    "hour": r"T(\d{2})",
    "minute": r":(\d{2})",
    "second": r":(\d{2})",
    "fraction": r"(?:\.(\d{1,9}))?",
    "zone": r"(Z|[+-]\d{2}:\d{2})",
}


def _layout_regex(parts: list[str]) -> re.Pattern:
    return re.compile("^" + "".join(_PATTERNS[p] for p in parts) + "$")


def _parse(value: str, parts: list[str], zone) -> datetime | None:
    match = _layout_regex(parts).match(value)
    if not match:
        return None
    groups = list(match.groups())
    year, month, day = (int(groups.pop(0)) for _ in range(3))
    hour = int(groups.pop(0)) if "hour" in parts else 0
    minute = int(groups.pop(0)) if "minute" in parts else 0
    second = int(groups.pop(0)) if "second" in parts else 0
    nanos = 0
    if "fraction" in parts:
        fraction = groups.pop(0)
        nanos = int((fraction or "").ljust(9, "0") or 0)
    if "zone" in parts:
        text = groups.pop(0)
        if text == "Z":
            zone = timezone.utc
        else:
            sign = -1 if text[0] == "-" else 1
            zone = timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None
    return moment, nanos


def get_timestamp(value: str, reference: float) -> str:
    """The engine's ``since``/``until`` for a user's value; raises TimestampError."""
    if value != "0":
        try:
            nanos = parse_duration(value)
        except ValueError:
            pass
        else:
            return str(int((reference * 1e9 - nanos) // 1_000_000_000))
    in_location = not any(c in value for c in "zZ+") and value.count("-") != 3
    if "." in value:
        parts = ["date", "hour", "minute", "second", "fraction"]
        layout = "2006-01-02T15:04:05.999999999"
    elif "T" in value:
        colons = value.count(":")
        if not in_location and not any(c in value for c in "zZ") and colons > 0:
            colons -= 1  # the zone's colon
        parts = ["date", "hour", "minute", "second"][:2 + min(colons, 2)]
        layout = {2: "2006-01-02T15", 3: "2006-01-02T15:04", 4: "2006-01-02T15:04:05"}[len(parts)]
    else:
        parts = ["date"]
        layout = "2006-01-02"
    if not in_location:
        parts = parts + ["zone"]
        layout += "Z07:00"
    parsed = _parse(value.replace("z", "Z"), parts, _local_offset(reference))
    if parsed is None:
        if "-" in value:
            raise TimestampError(f"parsing time {go_quote(value)} as {go_quote(layout)}: cannot parse")
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise TimestampError(f"failed to parse value as time or duration: {go_quote(value)}")
        return value
    moment, nanos = parsed
    return f"{int(moment.timestamp())}.{nanos:09d}"
