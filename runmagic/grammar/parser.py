"""Parse a docker command line with the rules of docker's flag parser (pflag).

Pure: no IPython, no docker. ``split_line`` splits like a POSIX shell, then
``parse_args`` reads the flags of a ``Command``. ``docker run`` turns
interspersed flags off: parsing stops at the first positional argument (the
image) and everything after it is the container's command, dashes and all.
Other commands (``docker ps``, ``docker logs``, ...) let flags and arguments
mix, as cobra does by default.
"""

import shlex
from dataclasses import dataclass, field
from functools import cached_property

from runmagic.errors import FlagError, PlainError, UsageError
from runmagic.grammar.run_flags import ALIASES, BOOL, FLAGS, SUMMARY, USAGE, Flag
from runmagic.golang.strconv import go_quote, go_quote_byte, version_tuple

__all__ = ["ARGUMENT_KINDS", "Command", "ParsedArgs", "ParsedRun", "RUN", "go_quote", "parse_args", "parse_line",
           "split_line", "usage_text"]


@dataclass(frozen=True)
class Command:
    """A docker command's grammar: its flag table and argument count."""

    name: str  # as docker names it in errors: "run", "volume create"
    usage: str
    summary: str
    flags: tuple[Flag, ...]
    min_args: int = 0
    max_args: int | None = None
    interspersed: bool = True
    #: docker's "Aliases:" line in help ("" for none).
    aliases: str = ""
    #: The count is checked by cobra's own ExactArgs, not docker's wrapper of it
    #: (``docker context use``): cobra's plain words, without the ``docker:`` prefix.
    cobra_exact_args: bool = False

    @cached_property
    def by_name(self) -> dict[str, Flag]:
        return {name: f for f in self.flags for name in (f.name, *f.aliases)}

    @cached_property
    def by_short(self) -> dict[str, Flag]:
        return {f.short: f for f in self.flags if f.short}

    @cached_property
    def _placeholders(self) -> tuple[str, ...]:
        """The argument words of the usage line's first form: ``IMAGE``, ``[COMMAND]``, ``[ARG...]``."""
        words = self.usage.split("\n")[0].split()
        prefix = ["docker", *self.name.split()]
        if words[:len(prefix)] != prefix:
            return ()
        return tuple(w for w in words[len(prefix):] if w != "[OPTIONS]")

    @cached_property
    def arguments(self) -> tuple[str, ...]:
        """What each positional argument names, by its place in the usage line
        (``docker rm [OPTIONS] CONTAINER [CONTAINER...]``): one of ARGUMENT_KINDS, or ""
        for anything else (a path, ``CONTAINER:SRC_PATH``, a value)."""
        return tuple(_argument_kind(p) for p in self._placeholders)

    @cached_property
    def last_argument_repeats(self) -> bool:
        """The last placeholder stands for any number of arguments (``[CONTAINER...]``)."""
        return bool(self._placeholders) and self._placeholders[-1].endswith("...]")

    def argument_kind(self, index: int) -> str:
        """What the ``index``-th positional argument names ("" past the usage line's end)."""
        if index < len(self.arguments):
            return self.arguments[index]
        return self.arguments[-1] if self.last_argument_repeats else ""

    def check_arg_count(self, count: int) -> None:
        """cobra's argument validators, in docker 28's words (status 1)."""
        low, high, cmd = self.min_args, self.max_args, f"'docker {self.name}'"

        def noun(n):
            return "argument" if n == 1 else "arguments"

        if self.cobra_exact_args and count != low:
            raise PlainError(f"accepts {low} arg(s), received {count}")
        message = None
        if high == 0 and count:
            message = f"{cmd} accepts no arguments"
        elif low == high and count != low:
            message = f"{cmd} requires {low} {noun(low)}"
        elif high is not None and low and not low <= count <= high:
            message = f"{cmd} requires at least {low} and at most {high} {noun(high)}"
        elif count < low:
            message = f"{cmd} requires at least {low} {noun(low)}"
        elif high is not None and count > high:
            message = f"{cmd} requires at most {high} {noun(high)}"
        if message:
            raise UsageError(message, exit_status=1)


