"""``-e/--env``, ``--env-file``, ``-l/--label`` and ``--label-file``.

What docker does, in order:

1. At flag-parse time each ``-e`` value is checked (an empty name is refused)
   and a bare ``NAME`` takes the client's value if it has one; an unset
   ``NAME`` stays bare, and the engine then removes NAME from the image's
   environment. Each ``-l`` value is checked (empty name, whitespace in name).
2. ``docker create``/``run`` turns the ``-e`` list into a map and back, so
   repeats collapse to the last value (docker's order is random; ours keeps
   first appearance), and adds proxy variables from the CLI config file.
3. ``parse()`` reads the env files (their entries first, in file order) and
   appends the ``-e`` list; label files and ``-l`` values become one map,
   a later key winning. File problems are ``UsageError``.

Env and label files share one format (docker's ``kvfile``): UTF-8 (checked
line by line), a BOM stripped from the first line, leading whitespace
stripped, ``#`` lines and blank lines skipped, ``KEY=VALUE`` kept verbatim
(trailing whitespace included, a trailing ``\\r`` dropped), ``KEY`` alone
taking the environment's value in env files and dropped in label files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping

from runmagic.errors import UsageError
from runmagic.golang import stdlib as _go

#: ``bufio.Scanner``'s largest token: a line with its newline must fit.
MAX_LINE_BYTES = 64 * 1024


# ------------------------------------------------------------ parse time


def validate_env(value: str, environ: Mapping[str, str] | None = None) -> str:
    """docker's ``ValidateEnv`` (parse time): ``-e NAME`` -> ``NAME=<client value>``.

    ``environ`` defaults to ``os.environ``. Raises ValueError.
    """
    name, has_value, _ = value.partition("=")
    if name == "":
        raise ValueError("invalid environment variable: " + value)
    if has_value:
        return value
    env = os.environ if environ is None else environ
    if name in env:
        return f"{name}={env[name]}"
    return value


def validate_label(value: str) -> str:
    """docker's ``ValidateLabel`` (parse time). Raises ValueError."""
    key = value.partition("=")[0].lstrip(" \t")
    if key == "":
        raise ValueError(f"invalid label '{value}': empty name")
    if " " in key or "\t" in key:
        raise ValueError(f"label '{key}' contains whitespaces")
    return value


# -------------------------------------------------------------- run time

_PROXY_KEYS = (
    ("HTTP_PROXY", "httpProxy"),
    ("HTTPS_PROXY", "httpsProxy"),
    ("NO_PROXY", "noProxy"),
    ("FTP_PROXY", "ftpProxy"),
    ("ALL_PROXY", "allProxy"),
)


def collapse_env(values: Iterable[str], proxies: Mapping | None = None, host: str = "") -> list[str]:
    """The ``-e`` list after docker's map round trip (and proxy injection).

    A repeated name keeps its last value at its first position; bare names
    stay bare. ``proxies`` is the ``"proxies"`` object of the docker CLI
    config file (``~/.docker/config.json``): the entry for ``host`` (the
    daemon address) or else ``"default"`` adds ``HTTP_PROXY`` and
    ``http_proxy`` etc. unless already set.
    """
    env: dict[str, str | None] = {}
    for value in values:
        name, has_value, rest = value.partition("=")
        env[name] = rest if has_value else None
    if proxies:
        config = proxies.get(host) if host in proxies else proxies.get("default")
        for upper, field in _PROXY_KEYS:
            setting = (config or {}).get(field, "")
            if not setting:
                continue
            env.setdefault(upper, setting)
            env.setdefault(upper.lower(), setting)
    return [name if value is None else f"{name}={value}" for name, value in env.items()]


def proxy_config(environ: Mapping[str, str]) -> dict | None:
    """The ``"proxies"`` object of the docker CLI's config file
    (``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``), or None.

    docker carries on without it when the file is missing or unreadable.
    """
    folder = environ.get("DOCKER_CONFIG") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".docker")
    try:
        with open(os.path.join(folder, "config.json"), "rb") as fh:
            proxies = json.load(fh).get("proxies")
    except (OSError, ValueError, AttributeError):
        return None
    return proxies if isinstance(proxies, dict) else None


