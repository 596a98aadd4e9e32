"""JSON export of the flag table (``runmagic.flags.FLAGS``) for the JupyterLab extension.

The labextension build runs ``python -m runmagic.grammar.export --output FILE``; the file it
writes is generated, never edited by hand. The export is generic: every field of
:class:`runmagic.flags.Flag` whose value is data (strings, numbers, booleans, tuples, None) is
written under its own name, so a field added to the table later shows up without a change here.
Callables (``validate``) are left out; the value kind is written as its docker type name
(``"kind"``, ``""`` for a boolean flag) together with ``"takes_value"`` and ``"repeatable"``.

Only the standard library and ``runmagic.flags`` are imported: the build may run it from a
checkout with nothing installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from runmagic.grammar import run_flags as _flags

FORMAT_VERSION = 1


def _jsonable(value: object) -> object:
    """``value`` as JSON data, or ``_SKIP`` when it is code rather than data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_jsonable(v) for v in value]
        return [v for v in items if v is not _SKIP]
    if isinstance(value, dict):
        return {str(k): v for k, v in ((k, _jsonable(v)) for k, v in value.items()) if v is not _SKIP}
    if isinstance(value, _flags.Kind):
        return value.name
    if callable(value):
        return _SKIP
    return str(value)


_SKIP = object()


def flag_to_dict(flag: _flags.Flag) -> dict[str, object]:
    out: dict[str, object] = {}
    for field in dataclasses.fields(flag):
        if "Callable" in str(field.type):  # code (``validate``), not data, even when unset
            continue
        value = _jsonable(getattr(flag, field.name))
        if value is not _SKIP:
            out[field.name] = value
    out["takes_value"] = flag.kind.takes_value
    out["repeatable"] = flag.kind.repeatable
    return out


def export() -> dict[str, object]:
    return {
        "format": FORMAT_VERSION,
        "generated_by": "python -m runmagic.grammar.export (from runmagic/flags.py; do not edit)",
        "usage": _flags.USAGE,
        "summary": _flags.SUMMARY,
        "flags": [flag_to_dict(f) for f in _flags.FLAGS],
    }


def dumps() -> str:
    return json.dumps(export(), indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runmagic.grammar.export",
                                     description="Write runmagic's flag table as JSON.")
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    text = dumps()
    if not args.output:
        sys.stdout.write(text)
        return 0
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:  # keep the mtime when unchanged
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
