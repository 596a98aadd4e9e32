"""Kernel tab completion on the line of any runmagic magic (``%docker_run``,
``%docker_ps``, ``%%docker_build``, ``%docker_volume ls``...), from its command's flag table.

Registered with IPython's completer (Matcher API v2), so it works wherever the
kernel completes: JupyterLab, the classic Notebook, VS Code, the terminal.
It completes, reading the line up to the cursor with pflag's rules:

* a group's subcommands (``%docker_image `` → ``history``, ``inspect``, ``ls``...);
* flag names, long and short (hidden aliases left out);
* values of closed sets from the table (restart and pull policies, log
  drivers, network and namespace modes, attach streams, signals, ``--type``);
* values the engine knows: networks, local images (``name:tag``), container
  names (``--volumes-from``, ``--link``, ``--network container:``...),
  volume names, and the arguments the usage line names (``docker logs CONTAINER``,
  ``docker rmi IMAGE [IMAGE...]``, ``docker context use CONTEXT``). They are fetched with
  a short timeout and cached briefly, so a slow or absent engine never stalls the kernel.

Pure parts (:func:`complete`) take the text before the cursor and a source of
engine values; :func:`register` hooks them into an IPython shell.
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Callable

from IPython.core.completer import CompletionContext, SimpleCompletion, context_matcher

from runmagic import engine
from runmagic.engine import contexts
from runmagic.errors import DockerError
from runmagic.grammar import command_flags as tables
from runmagic.grammar.magics import CELL_MAGICS, COMMANDS
from runmagic.grammar.parser import RUN, Command
from runmagic.grammar.run_flags import Flag

#: Signal names docker knows on Linux (``--stop-signal``).
SIGNALS = (
    "SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT",
    "SIGIO", "SIGKILL", "SIGPIPE", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGSEGV", "SIGSTKFLT",
    "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ",
)

_CELL_MAGIC = re.compile(r"\s*%%(docker_\w+)(?=\s|$)")
_LINE_MAGIC = re.compile(r"\s*(?:[\w.\[\]'\", ]+=\s*)?%(docker_\w+)(?=\s|$)")
_FILE_MATCHER = "IPCompleter.file_matcher"

EngineValues = Callable[[str], list]


# ----------------------------------------------------------------- the line


def magic_arguments(context: CompletionContext) -> tuple[Command, str] | None:
    """The command of the magic on the cursor's line and the text between the magic's
    name and the cursor, or None when the cursor is not on a runmagic magic's line."""
    lines = context.full_text.split("\n")
    before = context.text_until_cursor
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and context.cursor_line == first:
        match = _CELL_MAGIC.match(before)
        if match and match[1] in CELL_MAGICS:
            return COMMANDS[match[1]], before[match.end():]
    match = _LINE_MAGIC.match(before)
    if match and match[1] in COMMANDS:
        return COMMANDS[match[1]], before[match.end():]
    return None


def split_words(text: str) -> tuple[list[str], str]:
    """Shell words before the cursor and the (unquoted) word being typed."""
    words, word, quote, started = [], "", "", False
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < len(text):
                i += 1
                word += text[i]
            else:
                word += ch
        elif ch in "'\"":
            quote, started = ch, True
        elif ch == "\\" and i + 1 < len(text):
            i += 1
            word += text[i]
            started = True
        elif ch.isspace():
            if started:
                words.append(word)
            word, started = "", False
        else:
            word += ch
            started = True
        i += 1
    return words, word


def _position(words: list[str], command: Command) -> tuple[str, Flag | None, int]:
    """Where the next word goes, reading ``words`` with pflag's rules for ``command``:
    ("flags", None, n) where a flag or the n-th argument may come, ("value", flag, n) for a
    flag's value, or ("command", None, n) past a command that stops reading flags at its
    first argument (``docker run IMAGE COMMAND``, ``docker exec CONTAINER COMMAND``)."""
    rest = list(words)
    arguments = 0
    while rest:
        token = rest.pop(0)
        if token == "--":
            arguments += len(rest)
            return ("flags" if arguments == 0 or command.interspersed else "command"), None, arguments
        if len(token) < 2 or not token.startswith("-"):
            arguments += 1
            if not command.interspersed:
                return "command", None, arguments + len(rest)
            continue
        if token.startswith("--"):
            name, has_value, _ = token[2:].partition("=")
            flag = command.by_name.get(name)
            if flag and flag.kind.takes_value and not has_value:
                if not rest:
                    return "value", flag, arguments
                rest.pop(0)
            continue
        letters = token[1:]
        while letters:
            flag = command.by_short.get(letters[0])
            if flag is None:
                break
            if flag.kind.takes_value:
                if len(letters) == 1:
                    if not rest:
                        return "value", flag, arguments
                    rest.pop(0)
                break
            letters = letters[1:]
    return "flags", None, arguments


# ------------------------------------------------------------- candidates


def flag_names(command: Command = RUN) -> list[str]:
    longs = [f"--{f.name}" for f in command.flags if not f.hidden]
    shorts = [f"-{f.short}" for f in command.flags if f.short and not f.hidden]
    return sorted(longs) + sorted(shorts)


