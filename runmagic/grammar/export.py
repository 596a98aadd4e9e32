"""JSON export of runmagic's flag tables for the JupyterLab extension.

The labextension build runs ``python -m runmagic.grammar.export --output FILE``; the file it
writes is generated, never edited by hand. It holds every magic's command
(:data:`runmagic.grammar.magics.COMMANDS`: ``docker run`` and the companions, a group's
subcommands nested under it) and, per magic, the command it runs and whether it is a cell
magic too.

The export is generic: every field of a :class:`~runmagic.grammar.run_flags.Flag` or a
:class:`~runmagic.grammar.parser.Command` whose value is data (strings, numbers, booleans,
tuples, None) is written under its own name, so a field added to a table later shows up
without a change here. Callables (``validate``) are left out; a flag's value kind is written
as its docker type name (``"kind"``, ``""`` for a boolean flag) together with
``"takes_value"`` and ``"repeatable"``.

Only the standard library and ``runmagic.grammar`` are imported: the build may run it from a
checkout with nothing installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from runmagic.grammar import command_flags, magics
from runmagic.grammar import run_flags as _flags
from runmagic.grammar.parser import Command

#: 2: every magic's command (``commands``, ``magics``), no longer the run table alone.
#: 3: each command's ``arguments`` (what its positional arguments name) and
#: ``last_argument_repeats``, read off the usage line here rather than by each reader.
FORMAT_VERSION = 3


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
    if isinstance(value, _flags.Flag):
        return flag_to_dict(value)
    if isinstance(value, Command):
        return command_to_dict(value)
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


def command_to_dict(command: Command) -> dict[str, object]:
    """A command's fields as data; a group's subcommands by name (``{"ls": {...}}``)."""
    out: dict[str, object] = {}
    for field in dataclasses.fields(command):
        value = getattr(command, field.name)
        if field.name == "subcommands":
            value = dict(value)
        value = _jsonable(value)
        if value is not _SKIP:
            out[field.name] = value
    out["arguments"] = list(command.arguments)
    out["last_argument_repeats"] = command.last_argument_repeats
    return out


def export() -> dict[str, object]:
    return {
        "format": FORMAT_VERSION,
        "generated_by": "python -m runmagic.grammar.export (from runmagic/grammar; do not edit)",
        "commands": {c.name: command_to_dict(c) for c in magics.COMMANDS.values()},
        "magics": {name: {"command": c.name, "cell": name in magics.CELL_MAGICS}
                   for name, c in magics.COMMANDS.items()},
        "subcommand_aliases": command_flags.SUBCOMMAND_ALIASES,
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
