"""``docker cp``: files between a container and the kernel's filesystem, both ways.

The rules are docker's (cli ``container/cp.go`` and moby's ``pkg/archive``
copy rules): an argument is a container path when it has a ``:`` before any
``/`` and does not start with ``.`` or ``/``; the source archive's top entry is
renamed to the destination's name unless the destination is an existing
directory; ``SRC/.`` copies a directory's contents. docker's ``-`` (a tar on
stdout, or read from stdin) is refused: a cell's output cannot take a tar nor
its input give one (as ``image save`` needs ``-o``). ``-L`` follows a
symbolic link at the source, ``-a`` keeps the archive's owners in the
container. Local files are written with the kernel's owner (docker's
``NoLchown``), modes and times kept. Nothing is printed on success: docker
prints its progress and ``Successfully copied`` line only to a terminal, and
a cell is not one (``-q`` is accepted).
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import stat
import tarfile

from runmagic.commands.context import Context
from runmagic.errors import CommandError

_BLOCK = 512
_CHUNK = 1024 * 1024


def split_argument(arg: str) -> tuple[str, str]:
    """(container, path); container "" for a local path (cp.go splitCpArg)."""
    if arg.startswith("/"):
        return "", arg
    container, colon, path = arg.partition(":")
    if not colon or container.startswith("."):
        return "", arg
    return container, path


def _split_dir_entry(path: str) -> tuple[str, str]:
    """archive.SplitPathDirEntry: ``a/b/.`` keeps ``.`` as its entry."""
    cleaned = posixpath.normpath(path) if path else "."
    if posixpath.basename(path) == ".":
        cleaned += "/."
    return posixpath.dirname(cleaned) or ".", posixpath.basename(cleaned)


def _resolve_local(path: str) -> str:
    """filepath.Abs, keeping a trailing ``/`` or ``/.`` (archive.PreserveTrailingDotOrSeparator)."""
    resolved = os.path.abspath(path)
    if path.endswith("/.") or path == ".":
        return resolved.rstrip("/") + "/." if resolved != "/" else "/."
    if path.endswith("/") and not resolved.endswith("/"):
        return resolved + "/"
    return resolved


def _asserts_directory(path: str) -> bool:
    return path.endswith("/") or path.endswith("/.") or path == "."


def _rename(name: str, old: str, new: str) -> str:
    """RebaseArchiveEntries: the first ``old`` in an entry's name becomes ``new``."""
    return name.replace(old, new, 1) if old != "/" else name


def _extract(stream, target_dir: str, old_base: str | None, new_base: str) -> None:
    """archive.Untar with NoOverwriteDirNonDir and NoLchown (files keep the kernel's
    owner) into ``target_dir``, entries renamed."""
    directories = []
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        for member in archive:
            _extract_member(archive, member, target_dir, old_base, new_base, directories)
    for path, member in reversed(directories):
        os.chmod(path, member.mode & 0o7777)
        os.utime(path, (member.mtime, member.mtime))


