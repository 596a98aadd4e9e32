"""Parse a ``docker run`` line with the rules of docker's flag parser (pflag).

Pure: no IPython, no docker. ``parse_line`` splits like a POSIX shell, then
``parse_args`` reads flags until the first positional argument (the image),
as docker does with interspersed flags turned off: everything after the image
is the container's command, dashes and all.
"""

import shlex
from dataclasses import dataclass, field

from .errors import FlagError, UsageError
from .flags import BOOL, BY_NAME, BY_SHORT, FLAGS, SUMMARY, USAGE, Flag


@dataclass
class ParsedRun:
    """The flags that were given (by canonical name), the image and command."""

    given: dict[str, object] = field(default_factory=dict)
    image: str = ""
    command: list[str] = field(default_factory=list)
    help: bool = False

    def get(self, name: str):
        """The value given for a flag, else its default (a list for lists)."""
        if name in self.given:
            return self.given[name]
        flag = BY_NAME[name]
        if flag.kind.repeatable:
            return []
        if flag.kind is BOOL:
            return bool(flag.default)
        return flag.default

    def __contains__(self, name: str) -> bool:
        return name in self.given


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string, for error messages that quote user input."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def split_line(line: str) -> list[str]:
    """Split the magic line as a POSIX shell would (quotes removed)."""
    try:
        return shlex.split(line, posix=True)
    except ValueError as exc:  # an unterminated quote
        raise UsageError(f"cannot parse the line: {exc}") from None


def _store(run: ParsedRun, flag: Flag, text: str) -> None:
    if flag.name == "help":
        run.help = True
        return
    try:
        value = flag.convert(text)
    except ValueError as exc:
        raise FlagError(f"invalid argument {go_quote(text)} for {go_quote(flag.display)} flag: {exc}") from None
    if flag.kind.repeatable:
        run.given.setdefault(flag.name, []).append(value)
    else:
        run.given[flag.name] = value


def parse_args(args: list[str]) -> ParsedRun:
    """Parse tokens; raises FlagError (125) or, without an image, UsageError (1)."""
    run = ParsedRun()
    rest = list(args)
    positionals: list[str] = []
    while rest:
        token = rest.pop(0)
        if len(token) < 2 or token[0] != "-":
            positionals = [token, *rest]
            break
        if token == "--":
            positionals = rest
            break
        if token[1] == "-":
            rest = _parse_long(run, token, rest)
        else:
            rest = _parse_shorts(run, token, rest)
        if run.help:
            return run
    if not positionals:
        raise UsageError("'docker run' requires at least 1 argument", exit_status=1)
    run.image, run.command = positionals[0], positionals[1:]
    return run


def _parse_long(run: ParsedRun, token: str, rest: list[str]) -> list[str]:
    body = token[2:]
    if body[:1] in ("-", "="):
        raise FlagError(f"bad flag syntax: {token}")
    name, has_value, value = body.partition("=")
    flag = BY_NAME.get(name)
    if flag is None:
        raise FlagError(f"unknown flag: --{name}")
    if not has_value:
        if flag.kind is BOOL:
            value = "true"
        elif rest:
            value, rest = rest[0], rest[1:]
        else:
            raise FlagError(f"flag needs an argument: {token}")
    _store(run, flag, value)
    return rest


def _parse_shorts(run: ParsedRun, token: str, rest: list[str]) -> list[str]:
    shorthands = token[1:]
    while shorthands:
        letter = shorthands[0]
        flag = BY_SHORT.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {_go_quote_char(letter)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value, shorthands = shorthands[2:], ""
        elif flag.kind is BOOL:
            value, shorthands = "true", shorthands[1:]
        elif len(shorthands) > 1:
            value, shorthands = shorthands[1:], ""
        elif rest:
            value, rest, shorthands = rest[0], rest[1:], ""
        else:
            raise FlagError(f"flag needs an argument: {_go_quote_char(letter)} in -{shorthands}")
        _store(run, flag, value)
    return rest


def _go_quote_char(ch: str) -> str:
    """Go's ``%q`` of a single byte: a single-quoted character literal."""
    if ch == "'":
        return "'\\''"
    return "'" + go_quote(ch)[1:-1] + "'"


def parse_line(line: str) -> ParsedRun:
    """Split and parse one ``docker run`` line (without the ``docker run``)."""
    return parse_args(split_line(line))


def _default_note(flag: Flag) -> str:
    """pflag's "(default ...)" suffix, shown for non-zero defaults."""
    default = flag.default
    if default is True:
        return " (default true)"
    if not flag.kind.takes_value or default in (None, 0, ""):
        return ""
    return f' (default "{default}")' if isinstance(default, str) else f" (default {default})"


def usage_text() -> str:
    """``docker run --help``, built from the table."""
    rows = []
    for flag in FLAGS:
        if flag.hidden:
            continue
        left = (f"-{flag.short}, " if flag.short else "    ") + f"--{flag.name}"
        if flag.kind.name:
            left += " " + flag.kind.name
        rows.append((left, flag.help + _default_note(flag)))
    width = max(len(left) for left, _ in rows) + 2
    lines = [f"Usage:  {USAGE}", "", SUMMARY, "", "Options:"]
    lines += [f"  {left.ljust(width)} {text}" for left, text in rows]
    return "\n".join(lines)