def value_candidates(flag: Flag, values: EngineValues) -> list[str]:
    """Every value worth offering for ``flag``."""
    out = [c for c in flag.choices if c != "container:"]
    if "container:" in flag.choices:
        out += ["container:"] + [f"container:{name}" for name in values("container")]
    if flag.completes == "network":
        out += values("network")
    elif flag.completes == "container":
        out += values("container")
    elif flag.completes == "volume":
        out += [f"{name}:" for name in values("volume")]
    elif flag.completes == "image":
        out += values("image")
    elif flag.completes == "signal":
        out += list(SIGNALS)
    return list(dict.fromkeys(out))


def complete(text: str, values: EngineValues, command: Command = RUN) -> tuple[list[str], bool]:
    """Completions for the word at the end of ``text`` (the magic's arguments up to the
    cursor) on a line of ``command``: whole-word candidates, and whether file names fit too."""
    words, word = split_words(text)
    if isinstance(command, tables.DockerCommand) and command.subcommands:
        if not words:  # the group's first word names the subcommand
            return _matching([name for name, _ in command.subcommands], word), False
        try:
            command = tables.subcommand(command, words.pop(0))
        except DockerError:
            return [], False
    where, flag, index = _position(words, command)
    if where == "command":
        return [], True
    if where == "value":
        return _matching(value_candidates(flag, values), word), _wants_files(flag, word)
    if word.startswith("--") and "=" in word:
        name, _, value = word[2:].partition("=")
        flag = command.by_name.get(name)
        if flag is None or not flag.kind.takes_value:
            return [], False
        prefix = word[: len(word) - len(value)]
        return [prefix + c for c in _matching(value_candidates(flag, values), value)], \
            _wants_files(flag, value)
    if word.startswith("-"):
        return _matching(flag_names(command), word), False
    if command.max_args is not None and index >= command.max_args:  # no more arguments
        return (flag_names(command) if not word else []), False
    kind = command.argument_kind(index)
    if kind in ("", "command"):
        return [], True  # a path, or a command: IPython's file matcher
    arguments = _matching(values(kind), word)
    return (flag_names(command) + arguments if not word else arguments), False


def _matching(candidates: list[str], word: str) -> list[str]:
    return [c for c in candidates if c.startswith(word)]


def _wants_files(flag: Flag, word: str) -> bool:
    return flag.completes == "file" or (flag.name == "volume" and (not word or word[0] in "./~"))


# ----------------------------------------------------------- engine values


class EngineCache:
    """Names the engine knows, fetched with a short timeout and kept briefly.

    A failed or slow fetch gives what was known before (or nothing) and is not
    retried before ``ttl`` seconds have passed.
    """

    def __init__(self, ttl: float = 10.0, timeout: float = 1.0, connect: Callable | None = None):
        self.ttl, self.timeout = ttl, timeout
        self._connect = connect or (lambda: engine.engine_for(os.environ, timeout=self.timeout))
        self._cache: dict = {}
        self._lock = threading.Lock()

    def __call__(self, kind: str) -> list[str]:
        if kind == "context":  # the CLI's configuration, not the engine, knows these
            return [contexts.DEFAULT_CONTEXT] + [c.name for c in contexts.Store.from_environ().stored()]
        key = (engine.resolve(os.environ), kind)
        with self._lock:
            cached = self._cache.get(key)
            if cached and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            try:
                names = _FETCHERS[kind](self._connect())
            except DockerError:  # no engine, or it did not answer in time
                names = cached[1] if cached else []
            self._cache[key] = (time.monotonic(), names)
            return names


def _images(docker_engine) -> list[str]:
    out = []
    for image in docker_engine.images():
        for tag in image.get("RepoTags") or ():
            if tag != "<none>:<none>":
                out.append(tag)
                if tag.endswith(":latest"):
                    out.append(tag[: -len(":latest")])
    return sorted(set(out))


_FETCHERS = {
    "network": lambda docker_engine: sorted(n["Name"] for n in docker_engine.networks()),
    "container": lambda docker_engine: sorted(
        (c.get("Names") or ["/"])[0].lstrip("/") for c in docker_engine.containers(all=True)),
    "volume": lambda docker_engine: sorted(v["Name"] for v in docker_engine.volumes()),
    "image": _images,
}


# ------------------------------------------------------------- IPython


def make_matcher(values: EngineValues | None = None):
    """The Matcher API v2 function completing the lines of runmagic's magics."""
    values = values or EngineCache()

    @context_matcher(identifier="runmagic.docker_run_matcher")
    def docker_run_matcher(context: CompletionContext):
        found = magic_arguments(context)
        if found is None:
            return {"completions": [], "suppress": False}
        command, text = found
        candidates, files = complete(text, values, command)
        _, word = split_words(text)
        token = context.token
        completions = []
        if word.endswith(token):
            cut = len(word) - len(token)
            kind = "flag" if word.startswith("-") and "=" not in word else "value"
            completions = [SimpleCompletion(c[cut:], type=kind) for c in candidates]
        result = {"completions": completions, "suppress": True, "ordered": True}
        if files and not completions:
            result["do_not_suppress"] = {_FILE_MATCHER}
        return result

    return docker_run_matcher


def register(ipython, values: EngineValues | None = None) -> None:
    """Add runmagic's completion to ``ipython``'s completer (once)."""
    completer = ipython.Completer
    matchers = completer.custom_matchers
    if any(getattr(m, "matcher_identifier", "") == "runmagic.docker_run_matcher" for m in matchers):
        return
    matchers.append(make_matcher(values))