def _extract_member(archive, member, target_dir: str, old_base: str | None, new_base: str,
                    directories: list) -> None:
    if old_base is not None:
        member.name = _rename(member.name, old_base, new_base)
        if member.islnk():
            member.linkname = _rename(member.linkname, old_base, new_base)
    relative = posixpath.normpath(member.name.lstrip("/"))
    if relative.startswith("../") or relative == "..":
        raise CommandError(f"invalid archive entry {member.name!r}")
    path = os.path.join(target_dir, relative)
    if os.path.lexists(path):
        existing_dir = os.path.isdir(path) and not os.path.islink(path)
        if existing_dir and not member.isdir():
            raise CommandError(f'cannot overwrite directory "{path}" with non-directory '
                               f'"{target_dir}"')
        if not existing_dir and member.isdir():
            raise CommandError(f'cannot overwrite non-directory "{path}" with directory '
                               f'"{target_dir}"')
        if not existing_dir:
            os.unlink(path)
    if relative == ".":
        return
    source = archive.extractfile(member) if member.isfile() else None
    if member.isdir():
        os.makedirs(path, exist_ok=True)
        directories.append((path, member))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if member.isfile():
        with open(path, "wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)
    elif member.issym():
        os.symlink(member.linkname, path)
    elif member.islnk():
        os.link(os.path.join(target_dir, member.linkname.lstrip("/")), path)
    else:
        return  # devices and fifos: docker as root would make them; runmagic does not
    if not member.issym():
        os.chmod(path, member.mode & 0o7777)
        os.utime(path, (member.mtime, member.mtime))


def copy_from_container(ctx: Context, container: str, src: str, dest: str, follow: bool) -> None:
    dest = _resolve_local(dest)
    parent = os.path.dirname(os.path.normpath(dest))
    if parent and parent != "." and not os.path.exists(parent):
        raise CommandError(f'invalid output path: directory "{parent}" does not exist')
    rebase = ""
    if follow:
        try:
            found = ctx.engine.path_stat(container, src)
        except CommandError:
            found = {}
        if found.get("mode", 0) & (1 << 27):  # Go's os.ModeSymlink
            target = found.get("linkTarget", "")
            if not target.startswith("/"):
                target = posixpath.join(_split_dir_entry(src)[0], target)
            rebase = _split_dir_entry(src)[1]
            src = target
    content, found = ctx.engine.get_archive(container, src)
    try:
        is_dir = bool(found.get("mode", 0) & (1 << 31))  # Go's os.ModeDir
        entry_base = _split_dir_entry(src)[1]
        dest_dir, dest_base = _split_dir_entry(dest)
        exists = os.path.exists(dest)
        if exists and os.path.isdir(dest):  # a followed link keeps the link's name
            _extract(content, dest, entry_base if rebase else None, rebase)
        elif exists and is_dir:
            raise CommandError("cannot copy directory")
        elif not exists and not is_dir and _asserts_directory(dest):
            raise CommandError("no such directory")
        else:
            _extract(content, dest_dir, entry_base, dest_base)
    finally:
        content.close()


def _local_source(path: str, follow: bool) -> tuple[str, str]:
    """archive.ResolveHostSourcePath: the path to archive and the name it takes."""
    if follow:
        resolved = os.path.realpath(path)
        rebase = "" if os.path.basename(path) == os.path.basename(resolved) else os.path.basename(path)
    else:
        directory, base = os.path.split(path)
        resolved = os.path.join(os.path.realpath(directory or "."), base)
        rebase = os.path.basename(path.rstrip("/")) if path.endswith("/") and \
            os.path.basename(path) != os.path.basename(resolved) else ""
    try:
        os.lstat(resolved)
    except OSError as exc:
        raise CommandError(f"lstat {resolved}: {exc.strerror.lower()}") from None
    return resolved, rebase


def _header(info: tarfile.TarInfo) -> bytes:
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _local_archive(resolved: str, rebase: str, old_base: str, new_base: str):
    """The tar docker's TarResource makes of a local path (headers and contents, Go's
    layout: no padding past the end blocks), top entry renamed; yields bytes."""
    source_dir, source_base = _split_dir_entry(resolved)
    top = rebase or source_base

    def named(relative: str) -> str:
        name = relative if top == source_base else top + relative[len(source_base):]
        return _rename(name, old_base, new_base) if old_base else name

    def entry(full: str, relative: str):
        info = tarfile.TarInfo(named(relative))
        st = os.lstat(full)
        info.mode, info.uid, info.gid = stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid
        info.mtime = int(st.st_mtime)
        if stat.S_ISDIR(st.st_mode):
            info.type = tarfile.DIRTYPE
            info.name += "/"
            yield _header(info)
        elif stat.S_ISLNK(st.st_mode):
            info.type, info.linkname = tarfile.SYMTYPE, os.readlink(full)
            yield _header(info)
        elif stat.S_ISREG(st.st_mode):
            info.size = st.st_size
            yield _header(info)
            with open(full, "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    yield chunk
            if st.st_size % _BLOCK:
                yield b"\0" * (_BLOCK - st.st_size % _BLOCK)

    start = os.path.join(source_dir, source_base)
    if source_base == ".":
        start = source_dir
    yield from entry(start, source_base)
    if os.path.isdir(start) and not os.path.islink(start):
        for root, dirs, files in os.walk(start):
            dirs.sort()
            for name in sorted(dirs + files):
                full = os.path.join(root, name)
                relative = posixpath.join(source_base, os.path.relpath(full, start))
                yield from entry(full, relative)
    yield b"\0" * (2 * _BLOCK)


class _ChunkReader(io.RawIOBase):
    """A readable over an iterator of bytes."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, None)
            if self._pending is None:
                self._pending = b""
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def __iter__(self):  # requests streams an iterable body chunk by chunk
        while chunk := self.read(_CHUNK):
            yield chunk


def copy_to_container(ctx: Context, src: str, container: str, dest: str, follow: bool,
                      copy_owners: bool) -> None:
    src = _resolve_local(src)
    dest_path, exists, is_dir = dest, False, False
    try:
        found = ctx.engine.path_stat(container, dest)
    except CommandError:
        found = None
    if found is not None and found.get("mode", 0) & (1 << 27):
        target = found.get("linkTarget", "")
        if not target.startswith("/"):
            target = posixpath.join(_split_dir_entry(dest)[0], target)
        dest_path = target
        try:
            found = ctx.engine.path_stat(container, target)
        except CommandError:
            found = None
    if found is not None:
        exists, is_dir = True, bool(found.get("mode", 0) & (1 << 31))
    resolved, rebase = _local_source(src, follow)
    source_is_dir = os.path.isdir(resolved) and not os.path.islink(resolved)
    source_base = rebase or _split_dir_entry(resolved)[1]
    dest_dir, dest_base = _split_dir_entry(dest_path)
    old_base = None
    if exists and is_dir:
        target_dir = dest_path
    elif exists and source_is_dir:
        raise CommandError("cannot copy directory")
    elif not exists and not source_is_dir and _asserts_directory(dest_path):
        raise CommandError("no such directory")
    else:
        target_dir, old_base = dest_dir, source_base
    body = _ChunkReader(_local_archive(resolved, rebase, old_base or "",
                                       dest_base if old_base else ""))
    ctx.engine.put_archive(container, target_dir, body, copy_uid_gid=copy_owners)


def cp(ctx: Context, parsed) -> None:
    """``%docker_cp``: one of the two arguments names a container path."""
    source, destination = parsed.args
    if not source:
        raise CommandError("source can not be empty")
    if not destination:
        raise CommandError("destination can not be empty")
    src_container, src_path = split_argument(source)
    dest_container, dest_path = split_argument(destination)
    follow = bool(parsed.get("follow-link"))
    if src_container and dest_container:
        raise CommandError("copying between containers is not supported")
    if (src_container and dest_path == "-") or (dest_container and src_path == "-"):
        raise CommandError("runmagic: a notebook cell cannot stream a tar archive ('-'): "
                           "copy to or from a file path")
    if src_container:
        copy_from_container(ctx, src_container, src_path, dest_path, follow)
    elif dest_container:
        copy_to_container(ctx, src_path, dest_container, dest_path, follow,
                          bool(parsed.get("archive")))
    else:
        raise CommandError("must specify at least one container source")
