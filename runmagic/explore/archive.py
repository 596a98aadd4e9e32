"""Read an image export (``GET /images/{name}/get``, ``docker save``) as it streams.

Pure: the input is any readable binary file. The archive is a tar of layer
tars and JSON documents; each layer tar is read entry by entry as it passes
(contents are checksummed, never kept), so memory holds the file lists only,
whatever the image's size. Both layouts the engine writes are understood: the
classic one (``<id>/layer.tar``) and the OCI one of Docker 25+ (``blobs/sha256/``,
layers recognised by their tar or gzip header).
"""

from __future__ import annotations

import gzip
import json
import tarfile
import zlib
from dataclasses import dataclass, field
from typing import Callable

from runmagic.explore.filetree import FileInfo, FileTree, clean

#: JSON documents above this size are not kept (an image config is a few kB).
MAX_DOCUMENT = 16 * 1024 * 1024
_CHUNK = 1024 * 1024


class ArchiveError(ValueError):
    """The stream is not an image export runmagic can read."""


class CountingReader:
    """A readable that counts the bytes read and reports them as it goes."""

    def __init__(self, raw, report: Callable[[int], None] | None = None, every: int = 8 * _CHUNK):
        self._raw = raw
        self._report = report
        self._every = every
        self._next_report = every
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.count += len(data)
        if self._report is not None and self.count >= self._next_report:
            self._next_report = self.count + self._every
            self._report(self.count)
        return data


@dataclass
class ImageArchive:
    #: Layer trees by their path in the archive.
    layers: dict[str, FileTree] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)
    bytes_read: int = 0

    def manifest(self) -> dict:
        raw = self.documents.get("manifest.json")
        if raw is None:
            raise ArchiveError("the image archive has no manifest.json")
        entries = json.loads(raw)
        if not entries:
            raise ArchiveError("the image archive's manifest is empty")
        return entries[0]

    def config(self) -> dict:
        path = self.manifest().get("Config", "")
        raw = self.documents.get(path)
        if raw is None:
            raise ArchiveError(f"the image archive has no config ({path})")
        return json.loads(raw)

    def ordered_trees(self) -> list[FileTree]:
        """The layer trees in the manifest's order (bottom layer first)."""
        trees: list[FileTree] = []
        for index, path in enumerate(self.manifest().get("Layers") or []):
            tree = self.layers.get(path)
            if tree is None:
                raise ArchiveError(f"the image archive lacks the layer {path}")
            if any(tree is earlier for earlier in trees):  # one layer at two places
                tree = tree.copy()
            _label(tree, index)
            trees.append(tree)
        return trees


def _label(tree: FileTree, index: int) -> None:
    """Mark the tree's entries as layer ``index``'s."""
    tree.layer = index
    for node in tree.nodes():
        if node.info.path:
            node.layer = index


def _looks_like_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def read_layer(fileobj) -> FileTree:
    """One layer tar: every entry's header, and a checksum of its content."""
    tree = FileTree()
    with tarfile.open(fileobj=fileobj, mode="r|", bufsize=_CHUNK) as archive:
        for member in archive:
            path = clean(member.name)
            if path == ".":
                continue
            digest = 0
            if member.isfile() and member.size:
                content = archive.extractfile(member)
                while chunk := content.read(_CHUNK):
                    digest = zlib.crc32(chunk, digest)
            tree.add_entry(FileInfo(
                path=path, typeflag=member.type.decode("latin-1"), linkname=member.linkname,
                digest=digest, size=member.size, mode=member.mode, uid=member.uid, gid=member.gid,
                is_dir=member.type == tarfile.DIRTYPE))
    return tree


def read_archive(stream, report: Callable[[int], None] | None = None) -> ImageArchive:
    """Read an image export from ``stream``; ``report(bytes_read)`` is called as it goes."""
    counter = CountingReader(stream, report)
    image = ImageArchive()
    links: dict[str, str] = {}
    try:
        with tarfile.open(fileobj=counter, mode="r|", bufsize=_CHUNK) as outer:
            for member in outer:
                name = member.name
                if member.issym() and name.endswith(".tar"):
                    links[name] = clean(f"{name.rpartition('/')[0]}/{member.linkname}")
                    continue
                if not member.isfile():
                    continue
                content = outer.extractfile(member)
                if name.endswith(".tar"):
                    image.layers[name] = read_layer(content)
                elif name.endswith((".tar.gz", ".tgz")):
                    image.layers[name] = read_layer(gzip.GzipFile(fileobj=content))
                elif name.endswith(".json") or name.startswith("sha256:") or name == "repositories":
                    image.documents[name] = _document(content, member.size)
                elif name.startswith("blobs/"):
                    head = content.peek(512)
                    if _looks_like_tar(head):
                        image.layers[name] = read_layer(content)
                    elif head[:2] == b"\x1f\x8b":
                        image.layers[name] = read_layer(gzip.GzipFile(fileobj=content))
                    elif head[:1] in (b"{", b"["):
                        image.documents[name] = _document(content, member.size)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, (gzip.BadGzipFile, tarfile.ReadError)):
            raise
        raise ArchiveError(f"unreadable image archive: {exc}") from None
    for name, target in links.items():
        if target in image.layers:
            image.layers[name] = image.layers[target]
    image.bytes_read = counter.count
    if report is not None:
        report(counter.count)
    return image


def _document(content, size: int) -> bytes:
    if size > MAX_DOCUMENT:
        return b""
    return content.read()

