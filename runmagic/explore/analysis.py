"""What an image is made of: its layers, their changes, the merged filesystem, the waste.

Pure: built from an :class:`~runmagic.explore.archive.ImageArchive`. Sizes and
waste are dive's (see :mod:`.efficiency`); each layer's changes compare its
entries with the layers below: a path they lack is added, a file whose type,
content, mode or owner differs is modified, a whiteout removes a path (and what
was below it). The merged tree tells, for every path, the layer whose entry put
it there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

from runmagic.explore.archive import ImageArchive, read_archive
from runmagic.explore.efficiency import PathUse, efficiency
from runmagic.explore.filetree import FileTree, Node

#: Analyses kept in memory, by image ID.
CACHE_SIZE = 8


@dataclass
class Change:
    path: str
    size: int
    is_dir: bool = False


@dataclass
class Layer:
    index: int
    #: The archive's name for the layer (its first path part).
    id: str
    #: ``sha256:...`` of the uncompressed layer (the config's rootfs.diff_ids).
    digest: str
    #: dive's layer size: the sum of its entries' sizes.
    size: int
    #: The instruction that made it (history ``created_by``, ``/bin/sh -c`` dropped).
    command: str
    created: str = ""
    added: list[Change] = field(default_factory=list)
    modified: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)


@dataclass
class Analysis:
    image_id: str
    layers: list[Layer]
    #: The image's filesystem, every node's ``layer`` the one that put it there.
    tree: FileTree
    size_bytes: int
    wasted_bytes: int
    efficiency: float
    inefficiencies: list[PathUse]
    bytes_read: int = 0

    @property
    def user_size_bytes(self) -> int:
        """dive's "user" size: every layer but the base one."""
        return sum(layer.size for layer in self.layers[1:])


def _layer_commands(config: dict, count: int) -> list[tuple[str, str]]:
    """dive's pairing of layers with history: the entries that made a layer, in order."""
    entries = [h for h in config.get("history") or [] if not h.get("empty_layer")]
    out = []
    for index in range(count):
        entry = entries[index] if index < len(entries) else {"created_by": "(missing)"}
        command = entry.get("created_by") or ""
        out.append((command.removeprefix("/bin/sh -c "), entry.get("created") or ""))
    return out


def _subtree(node: Node) -> tuple[int, int]:
    """(bytes, files) of a node and what is below it."""
    size = files = 0
    for inner in node.walk_children_first():
        size += inner.info.size
        files += not inner.children
    return size, files


def _changes(tree: FileTree, below: FileTree | None, layer: Layer) -> None:
    for node in tree.nodes():
        info = node.info
        if node.is_whiteout:
            previous = below.get_node(node.path()) if below is not None else None
            size = _subtree(previous)[0] if previous is not None else 0
            layer.removed.append(Change(node.path(), size, previous is not None and bool(
                previous.children or previous.info.is_dir)))
            continue
        if not info.path:
            continue  # a parent the layer does not list itself
        previous = below.get_node(info.path) if below is not None else None
        if previous is None or not previous.info.path:
            layer.added.append(Change(node.path(), info.size, info.is_dir))
        elif not info.is_dir and not info.same_content(previous.info):
            layer.modified.append(Change(node.path(), info.size))


def analyse(archive: ImageArchive, image_id: str = "") -> Analysis:
    trees = archive.ordered_trees()
    config = archive.config()
    diff_ids = (config.get("rootfs") or {}).get("diff_ids") or []
    commands = _layer_commands(config, len(trees))
    names = archive.manifest().get("Layers") or []
    layers = []
    merged = FileTree()
    for index, tree in enumerate(trees):
        command, created = commands[index]
        layer = Layer(index, names[index].split("/")[0] if "/" in names[index] else names[index],
                      diff_ids[index] if index < len(diff_ids) else "", tree.file_size, command,
                      created)
        _changes(tree, merged if index else None, layer)
        merged.stack(tree, keep_parents=True)
        layers.append(layer)
    result = efficiency(trees)
    return Analysis(
        image_id=image_id or config.get("id", ""), layers=layers, tree=merged,
        size_bytes=sum(t.file_size for t in trees), wasted_bytes=result.wasted_bytes,
        efficiency=result.score, inefficiencies=result.inefficiencies,
        bytes_read=archive.bytes_read)


class AnalysisCache:
    """Analyses by image ID (an ID names immutable content: nothing goes stale)."""

    def __init__(self, size: int = CACHE_SIZE):
        self._size = size
        self._items: OrderedDict[str, Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, image_id: str) -> Analysis | None:
        with self._lock:
            found = self._items.get(image_id)
            if found is not None:
                self._items.move_to_end(image_id)
            return found

    def put(self, analysis: Analysis) -> None:
        with self._lock:
            self._items[analysis.image_id] = analysis
            self._items.move_to_end(analysis.image_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


CACHE = AnalysisCache()


def analyse_stream(image_id: str, open_stream: Callable[[], object],
                   report: Callable[[int], None] | None = None,
                   cache: AnalysisCache = CACHE) -> Analysis:
    """The analysis of ``image_id``, from the cache or from the export ``open_stream()``
    returns (a readable with ``close()``)."""
    found = cache.get(image_id)
    if found is not None:
        return found
    stream = open_stream()
    try:
        archive = read_archive(stream, report)
    finally:
        stream.close()
    analysis = analyse(archive, image_id)
    cache.put(analysis)
    return analysis
