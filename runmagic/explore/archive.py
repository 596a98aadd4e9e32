"""Read an image export (``GET /images/{name}/get``, ``docker save``) as it streams.

Pure: the input is any binary file with ``readinto``. The archive is a tar of layer
tars and JSON documents; each layer tar is read entry by entry as it passes
(contents are checksummed, never kept), so memory holds the file lists only,
whatever the image's size. Both layouts the engine writes are understood: the
classic one (``<id>/layer.tar``) and the OCI one of Docker 25+ (``blobs/sha256/``,
layers recognised by their tar or gzip header).

Speed: the stream is read piece by piece into one reused buffer (a new buffer
per piece would cost an allocation and its page faults), and the tar headers
are parsed here, straight from those pieces: contents pass to the checksum as
views of them, never copied. No other thread takes part: the engine sets the
pace, and goes on writing into the connection's buffer while a piece is
checksummed; a thread reading ahead, or one checksumming, only added hand-offs
and waits for the GIL that cost more CPU and time than they saved (measured on
two cores, the engine busy on one).
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterator

from runmagic.explore.filetree import FileInfo, FileTree, clean

#: JSON documents above this size are not kept (an image config is a few kB).
MAX_DOCUMENT = 16 * 1024 * 1024
#: Bytes asked of a layer file or a gzip stream at a time.
_CHUNK = 1024 * 1024
#: Bytes of the export read at a time: small enough to be checksummed before the engine,
#: writing on meanwhile, fills the connection's buffer (~200 KiB on Linux) and waits.
_PIECE = 256 * 1024
_BLOCK = 512
#: Progress is reported every this many bytes.
_REPORT_EVERY = 8 * 1024 * 1024


class ArchiveError(ValueError):
    """The stream is not an image export runmagic can read."""


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


class _Source:
    """Bytes from ``pull()`` (the next piece, empty at the end), read exactly or as views."""

    __slots__ = ("_pull", "_piece", "_pos")

    def __init__(self, pull: Callable[[], bytes | memoryview]):
        self._pull = pull
        self._piece = memoryview(b"")
        self._pos = 0

    def _next(self) -> bool:
        piece = self._pull()
        if not piece:
            return False
        self._piece = memoryview(piece)
        self._pos = 0
        return True

    def views(self, size: int) -> Iterator[memoryview]:
        """The next ``size`` bytes, as views of the pieces they are in."""
        while size > 0:
            if self._pos >= len(self._piece) and not self._next():
                raise ArchiveError("unreadable image archive: unexpected end of data")
            view = self._piece[self._pos:self._pos + size]
            self._pos += len(view)
            size -= len(view)
            yield view

    def read(self, size: int) -> bytes:
        """The next ``size`` bytes; fewer only at the end of the data."""
        if self._pos + size <= len(self._piece):  # the common case: one header, one piece
            data = self._piece[self._pos:self._pos + size].tobytes()
            self._pos += size
            return data
        parts = []
        while size > 0:
            if self._pos >= len(self._piece) and not self._next():
                break
            view = self._piece[self._pos:self._pos + size]
            self._pos += len(view)
            size -= len(view)
            parts.append(bytes(view))  # a copy: the next piece may reuse this one's buffer
        return b"".join(parts)

    def skip(self, size: int) -> None:
        for _ in self.views(size):
            pass

    def piece(self) -> bytes | memoryview:
        """What is left of the current piece, else the next one (empty at the end)."""
        if self._pos < len(self._piece):
            view = self._piece[self._pos:]
            self._pos = len(self._piece)
            return view
        return self._pull()

    def drain(self) -> None:
        """Pass over what is left."""
        while self._pull():
            pass
        self._piece = memoryview(b"")

    def sub(self, size: int) -> "_Source":
        """The next ``size`` bytes as a source of their own."""
        views = self.views(size)
        return _Source(lambda: next(views, b""))

class _Readable:
    """A source as a binary file (``read(n)``), for gzip."""

    def __init__(self, source: _Source):
        self._source = source

    def read(self, size: int = -1) -> bytes:
        return self._source.read(size if size >= 0 else 1 << 62)


def _number(field_: bytes) -> int:
    """A tar number: octal text, or base-256 when the first byte's top bit is set."""
    if field_[:1] and field_[0] & 0x80:
        value = int.from_bytes(field_[1:], "big")
        return value - (1 << (8 * len(field_) - 8)) if field_[0] == 0xFF else value
    text = field_.split(b"\0", 1)[0].strip()
    return int(text, 8) if text else 0


def _text(field_: bytes) -> str:
    return field_.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _checksum_ok(header: bytes) -> bool:
    """The header's checksum, as unsigned or (old tars) signed bytes, the field as spaces."""
    stored = _number(header[148:156])
    unsigned = sum(header[:148]) + sum(header[156:]) + 8 * 32
    if stored == unsigned:
        return True
    high = sum(1 for b in header[:148] if b > 127) + sum(1 for b in header[156:] if b > 127)
    return stored == unsigned - 256 * high


def _pax(data: bytes) -> dict[str, str]:
    """``LEN key=value\\n`` records."""
    records: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        length = int(data[pos:space])
        if length <= 0:
            raise ArchiveError("unreadable image archive: a bad PAX header")
        key, _, value = data[space + 1:pos + length - 1].partition(b"=")
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return records


#: Types whose headers no data blocks follow (links, devices, folders, FIFOs); as tarfile
#: reads them, every other type's data does (regular files', and unknown types').
_NO_DATA = frozenset(b"123456")


#: Regular files' types (tarfile's REGULAR_TYPES).
_REGULAR = frozenset(("0", "\0", "7"))


class _Entry:
    __slots__ = ("name", "type", "linkname", "size", "mode", "uid", "gid")


