"""A build context as the docker CLI sends it to the engine's builder.

Pure (no IPython, no docker). The context directory becomes a tar: paths
relative to it, symlinks kept as links, hard links as links, modes kept, owners
0:0 (the CLI's ChownOpts), files the ``.dockerignore`` excludes left out
(moby's patternmatcher rules: last matching pattern wins, ``!`` re-includes, a
pattern matching a parent excludes what is below it, ``**`` spans directories).
``.dockerignore`` and the Dockerfile are always sent. A Dockerfile given as
text (the cell body) is added as ``.dockerfile.<random>`` and appended to the
sent ``.dockerignore``, as ``docker build -f - PATH`` does.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import stat
import tarfile
import tempfile
import time
from dataclasses import dataclass

#: Contexts larger than this are refused before anything is sent.
DEFAULT_LIMIT = 512 * 1024 * 1024


class ContextError(ValueError):
    """The context cannot be sent; the message says why, in docker's words when it has some."""


def read_dockerignore(text: str) -> list[str]:
    """The patterns of a ``.dockerignore`` (BOM, comments, blanks, cleaning, leading /)."""
    patterns = []
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip()
        if line:
            line = os.path.normpath(line)
            if len(line) > 1 and line.startswith("/"):
                line = line.lstrip("/") if line.startswith("//") else line[1:]
        patterns.append("!" + line if invert else line)
    return patterns


