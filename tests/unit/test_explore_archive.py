"""runmagic's own tar reading (runmagic.explore.archive) against Python's tarfile on the
same bytes: long names (GNU and PAX), non-ASCII names, big owners, links, old-style
folders; broken archives refused; the stream read in pieces and its errors raised."""

from __future__ import annotations

import io
import tarfile
import zlib

import pytest

from runmagic.explore.archive import ArchiveError, read_archive, read_layer
from runmagic.explore.filetree import clean

NAMES = ["a" * 150 + "/b", "dir/" + "é" * 80, "x", "deep/" + "n" * 99]


def layer_tar(fmt: int) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as archive:
        for index, name in enumerate(NAMES):
            info = tarfile.TarInfo(name)
            data = (name * 50).encode()[: 700 * index + 3]
            info.size, info.uid, info.mode = len(data), 2_000_000 + index, 0o640
            archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("l")
        link.type, link.linkname = tarfile.SYMTYPE, "t" * 200
        archive.addfile(link)
        hard = tarfile.TarInfo("h")
        hard.type, hard.linkname = tarfile.LNKTYPE, "x"
        archive.addfile(hard)
        folder = tarfile.TarInfo("folder")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
    return out.getvalue()


def expected(data: bytes) -> list[list]:
    rows = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|") as archive:
        for member in archive:
            digest = 0
            if member.isfile() and member.size:
                digest = zlib.crc32(archive.extractfile(member).read())
            rows.append([clean(member.name), member.type.decode(), member.linkname, digest,
                         member.size, member.mode, member.uid, member.gid, member.isdir()])
    return sorted(rows)


@pytest.mark.parametrize("fmt", [tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_layer_entries_as_tarfile_reads_them(fmt):
    data = layer_tar(fmt)
    tree = read_layer(io.BytesIO(data))
    got = sorted(node.info.as_tuple() for node in tree.nodes() if node.info.path)
    assert got == expected(data)
    assert len(got) == len(NAMES) + 3


def export(layer: bytes, name: str = "abc/layer.tar") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        manifest = b'[{"Config": "c.json", "Layers": ["abc/layer.tar"]}]'
        for entry, data in [(name, layer), ("manifest.json", manifest), ("c.json", b'{"rootfs": {}}')]:
            info = tarfile.TarInfo(entry)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


class Pieces(io.RawIOBase):
    """A stream that hands out small, uneven pieces (as a socket does) and may fail."""

    def __init__(self, data: bytes, fail_at: int | None = None):
        self._data, self._pos, self._fail_at = data, 0, fail_at

    def readinto(self, buffer) -> int:
        if self._fail_at is not None and self._pos >= self._fail_at:
            raise OSError("connection reset by peer")
        piece = self._data[self._pos:self._pos + min(len(buffer), 777)]
        buffer[:len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


def test_export_in_small_pieces_with_progress():
    data = export(layer_tar(tarfile.PAX_FORMAT))
    reports: list[int] = []
    image = read_archive(Pieces(data), reports.append)
    assert image.bytes_read == len(data) and reports[-1] == len(data)
    tree = image.ordered_trees()[0]
    got = sorted(n.info.as_tuple() for n in tree.nodes() if n.info.path)
    assert got == expected(layer_tar(tarfile.PAX_FORMAT))
    assert image.config() == {"rootfs": {}}


def test_cut_short_or_corrupt_archives_are_refused():
    data = export(layer_tar(tarfile.GNU_FORMAT))
    with pytest.raises(ArchiveError, match="unexpected end of data"):
        read_archive(io.BytesIO(data[:1500]))
    corrupt = bytearray(data)
    corrupt[0] ^= 0x01  # the first header's name: its checksum no longer matches
    with pytest.raises(ArchiveError, match="checksum"):
        read_archive(io.BytesIO(bytes(corrupt)))


def test_a_failing_stream_raises_its_error():
    data = export(layer_tar(tarfile.GNU_FORMAT))
    with pytest.raises(OSError, match="connection reset"):
        read_archive(Pieces(data, fail_at=3000))