#: What a usage line's argument names, by the word in its placeholder.
ARGUMENT_KINDS = ("container", "image", "volume", "network", "context", "command")


def _argument_kind(placeholder: str) -> str:
    bare = placeholder.strip("[]").removesuffix("...").split("[:")[0]
    if bare == "COMMAND":
        return "command"
    if ":" in bare or "|" in bare:
        return ""
    return next((kind for kind in ARGUMENT_KINDS if kind.upper() in bare), "")


RUN = Command("run", USAGE, SUMMARY, FLAGS, min_args=1, interspersed=False, aliases=ALIASES)


@dataclass
class ParsedArgs:
    """The flags that were given (by canonical name) and the positional arguments."""

    command: Command
    given: dict[str, object] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    help: bool = False

    def get(self, name: str):
        """The value given for a flag, else its default (a list for lists)."""
        if name in self.given:
            return self.given[name]
        flag = self.command.by_name[name]
        if flag.kind.repeatable:
            return []
        if flag.kind is BOOL:
            return bool(flag.default)
        return flag.default

    def __contains__(self, name: str) -> bool:
        return name in self.given


class ParsedRun(ParsedArgs):
    """A parsed ``docker run`` line: the image, then the container's command."""

    @property
    def image(self) -> str:
        return self.args[0]

    @property
    def container_command(self) -> list[str]:
        return self.args[1:]


def split_line(line: str) -> list[str]:
    """Split a magic line as a POSIX shell would (quotes removed)."""
    try:
        return shlex.split(line, posix=True)
    except ValueError as exc:  # an unterminated quote
        raise UsageError(f"cannot parse the line: {exc}") from None


def _store(parsed: ParsedArgs, flag: Flag, text: str) -> None:
    if flag.name == "help":
        parsed.help = True
        return
    try:
        value = flag.convert(text)
    except ValueError as exc:
        raise FlagError(
            f"invalid argument {go_quote(text)} for {go_quote(flag.display)} flag: {exc}") from None
    if flag.kind.repeatable:
        parsed.given.setdefault(flag.name, []).append(value)
    else:
        parsed.given[flag.name] = value


def parse_args(args: list[str], command: Command = RUN, result_type=None) -> ParsedArgs:
    """Parse tokens; raises FlagError (125) or, for a wrong argument count, UsageError (1)."""
    parsed = (result_type or (ParsedRun if command is RUN else ParsedArgs))(command)
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if len(token) < 2 or token[0] != "-":
            if not command.interspersed:
                parsed.args += [token, *rest]
                break
            parsed.args.append(token)
            continue
        if token == "--":
            parsed.args += rest
            break
        if token[1] == "-":
            rest = _parse_long(parsed, token, rest)
        else:
            rest = _parse_shorts(parsed, token, rest)
        if parsed.help:
            return parsed
    command.check_arg_count(len(parsed.args))
    return parsed


def _parse_long(parsed: ParsedArgs, token: str, rest: list[str]) -> list[str]:
    body = token[2:]
    if body[:1] in ("-", "="):
        raise FlagError(f"bad flag syntax: {token}")
    name, has_value, value = body.partition("=")
    flag = parsed.command.by_name.get(name)
    if flag is None:
        raise FlagError(f"unknown flag: --{name}")
    if not has_value:
        if flag.kind is BOOL:
            value = "true"
        elif rest:
            value, rest = rest[0], rest[1:]
        else:
            raise FlagError(f"flag needs an argument: {token}")
    _store(parsed, flag, value)
    return rest


