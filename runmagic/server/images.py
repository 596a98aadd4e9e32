"""The Images view's routes, under ``{base_url}runmagic/images``:

- ``GET images?name=TEXT``: local images with tags, size, creation time and the containers
  using them, filtered by a part of a tag or ID, and the ``engine`` (``description``, ``default``);
- ``GET images/ID/explore``: the explorer model (:mod:`runmagic.explore.report`), the
  analysis cached by image ID;
- ``GET images/ID/tree?path=/usr``: the children of a folder, for trees sent in part;
- ``POST images/ID/tag`` ``{"target": "repo:tag"}``;
- ``DELETE images/ID``: ``docker rmi`` without force: an image in use is refused with
  docker's message (409);
- ``POST images/ID/copy`` ``{"path": "/etc/os-release", "dir": "notebooks"}``: "Copy a file
  out": the file, from a container created (never started) from the image and removed at
  once, written into ``dir`` under the server's root as its own name (never over a file).

The engine calls are plain functions of the server's engine; the handler mixins get
``run``/``reply``/``engine`` from the base class :func:`routes` is given (the handlers
module's), which keeps this module free of it.
"""

from __future__ import annotations

import json
import os
import posixpath
import tarfile

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from runmagic.explore.analysis import analyse_stream
from runmagic.explore.report import explorer_model, tree_children
from runmagic.grammar.reference import ReferenceError, parse_normalized_named
from runmagic.server.containers import EngineError

#: Label on the momentary container "Copy a file out" makes.
COPY_LABEL = "org.runmagic.copy"


def list_images(server, name: str = "") -> list[dict]:
    images = server.images()
    containers = server._call(lambda: server.api.containers(all=True))
    users: dict[str, list[str]] = {}
    for container in containers:
        users.setdefault(container.get("ImageID", ""), []).append(
            (container.get("Names") or ["/"])[0].lstrip("/"))
    out = []
    for summary in images:
        if name and not any(name in t for t in summary["tags"]) and name not in summary["id"]:
            continue
        summary["containers"] = sorted(users.get(summary["id"], []))
        out.append(summary)
    return out


def _analysis(server, ident: str):
    inspect = server._call(lambda: server.api.inspect_image(ident))
    analysis = server._call(lambda: analyse_stream(
        inspect["Id"], lambda: server.api.export_image(inspect["Id"])))
    return inspect, analysis


def explore(server, ident: str) -> dict:
    inspect, analysis = _analysis(server, ident)
    ref = ident if not ident.startswith("sha256:") else (inspect.get("RepoTags") or [ident])[0]
    return explorer_model(ref, inspect, analysis)


def tree(server, ident: str, path: str) -> list[dict]:
    _, analysis = _analysis(server, ident)
    children = tree_children(analysis, path)
    if children is None:
        raise EngineError(404, f"No such path in the image: {path}")
    return children


def tag(server, ident: str, target: str) -> dict:
    try:
        ref = parse_normalized_named(target)
    except ReferenceError as exc:
        raise EngineError(400, f'Error parsing reference: "{target}" is not a valid '
                               f"repository/tag: {exc}") from None
    if ref.digest:
        raise EngineError(400, "refusing to create a tag with a digest reference")
    server._call(lambda: server.api.tag_image(ident, ref.name, ref.tag or "latest"))
    return {"id": ident, "tag": target}


def remove(server, ident: str) -> dict:
    answer = server._call(lambda: server.api.remove_image(ident))
    return {"removed": answer}


def copy_out(server, ident: str, path: str, folder: str) -> dict:
    """Write the image's file ``path`` into ``folder`` (an existing folder); its new path."""
    if not path.startswith("/") or path.endswith("/"):
        raise EngineError(400, f"Give the absolute path of a file in the image, not {path!r}")
    if not os.path.isdir(folder):
        raise EngineError(400, f"No such folder: {folder}")
    name = posixpath.basename(path)
    target = os.path.join(folder, name)
    if os.path.lexists(target):
        raise EngineError(409, f"{name} already exists in {folder}: rename or remove it first")
    created = server._call(lambda: server.api.create_container(
        {"Image": ident, "Cmd": ["true"], "Labels": {COPY_LABEL: "1"}, "NetworkDisabled": True}))
    try:
        stream, found = server._call(lambda: server.api.get_archive(created["Id"], path))
        try:
            if found.get("mode", 0) & (1 << 31):
                raise EngineError(400, f"{path} is a folder: copy files one at a time")
            with tarfile.open(fileobj=stream, mode="r|") as archive:
                for member in archive:
                    if member.isfile():
                        with open(target, "xb") as out:
                            source = archive.extractfile(member)
                            while chunk := source.read(1 << 20):
                                out.write(chunk)
                        return {"path": target, "size": member.size}
                    if member.issym():
                        raise EngineError(400, f"{path} is a link to {member.linkname}: copy that")
        finally:
            stream.close()
    finally:
        server._call(lambda: server.api.remove_container(created["Id"], force=True, volumes=True))
    raise EngineError(400, f"{path} is not a regular file")


class _ImageList:
    @web.authenticated
    @authorized
    async def get(self):
        name = self.get_query_argument("name", "")
        self.reply({"images": await self.run(list_images, self.engine, name), "engine": self.engine.described()})


class _ImageExplore:
    @web.authenticated
    @authorized
    async def get(self, ident: str):
        self.reply(await self.run(explore, self.engine, ident))


class _ImageTree:
    @web.authenticated
    @authorized
    async def get(self, ident: str):
        path = self.get_query_argument("path", "/")
        self.reply({"path": path, "children": await self.run(tree, self.engine, ident, path)})


def _body(handler) -> dict:
    try:
        data = json.loads(handler.request.body or b"{}")
    except ValueError:
        raise web.HTTPError(400, "%s", "The body must be JSON") from None
    return data if isinstance(data, dict) else {}


class _ImageTag:
    @web.authenticated
    @authorized
    async def post(self, ident: str):
        target = str(_body(self).get("target", ""))
        self.reply(await self.run(tag, self.engine, ident, target))


class _ImageCopy:
    @web.authenticated
    @authorized
    async def post(self, ident: str):
        body = _body(self)
        root = self.settings.get("server_root_dir") or os.getcwd()
        relative = str(body.get("dir", "")).strip("/")
        folder = os.path.realpath(os.path.join(root, relative))
        if folder != os.path.realpath(root) and not folder.startswith(os.path.realpath(root) + os.sep):
            raise web.HTTPError(400, "%s", "The folder must be inside the server's root")
        result = await self.run(copy_out, self.engine, ident, str(body.get("path", "")), folder)
        result["path"] = os.path.relpath(result["path"], os.path.realpath(root))
        self.reply(result)


class _Image:
    @web.authenticated
    @authorized
    async def delete(self, ident: str):
        self.reply(await self.run(remove, self.engine, ident))


def routes(base: str, handler_base: type) -> list:
    """The image routes under ``base`` (``…/runmagic``), handlers built on ``handler_base``."""
    ident = r"(?P<ident>[^/]+)"

    def make(mixin):
        return type(mixin.__name__.lstrip("_") + "Handler", (mixin, handler_base), {})

    return [
        (url_path_join(base, "images"), make(_ImageList)),
        (url_path_join(base, "images", ident, "explore"), make(_ImageExplore)),
        (url_path_join(base, "images", ident, "tree"), make(_ImageTree)),
        (url_path_join(base, "images", ident, "tag"), make(_ImageTag)),
        (url_path_join(base, "images", ident, "copy"), make(_ImageCopy)),
        (url_path_join(base, "images", ident), make(_Image)),
    ]