def _entries(source: _Source) -> Iterator[tuple[_Entry, _Source | None]]:
    """A tar's entries; for one with data, a source of its ``size`` bytes (to read, or not,
    before the next entry)."""
    global_pax: dict[str, str] = {}
    long_name = long_link = None
    pax: dict[str, str] = {}
    while True:
        header = source.read(_BLOCK)
        if len(header) < _BLOCK or header.count(0) == _BLOCK:
            return  # the end-of-archive blocks (or a tar cut short at an entry's boundary)
        if not _checksum_ok(header):
            raise ArchiveError("unreadable image archive: a tar header's checksum is wrong")
        kind = header[156:157]
        size = _number(header[124:136])
        if kind in (b"L", b"K", b"x", b"g"):
            data = source.read(size)
            source.skip(-size % _BLOCK)
            if kind == b"L":
                long_name = _text(data)
            elif kind == b"K":
                long_link = _text(data)
            elif kind == b"x":
                pax.update(_pax(data))
            else:
                global_pax.update(_pax(data))
            continue
        entry = _Entry()
        name = _text(header[0:100])
        # POSIX's name prefix (a GNU header keeps times there).
        if header[257:263] == b"ustar\0" and header[345]:
            name = f"{_text(header[345:500])}/{name}"
        fields = {**global_pax, **pax}
        entry.name = fields.get("path", long_name if long_name is not None else name)
        link = _text(header[157:257])
        entry.linkname = fields.get("linkpath", long_link if long_link is not None else link)
        entry.size = int(fields["size"]) if "size" in fields else size
        entry.mode = _number(header[100:108])
        entry.uid = int(fields["uid"]) if "uid" in fields else _number(header[108:116])
        entry.gid = int(fields["gid"]) if "gid" in fields else _number(header[116:124])
        if kind == b"\0" and entry.name.endswith("/"):
            kind = b"5"  # an old tar's folder: a file whose name ends in a slash
        entry.type = kind.decode("latin-1") if kind else "0"
        long_name = long_link = None
        pax = {}
        if kind[:1] and kind[0] in _NO_DATA:
            yield entry, None
            continue
        content = source.sub(entry.size)
        yield entry, content
        content.drain()
        source.skip(-entry.size % _BLOCK)


def _layer(source: _Source) -> FileTree:
    """One layer tar: every entry's header, and a checksum of its content."""
    tree = FileTree()
    add = tree.add_entry
    crc32 = zlib.crc32
    for entry, content in _entries(source):
        path = clean(entry.name)
        if path == ".":
            continue
        digest = 0
        if content is not None and entry.type in _REGULAR and entry.size:
            for view in content.views(entry.size):
                digest = crc32(view, digest)
        add(FileInfo(path=path, typeflag=entry.type, linkname=entry.linkname, digest=digest,
                     size=entry.size, mode=entry.mode, uid=entry.uid, gid=entry.gid,
                     is_dir=entry.type == "5"))
    return tree


def read_layer(fileobj) -> FileTree:
    """A layer tar from a binary file."""
    return _layer(_Source(lambda: fileobj.read(_CHUNK)))


def _gunzipped(content: _Source) -> _Source:
    unzipped = gzip.GzipFile(fileobj=_Readable(content))
    return _Source(lambda: unzipped.read(_CHUNK))


def _with_head(head: bytes, rest: _Source) -> _Source:
    """``head`` (already read) then ``rest``."""
    pending = [head] if head else []
    return _Source(lambda: pending.pop() if pending else rest.piece())


def read_archive(stream, report: Callable[[int], None] | None = None) -> ImageArchive:
    """Read an image export from ``stream``; ``report(bytes_read)`` is called as it goes."""
    buffer = bytearray(_PIECE)
    view = memoryview(buffer)
    count = 0
    next_report = _REPORT_EVERY

    def pull() -> memoryview:
        """The next piece; it is valid until the next pull, which reuses the buffer."""
        nonlocal count, next_report
        got = stream.readinto(buffer)
        count += got
        if report is not None and count >= next_report:
            next_report = count + _REPORT_EVERY
            report(count)
        return view[:got]

    image = ImageArchive()
    links: dict[str, str] = {}
    source = _Source(pull)
    try:
        for member, content in _entries(source):
            name = member.name
            if member.type == "2" and name.endswith(".tar"):
                links[name] = clean(f"{name.rpartition('/')[0]}/{member.linkname}")
                continue
            if content is None or member.type not in _REGULAR:
                continue
            if name.endswith(".tar"):
                image.layers[name] = _layer(content)
            elif name.endswith((".tar.gz", ".tgz")):
                image.layers[name] = _layer(_gunzipped(content))
            elif name.endswith(".json") or name.startswith("sha256:") or name == "repositories":
                image.documents[name] = _document(content, member.size)
            elif name.startswith("blobs/"):
                head = content.read(_BLOCK)
                whole = _with_head(head, content)
                if _looks_like_tar(head):
                    image.layers[name] = _layer(whole)
                elif head[:2] == b"\x1f\x8b":
                    image.layers[name] = _layer(_gunzipped(whole))
                elif head[:1] in (b"{", b"["):
                    image.documents[name] = _document(whole, member.size)
        source.drain()  # the padding after the end-of-archive blocks
    except (EOFError, zlib.error, gzip.BadGzipFile, ValueError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(f"unreadable image archive: {exc}") from None
    for name, target in links.items():
        if target in image.layers:
            image.layers[name] = image.layers[target]
    image.bytes_read = count
    if report is not None:
        report(count)
    return image


def _looks_like_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def _document(content: "_Source", size: int) -> bytes:
    if size > MAX_DOCUMENT:
        content.skip(size)
        return b""
    return content.read(size)