def _file_lines(path: str, cwd: str | None):
    """The lines of ``path`` as bufio.Scanner's ScanLines gives them (bytes)."""
    try:
        data = _go.read_file(path, cwd)
    except _go.FileError as exc:
        # A directory opens fine in Go; reading it fails inside kvfile.Parse.
        raise UsageError(f"invalid env file ({path}): {exc}" if exc.op == "read" else str(exc)) from None
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        if end < 0:
            line, start = data[start:], len(data)
        else:
            line, start = data[start:end], end + 1
        # With or without its newline, a line must leave room in the 64 KiB buffer.
        if len(line) >= MAX_LINE_BYTES:
            yield None  # bufio.Scanner: token too long
            return
        if line.endswith(b"\r"):
            line = line[:-1]
        yield line


def parse_kv_file(path: str, environ: Mapping[str, str] | None, cwd: str | None = None) -> list[str]:
    """docker's ``kvfile.Parse``: the ``KEY=VALUE`` lines of a file.

    With ``environ`` (env files) a bare ``KEY`` takes its value from it, or
    is dropped when unset; without (label files) it is dropped. A relative
    ``path`` is read from ``cwd`` when given. Raises UsageError in docker's
    words (including the "invalid env file" wording for label files).
    """
    out: list[str] = []

    def invalid(why: str) -> UsageError:
        return UsageError(f"invalid env file ({path}): {why}")

    for number, raw in enumerate(_file_lines(path, cwd), start=1):
        if raw is None:
            raise invalid("bufio.Scanner: token too long")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            shown = " ".join(str(b) for b in raw)
            raise invalid(f"invalid utf8 bytes at line {number}: [{shown}]") from None
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        line = _go.trim_left_space(text)
        if line == "" or line.startswith("#"):
            continue
        key, has_value, _ = line.partition("=")
        if key == "":
            raise invalid(f"no variable name on line '{line}'")
        if " " in key or "\t" in key:
            raise invalid(f"variable '{key}' contains whitespaces")
        if has_value:
            out.append(line)
        elif environ is not None and line in environ:
            out.append(f"{key}={environ[line]}")
    return out


def read_env_file(path: str, environ: Mapping[str, str] | None = None, cwd: str | None = None) -> list[str]:
    """One ``--env-file``: its ``NAME=VALUE`` entries (``environ`` defaults to os.environ)."""
    return parse_kv_file(path, os.environ if environ is None else environ, cwd)


def read_label_file(path: str, cwd: str | None = None) -> list[str]:
    """One ``--label-file``: its ``KEY=VALUE`` entries (bare keys dropped)."""
    return parse_kv_file(path, None, cwd)


def build_env(
    env_files: Iterable[str],
    env_values: Iterable[str],
    environ: Mapping[str, str] | None = None,
    cwd: str | None = None,
    proxies: Mapping | None = None,
    host: str = "",
) -> list[str]:
    """Config.Env as the docker CLI sends it.

    ``env_values`` are the ``-e`` values (through :func:`validate_env` or
    not: bare names are looked up in ``environ`` here too). Env-file entries come first,
    then the collapsed ``-e`` list. ``[]`` when empty (docker sends null).
    """
    environ = os.environ if environ is None else environ
    out: list[str] = []
    for path in env_files:
        out += read_env_file(path, environ, cwd)
    # Resolving bare names again is harmless if the flag parser already did it.
    resolved = [validate_env(value, environ) for value in env_values]
    return out + collapse_env(resolved, proxies, host)


def build_labels(label_files: Iterable[str], labels: Iterable[str], cwd: str | None = None) -> dict[str, str]:
    """Config.Labels: label-file entries, then ``-l`` values; ``-l key`` is ``""``."""
    entries: list[str] = []
    for path in label_files:
        entries += read_label_file(path, cwd)
    entries += labels
    return kv_map(entries)


def merge_image_env(image_env: Iterable[str], env: Iterable[str]) -> list[str]:
    """Config.Env as the engine (20.10) stores it at create: the request's
    list verbatim, then each image entry whose name the request does not
    mention (a bare ``NAME`` counts as a mention).

    In the running process a repeated name takes its last value and a bare
    NAME is removed, so ``-e NAME`` with NAME unset on the client removes
    NAME from the image's environment.
    """
    env = list(env)
    names = {entry.partition("=")[0] for entry in env}
    return env + [entry for entry in image_env if entry.partition("=")[0] not in names]


def kv_map(values: Iterable[str]) -> dict[str, str]:
    """docker's ``ConvertKVStringsToMap``: split at the first ``=``, later keys win."""
    out: dict[str, str] = {}
    for value in values:
        key, _, rest = value.partition("=")
        out[key] = rest
    return out
