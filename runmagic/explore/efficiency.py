"""Wasted space and the efficiency score, computed as dive computes them.

Pure. Every leaf of every layer (in layer order, children first, siblings by
name) is one sighting of its path. A whiteout is a sighting of size 0, or, when
it deletes a directory, of the size of everything below that directory in the
layers under it. A path seen more than once is inefficient: its wasted bytes
are the sizes of all its sightings added up. The score is the sum of each
path's smallest sighting over the sum of all sightings (1 when both are 0).

dive stops counting a layer's remaining leaves when a whiteout names a path
the layers below do not have; so does this.
"""

from __future__ import annotations

from dataclasses import dataclass

from runmagic.explore.filetree import FileTree


@dataclass
class PathUse:
    path: str
    count: int = 0
    cumulative_size: int = 0
    smallest: int = -1
    #: Index of each layer that has the path, in order.
    layers: tuple[int, ...] = ()


@dataclass
class Efficiency:
    score: float
    wasted_bytes: int
    #: Paths seen more than once, largest cumulative size first (then by path).
    inefficiencies: list[PathUse]


def _subtree_size(node) -> int:
    return sum(n.info.size for n in node.walk_children_first())


def efficiency(trees: list[FileTree]) -> Efficiency:
    uses: dict[str, PathUse] = {}
    inefficient: list[PathUse] = []
    stacked: FileTree | None = None
    for index, tree in enumerate(trees):
        # dive stacks layers 0..index-1 onto a copy of layer 0 (layer 0 twice).
        if stacked is None:
            stacked = trees[0].copy()
        else:
            stacked.stack(trees[index - 1])
        for node in tree.nodes():
            if not node.is_leaf:
                continue
            path = node.path()
            if node.is_whiteout:
                previous = stacked.get_node(path)
                if previous is None:
                    break
                size = _subtree_size(previous) if previous.info.is_dir else 0
            else:
                size = node.info.size
            use = uses.get(path)
            if use is None:
                use = uses[path] = PathUse(path)
            use.cumulative_size += size
            if use.smallest < 0 or size < use.smallest:
                use.smallest = size
            use.count += 1
            use.layers += (index,)
            if use.count == 2:
                inefficient.append(use)
    smallest = sum(u.smallest for u in uses.values())
    discovered = sum(u.cumulative_size for u in uses.values())
    score = 1.0 if discovered == 0 else float(smallest) / float(discovered)
    inefficient.sort(key=lambda u: (-u.cumulative_size, u.path))
    return Efficiency(score, sum(u.cumulative_size for u in inefficient), inefficient)
