"""A layer's files as a tree, with the rules dive applies to image layers.

Pure. The explorer's figures (wasted space, efficiency) must equal dive's, so
the tree follows dive's model, quirks included:

* a path's missing parents are created with an empty payload (size 0, not a
  directory) until an entry names them;
* ``.wh.NAME`` entries (whiteouts) are kept as nodes; a node's path drops the
  ``.wh.`` of its own name only;
* ``.wh..wh.*`` entries (opaque-directory markers) are skipped;
* stacking a layer onto a tree grafts every node of the layer, parents after
  their children, and removes the target of each whiteout.
"""

from __future__ import annotations

import posixpath

WHITEOUT_PREFIX = ".wh."
OPAQUE_PREFIX = ".wh..wh."

#: tar type flags
REGULAR, HARDLINK, SYMLINK, DIRECTORY = "0", "1", "2", "5"


class FileInfo:
    """What a tar header (and a checksum of the content) says about one entry."""

    __slots__ = ("path", "typeflag", "linkname", "digest", "size", "mode", "uid", "gid", "is_dir")

    def __init__(self, path: str = "", typeflag: str = "", linkname: str = "", digest: int = 0,
                 size: int = 0, mode: int = 0, uid: int = 0, gid: int = 0, is_dir: bool = False):
        self.path = path
        self.typeflag = typeflag
        self.linkname = linkname
        self.digest = digest
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.is_dir = is_dir

    def same_content(self, other: "FileInfo") -> bool:
        """dive's Compare: unmodified when type, content, mode and owner agree."""
        return (self.typeflag == other.typeflag and self.digest == other.digest
                and self.mode == other.mode and self.uid == other.uid and self.gid == other.gid)

    def as_tuple(self) -> list:
        return [self.path, self.typeflag, self.linkname, self.digest, self.size, self.mode,
                self.uid, self.gid, self.is_dir]

    @classmethod
    def from_tuple(cls, items) -> "FileInfo":
        return cls(*items)


EMPTY = FileInfo()


class Node:
    __slots__ = ("name", "info", "children", "parent", "layer")

    def __init__(self, name: str, info: FileInfo, parent: "Node | None", layer: int = -1):
        self.name = name
        self.info = info
        self.children: dict[str, Node] = {}
        self.parent = parent
        #: The layer whose entry gave the node its payload (-1: none did).
        self.layer = layer

    @property
    def is_whiteout(self) -> bool:
        return self.name.startswith(WHITEOUT_PREFIX)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def path(self) -> str:
        names = [self.name[len(WHITEOUT_PREFIX):] if self.is_whiteout else self.name]
        node = self.parent
        while node is not None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        return ("/" + "/".join(reversed(names))).replace("//", "/")

    def walk_children_first(self):
        """Every node below (and including) this one, children before parents,
        siblings by name -- dive's VisitDepthChildFirst order."""
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                yield node
                continue
            stack.append((node, True))
            for name in sorted(node.children, reverse=True):
                stack.append((node.children[name], False))


def clean(path: str) -> str:
    """Go's path.Clean."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


class FileTree:
    """One layer's entries, or several layers stacked."""

    def __init__(self, layer: int = -1):
        self.root = Node("", EMPTY, None)
        #: The index of the layer this tree holds (-1 for stacked trees).
        self.layer = layer
        #: dive's FileSize: the sum of the entries' sizes.
        self.file_size = 0

    def nodes(self):
        """Every node but the root, children first."""
        for node in self.root.walk_children_first():
            if node is not self.root:
                yield node

    def add_entry(self, info: FileInfo) -> None:
        """An entry of the layer's tar, in archive order."""
        self.file_size += info.size
        self.add_path(info.path, info, self.layer)

    def add_path(self, path: str, info: FileInfo, layer: int = -1) -> Node | None:
        names = [n for n in clean(path).strip("/").split("/") if n]
        node = self.root
        for index, name in enumerate(names):
            child = node.children.get(name)
            if child is None:
                if name.startswith(OPAQUE_PREFIX):
                    return None
                child = node.children[name] = Node(name, EMPTY, node)
            node = child
            if index == len(names) - 1:
                node.info = info
                if info is not EMPTY:
                    node.layer = layer
        return node

    def get_node(self, path: str) -> Node | None:
        node = self.root
        for name in path.strip("/").split("/"):
            if not name:
                continue
            node = node.children.get(name)
            if node is None:
                return None
        return node

    def remove_path(self, path: str) -> None:
        node = self.get_node(path)
        if node is not None and node is not self.root:
            del node.parent.children[node.name]

    def stack(self, upper: "FileTree", keep_parents: bool = False) -> None:
        """dive's Stack: ``upper``'s nodes grafted onto this tree, whiteouts removing.
        dive lets a parent the upper layer does not list blank the payload below;
        ``keep_parents`` keeps it (for the merged view)."""
        for node in upper.nodes():
            if node.is_whiteout:
                self.remove_path(node.path())
            elif keep_parents and node.info is EMPTY:
                if self.get_node(node.path()) is None:
                    self.add_path(node.path(), EMPTY, node.layer)
            else:
                self.add_path(node.path(), node.info, node.layer)

    def copy(self) -> "FileTree":
        other = FileTree()
        other.file_size = self.file_size
        pending = [(self.root, other.root)]
        while pending:
            source, target = pending.pop()
            for name, child in source.children.items():
                copied = target.children[name] = Node(name, child.info, target, child.layer)
                pending.append((child, copied))
        return other