def _parse_shorts(parsed: ParsedArgs, token: str, rest: list[str]) -> list[str]:
    shorthands = token[1:]
    while shorthands:
        letter = shorthands[0]
        flag = parsed.command.by_short.get(letter)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {go_quote_byte(letter)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value, shorthands = shorthands[2:], ""
        elif flag.kind is BOOL:
            value, shorthands = "true", shorthands[1:]
        elif len(shorthands) > 1:
            value, shorthands = shorthands[1:], ""
        elif rest:
            value, rest, shorthands = rest[0], rest[1:], ""
        else:
            raise FlagError(f"flag needs an argument: {go_quote_byte(letter)} in -{shorthands}")
        _store(parsed, flag, value)
    return rest


def parse_line(line: str, command: Command = RUN) -> ParsedArgs:
    """Split and parse one command line (without ``docker <command>``)."""
    return parse_args(split_line(line), command)


def _default_note(flag: Flag) -> str:
    """pflag's "(default ...)" suffix, shown for non-zero defaults."""
    default = flag.default
    if default is True:
        return " (default true)"
    if not flag.kind.takes_value:
        return ""
    if flag.kind.repeatable:
        return f" (default {flag.kind.empty})" if flag.kind.empty else ""
    if default in (None, 0, ""):
        return ""
    return f" (default {go_quote(default)})" if isinstance(default, str) else f" (default {default})"


def _wrap_n(width: int, slop: int, text: str) -> tuple[str, str]:
    """pflag's ``wrapN``: the first line of ``text`` and the rest."""
    if width + slop > len(text):
        return text, ""
    at = max(text.rfind(c, 0, width) for c in " \t\n")
    if at <= 0:
        return text, ""
    newline = text.rfind("\n", 0, width)
    if 0 < newline < at:
        return text[:newline], text[newline + 1:]
    return text[:at], text[at + 1:]


def _wrap(indent: int, width: int, text: str) -> str:
    """pflag's ``wrap``: ``text`` wrapped to ``width`` with later lines indented."""
    room, out = width - indent, ""
    if room < 24:
        indent, room = 16, width - 16
        out = "\n" + " " * indent
    if room < 24:
        return text.replace("\n", out)
    slop, room = 5, room - 5
    pad = "\n" + " " * indent
    first, text = _wrap_n(room, slop, text)
    out += first.replace("\n", pad)
    while text:
        line, text = _wrap_n(room, slop, text)
        out += pad + line.replace("\n", pad)
    return out


def _visible(flag: Flag, api_version: str | None, server_os: str | None) -> bool:
    """docker hides the flags its daemon can't take (``hideUnsupportedFeatures``)."""
    if flag.hidden:
        return False
    if api_version and flag.min_api and version_tuple(api_version) < version_tuple(flag.min_api):
        return False
    return not (server_os and flag.os and flag.os != server_os)


def flag_usages(flags, width: int = 80, api_version: str | None = None,
                server_os: str | None = None) -> str:
    """pflag's ``FlagUsagesWrapped(width - 1)``, as docker prints its options."""
    rows = []
    for flag in flags:
        if not _visible(flag, api_version, server_os):
            continue
        left = (f"  -{flag.short}, --{flag.name}" if flag.short else f"      --{flag.name}")
        if flag.kind.name:
            left += " " + flag.kind.name
        rows.append((left, flag.help + _default_note(flag)))
    maxlen = max((len(left) + 1 for left, _ in rows), default=0)
    return "".join(
        f"{left} {' ' * (maxlen - len(left))} {_wrap(maxlen + 2, width - 1, text)}\n"
        for left, text in rows)


def usage_text(command: Command = RUN, *, width: int = 80, api_version: str | None = None,
               server_os: str | None = None) -> str:
    """``docker <command> --help``, built from the command's flag table with
    docker's layout; given the engine's API version and OS, the flags it
    can't take are hidden as docker hides them."""
    lines = [f"Usage:  {command.usage}", "", command.summary]
    if command.aliases:
        lines += ["", "Aliases:", f"  {command.aliases}"]
    options = flag_usages(command.flags, width, api_version, server_os).rstrip()
    if options:
        lines += ["", "Options:", options]
    return "\n".join(lines)
