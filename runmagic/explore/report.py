"""What the image explorer shows, as JSON-ready data. Pure: no IPython, no docker.

One model serves every view: the notebook output of ``%docker_image inspect``
(its HTML, its text and the JupyterLab renderer) and the server's Images view.
It holds the image's config (secret-looking values masked), its layers in
order (size, instruction, digest, added/modified/removed files), the wasted
space as dive counts it, the merged filesystem as a tree, and the lines the
buttons insert. Lists are capped so a big image never makes a huge output;
the tree below :data:`TREE_NODES` nodes is sent whole, a bigger one to
:data:`PARTIAL_DEPTH` levels, the rest on demand (:func:`tree_children`).
"""

from __future__ import annotations

import re

from runmagic.display.masking import MASK, Redactor, looks_secret, secret_env_values
from runmagic.explore.analysis import Analysis, Change
from runmagic.explore.filetree import EMPTY, Node

#: Changes listed per layer and per kind; the counts are always whole.
CHANGES_SHOWN = 200
#: Wasted paths listed.
WASTE_SHOWN = 100
TREE_NODES = 5000
PARTIAL_DEPTH = 2

_VOLUME_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def _split_env(env: list[str]) -> list[tuple[str, str]]:
    return [tuple(item.split("=", 1)) if "=" in item else (item, "") for item in env or []]


def config_model(inspect: dict) -> dict:
    """The parts of an image's config a user reads, secrets masked."""
    config = inspect.get("Config") or {}
    env = _split_env(config.get("Env") or [])
    redact = Redactor(secret_env_values(env))
    labels = config.get("Labels") or {}
    health = config.get("Healthcheck") or None
    platform = "/".join(p for p in (inspect.get("Os"), inspect.get("Architecture"),
                                    inspect.get("Variant")) if p)
    return {
        "entrypoint": [redact(a) for a in config.get("Entrypoint") or []],
        "cmd": [redact(a) for a in config.get("Cmd") or []],
        "env": [[name, MASK if value and looks_secret(name) else redact(value)]
                for name, value in env],
        "exposed_ports": sorted(config.get("ExposedPorts") or {}, key=_port_order),
        "volumes": sorted(config.get("Volumes") or {}),
        "working_dir": config.get("WorkingDir") or "",
        "user": config.get("User") or "",
        "labels": [[k, MASK if v and looks_secret(k) else redact(v)] for k, v in sorted(labels.items())],
        "healthcheck": None if not health else {
            "test": [redact(a) for a in health.get("Test") or []],
            **{key.lower(): health[key] for key in ("Interval", "Timeout", "StartPeriod", "Retries")
               if health.get(key)}},
        "stop_signal": config.get("StopSignal") or "",
        "shell": config.get("Shell") or [],
        "platform": platform,
    }


def _port_order(port: str) -> tuple[int, str]:
    number, _, protocol = port.partition("/")
    return (int(number) if number.isdigit() else 0, protocol)


def shell_line(ref: str) -> str:
    return f"%docker_run -it --rm {ref} sh"


def run_line(ref: str, inspect: dict) -> str:
    """A run line for ``ref``: each exposed port published on 127.0.0.1 (the engine picks the
    host port), each volume a named volume called after the image and the path."""
    config = inspect.get("Config") or {}
    words = ["%docker_run", "--rm"]
    for port in sorted(config.get("ExposedPorts") or {}, key=_port_order):
        number, _, protocol = port.partition("/")
        words += ["-p", f"127.0.0.1::{number}" + (f"/{protocol}" if protocol and protocol != "tcp" else "")]
    base = ref.rpartition("/")[2].split(":")[0].split("@")[0] or "image"
    for path in sorted(config.get("Volumes") or {}):
        name = _VOLUME_NAME.sub("-", f"{base}-{path.strip('/') or 'root'}").strip("-.")
        words += ["-v", f"{name}:{path}"]
    words.append(ref)
    return " ".join(words)


def _changes(changes: list[Change]) -> dict:
    return {"count": len(changes), "bytes": sum(c.size for c in changes),
            "items": [{"path": c.path, "size": c.size, "dir": c.is_dir}
                      for c in changes[:CHANGES_SHOWN]]}


def _subtree_sizes(root: Node) -> dict[int, tuple[int, int]]:
    """(bytes, nodes) below each node, by id(node): one walk for the whole tree."""
    sizes: dict[int, tuple[int, int]] = {}
    for node in root.walk_children_first():
        size, count = node.info.size, 1
        for child in node.children.values():
            child_size, child_count = sizes[id(child)]
            size += child_size
            count += child_count
        sizes[id(node)] = (size, count)
    return sizes


def _kind(node: Node) -> str:
    info = node.info
    if node.children or info.is_dir:
        return "dir"
    if info.typeflag == "2":
        return "link"
    return "file"


def _node(node: Node, sizes: dict, depth: int | None) -> dict:
    """A tree node: name, bytes (below it, for a folder), the layer that put it there,
    kind, link target; ``children`` down to ``depth`` levels (None: all), else
    ``more`` (how many children wait to be fetched)."""
    entry = {"name": node.name, "size": sizes[id(node)][0],
             "layer": node.layer if node.info is not EMPTY else None, "kind": _kind(node)}
    if node.info.linkname:
        entry["target"] = node.info.linkname
    if node.children:
        if depth is None or depth > 0:
            entry["children"] = [_node(node.children[name], sizes, None if depth is None else depth - 1)
                                 for name in sorted(node.children)]
        else:
            entry["more"] = len(node.children)
    return entry


def tree_children(analysis: Analysis, path: str, depth: int = PARTIAL_DEPTH) -> list[dict] | None:
    """The children of ``path`` in the merged tree, ``depth`` levels down (None: no such path)."""
    node = analysis.tree.get_node(path)
    if node is None:
        return None
    sizes = _subtree_sizes(node)
    return [_node(node.children[name], sizes, depth - 1) for name in sorted(node.children)]


def explorer_model(ref: str, inspect: dict, analysis: Analysis) -> dict:
    sizes = _subtree_sizes(analysis.tree.root)
    whole = sizes[id(analysis.tree.root)][1] <= TREE_NODES
    depth = None if whole else PARTIAL_DEPTH - 1
    return {
        "ref": ref,
        "id": inspect.get("Id", analysis.image_id),
        "tags": inspect.get("RepoTags") or [],
        "created": inspect.get("Created") or "",
        "size": inspect.get("Size") or 0,
        "config": config_model(inspect),
        "layers": [{
            "index": layer.index, "digest": layer.digest, "size": layer.size,
            "command": layer.command, "created": layer.created,
            "added": _changes(layer.added), "modified": _changes(layer.modified),
            "removed": _changes(layer.removed)} for layer in analysis.layers],
        "waste": {
            "size_bytes": analysis.size_bytes, "user_size_bytes": analysis.user_size_bytes,
            "wasted_bytes": analysis.wasted_bytes, "efficiency": analysis.efficiency,
            "count": len(analysis.inefficiencies),
            "files": [{"path": u.path, "count": u.count, "size": u.cumulative_size,
                       "layers": list(u.layers)} for u in analysis.inefficiencies[:WASTE_SHOWN]]},
        "tree": {"whole": whole, "children": [
            _node(analysis.tree.root.children[name], sizes, depth)
            for name in sorted(analysis.tree.root.children)]},
        "lines": {"shell": shell_line(ref), "run": run_line(ref, inspect)},
    }