def _regex(pattern: str) -> re.Pattern:
    """patternmatcher's compile: ``*`` ``?`` within a part, ``**`` across parts, ``\\`` escapes."""
    out, i = ["^"], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1:i + 2] == "*":
                i += 1
                if pattern[i + 1:i + 2] == "/":
                    i += 1
                out.append(".*" if i + 1 >= len(pattern) else "(.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            if i + 1 < len(pattern):
                i += 1
                out.append(re.escape(pattern[i]))
            else:
                out.append(r"\\")
        elif ch in "[]":
            out.append(ch)
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        raise ContextError(f"syntax error in pattern: {pattern}") from None


@dataclass(frozen=True)
class Pattern:
    text: str
    exclusion: bool
    regex: re.Pattern


class Excludes:
    """The exclusion patterns of a context."""

    def __init__(self, patterns: list[str]):
        self.patterns = []
        for text in patterns:
            exclusion = text.startswith("!")
            body = text[1:] if exclusion else text
            if not body:
                raise ContextError("illegal exclusion pattern: \"!\"")
            body = os.path.normpath(body)
            self.patterns.append(Pattern(body, exclusion, _regex(body)))

    @property
    def has_exclusions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def matches(self, path: str) -> bool:
        """MatchesOrParentMatches: whether ``path`` (relative, ``/``-separated) is excluded."""
        matched = False
        parent = os.path.dirname(path)
        parts = parent.split("/") if parent else []
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = bool(pattern.regex.match(path))
            if not hit and parts:
                hit = any(pattern.regex.match("/".join(parts[:i + 1])) for i in range(len(parts)))
            if hit:
                matched = not pattern.exclusion
        return matched

    def keep_directory(self, path: str) -> bool:
        """An excluded directory is still walked when an exception may re-include below it."""
        prefix = path + "/"
        return any(p.exclusion and (p.text + "/").startswith(prefix) for p in self.patterns)


def _keep_build_files(patterns: list[str], dockerfile: str | None) -> list[str]:
    """The CLI's TrimBuildFilesFromExcludes: .dockerignore and the Dockerfile are sent."""
    excludes = Excludes(patterns)
    if excludes.matches(".dockerignore"):
        patterns = [*patterns, "!.dockerignore"]
    if dockerfile and Excludes(patterns).matches(dockerfile):
        patterns = [*patterns, "!" + dockerfile]
    return patterns


def _human(size: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.4g}{unit}"
        size /= 1000
    return ""


@dataclass
class BuildContext:
    """A context ready to send: ``file`` (a tar, rewound), the Dockerfile's name in it."""

    file: object
    dockerfile: str
    size: int
    entries: int

    def close(self) -> None:
        self.file.close()


def _walk(root: str, excludes: Excludes, keep: set[str]):
    """(relative path, absolute path, lstat) of what the context sends, in the CLI's
    walk order (lexical, a directory before what it holds)."""
    def visit(relative: str):
        absolute = os.path.join(root, relative) if relative else root
        try:
            names = sorted(os.listdir(absolute))
        except OSError as exc:
            raise ContextError(f"error checking context: can't stat '{absolute}': "
                               f"{exc.strerror.lower() if exc.strerror else exc}") from None
        for name in names:
            rel = f"{relative}/{name}" if relative else name
            path = os.path.join(root, rel)
            info = os.lstat(path)
            is_dir = stat.S_ISDIR(info.st_mode)
            if rel not in keep and excludes.matches(rel):
                if is_dir and excludes.keep_directory(rel):
                    yield from visit(rel)
                continue
            yield rel, path, info
            if is_dir:
                yield from visit(rel)

    yield from visit("")


def make_context(path: str, *, dockerfile_text: str | None = None, dockerfile: str = "",
                 limit: int = DEFAULT_LIMIT) -> BuildContext:
    """The context tar of directory ``path``. ``dockerfile_text``: the Dockerfile as text
    (added under a random name); else ``dockerfile`` (``-f``), relative to the working
    directory, or ``PATH/Dockerfile``."""
    root = os.path.abspath(path)
    if not os.path.isdir(root):
        raise ContextError(f'unable to prepare context: path "{path}" not found')
    ignore_file = os.path.join(root, ".dockerignore")
    ignore_text = ""
    if os.path.exists(ignore_file):
        with open(ignore_file, encoding="utf-8", errors="surrogateescape") as handle:
            ignore_text = handle.read()
    extra_dockerfile = None
    if dockerfile_text is not None:
        name = ".dockerfile." + secrets.token_hex(10)
        extra_dockerfile = dockerfile_text.encode()
    else:
        located = os.path.abspath(dockerfile) if dockerfile else os.path.join(root, "Dockerfile")
        if not os.path.exists(located):
            shown = dockerfile or os.path.join(root, "Dockerfile")
            raise ContextError(f"unable to prepare context: unable to evaluate symlinks in "
                               f"Dockerfile path: lstat {shown}: no such file or directory")
        relative = os.path.relpath(located, root)
        if relative.startswith(".."):
            name = ".dockerfile." + secrets.token_hex(10)
            with open(located, "rb") as handle:
                extra_dockerfile = handle.read()
        else:
            name = relative
    patterns = read_dockerignore(ignore_text)
    patterns = _keep_build_files(patterns, None if extra_dockerfile is not None else name)
    excludes = Excludes(patterns)
    keep = {".dockerignore"} | ({name} if extra_dockerfile is None else set())
    walked = list(_walk(root, excludes, keep))
    total = sum(info.st_size for _, _, info in walked if stat.S_ISREG(info.st_mode))
    if extra_dockerfile is not None:
        total += len(extra_dockerfile)
    if total > limit:
        raise ContextError(
            f"the build context {root} holds {_human(total)}, over runmagic's limit of "
            f"{_human(limit)}: exclude what the build does not need in {ignore_file}")
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    inodes: dict[tuple[int, int], str] = {}
    now = time.time()
    with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for rel, absolute, info in walked:
            if rel == ".dockerignore" and extra_dockerfile is not None:
                continue  # written below, with the Dockerfile's name appended
            member = tarfile.TarInfo(rel)
            member.mode = stat.S_IMODE(info.st_mode)
            member.mtime = int(info.st_mtime)
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            if stat.S_ISDIR(info.st_mode):
                member.type = tarfile.DIRTYPE
                archive.addfile(member)
            elif stat.S_ISLNK(info.st_mode):
                member.type, member.linkname = tarfile.SYMTYPE, os.readlink(absolute)
                archive.addfile(member)
            elif stat.S_ISREG(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if info.st_nlink > 1 and key in inodes:
                    member.type, member.linkname = tarfile.LNKTYPE, inodes[key]
                    archive.addfile(member)
                    continue
                inodes[key] = rel
                member.size = info.st_size
                with open(absolute, "rb") as handle:
                    archive.addfile(member, handle)
            # sockets, fifos and devices: the CLI sends none a build could use
        if extra_dockerfile is not None:
            for entry_name, data, mode in (
                    (name, extra_dockerfile, 0o600),
                    (".dockerignore", ((ignore_text if os.path.exists(ignore_file) else ".dockerignore")
                                       + "\n" + name + "\n").encode(), 0o600)):
                member = tarfile.TarInfo(entry_name)
                member.size, member.mode, member.mtime = len(data), mode, int(now)
                archive.addfile(member, io.BytesIO(data))
    size = spool.tell()
    spool.seek(0)
    return BuildContext(spool, name, size, len(walked))
