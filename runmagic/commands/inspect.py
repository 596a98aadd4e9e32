"""``docker inspect``, ``docker volume inspect`` and ``docker network inspect``.

Without ``--format`` docker prints the engine's JSON re-indented (byte for
byte what the engine sent), ``--format json`` compacts it, and a template is
executed as the CLI does: first against the Go type the CLI decodes into
(:mod:`.schemas`), then, if that fails, against the engine's JSON as plain
maps. Objects whose Go types runmagic does not model (images, plugins) are
only read as the engine's JSON, and only values that print the same either
way are printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from runmagic.result import CommandOutput
from runmagic.golang.strconv import go_quote
from runmagic.golang import jsonindent as gojson
from runmagic.formatting import schemas
from runmagic.golang import template as gt
from runmagic.golang import values as gv
from runmagic.commands.context import Context
from runmagic.errors import CommandError, DaemonResponse, joined

#: ``docker inspect``'s search order when no --type is given (swarm objects
#: are searched only on a swarm manager, which runmagic does not drive).
_SEARCH_ORDER = ("container", "image", "network", "volume", "plugin")
_ALL_TYPES = ("config", "container", "image", "network", "node", "plugin", "secret", "service",
              "task", "volume")
_TYPE_LIST = '"' + '", "'.join(_ALL_TYPES) + '"'
_ENDPOINTS = {
    "container": "/containers/{0}/json",
    "image": "/images/{0}/json",
    "network": "/networks/{0}",
    "volume": "/volumes/{0}",
    "plugin": "/plugins/{0}/json",
    "config": "/configs/{0}",
    "node": "/nodes/{0}",
    "secret": "/secrets/{0}",
    "service": "/services/{0}",
    "task": "/tasks/{0}",
}
_SCHEMAS = {"container": schemas.CONTAINER, "network": schemas.NETWORK, "volume": schemas.VOLUME,
            "image": schemas.IMAGE, "context": schemas.CONTEXT}


@dataclass
class Found:
    kind: str
    raw: bytes | None  # the engine's bytes; None for what the CLI builds itself (a context)
    data: object


def _skippable(error: DaemonResponse) -> bool:
    return error.not_found or "not supported" in error.message or "invalid reference format" in error.message


def _find(ctx: Context, ref: str, kind: str, size: bool) -> Found:
    kinds = (kind,) if kind else _SEARCH_ORDER
    for candidate in kinds:
        params = {"size": 1} if candidate == "container" and size else None
        if candidate == "service":
            params = {"insertDefaults": 1}
        try:
            raw = ctx.engine.get_raw(_ENDPOINTS[candidate], ref, params=params)
        except DaemonResponse as exc:
            if not kind and _skippable(exc):
                continue
            raise
        if size and candidate != "container":
            ctx.err(f"WARNING: --size ignored for {candidate}\n")
        return Found(candidate, raw, json.loads(raw))
    raise CommandError(f"Error: No such object: {ref}")


def _typed(found: Found) -> gv.Value | None:
    name = _SCHEMAS.get(found.kind)
    return gv.Value(schemas.struct(name), found.data) if name else None


def _execute(template: gt.Template, found: Found, typed: gv.Value | None) -> str:
    """The CLI's TemplateInspector: the typed value first, the raw maps after
    (when there are raw bytes to fall back on)."""
    if typed is not None:
        try:
            return template.execute(typed)
        except (gt.ExecError, gv.GoError) as exc:
            if found.raw is None:
                raise CommandError(f"template parsing error: {exc}") from None
        raw_value = gv.raw(found.data)
    else:
        raw_value = gv.Value(gv.UNTYPED, found.data)
    try:
        return template.execute(raw_value, missing_key_error=True)
    except gt.ExecError as exc:
        raise CommandError(f"template parsing error: {exc}") from None


def render(found_items: list[Found], fmt: str, typed_json: bool = False
           ) -> tuple[str, list[CommandError]]:
    """docker's inspector output for what was found, and the elements a template
    failed on. ``typed_json``: the command marshals the typed value (``docker
    volume inspect``) instead of the engine's bytes."""
    if not fmt or fmt == "json":
        if typed_json:
            elements = [gv.to_json(_typed(f), escape_html=True) for f in found_items]
        else:
            elements = [f.raw.decode("utf-8", errors="surrogateescape").strip() for f in found_items]
        if not elements:
            return "[]\n", []
        joined_elements = "[" + ",".join(elements) + "]"
        text = gojson.indent(joined_elements) if not fmt else gojson.compact(joined_elements)
        return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace") + "\n", []
    template = _parse(fmt)
    lines, failures = [], []
    for found in found_items:
        try:
            lines.append(_execute(template, found, _typed(found)) + "\n")
        except CommandError as exc:
            failures.append(exc)
    # docker's inspector writes a lone newline when nothing was printed.
    return "".join(lines) or "\n", failures


def _parse(fmt: str) -> gt.Template:
    try:
        return gt.parse(fmt)
    except gt.TemplateError as exc:
        raise CommandError(f"template parsing error: {exc}", exit_status=64) from None
    except gt.Unsupported as exc:
        raise CommandError(f"runmagic: {exc}", exit_status=64) from None


def inspect_objects(ctx: Context, refs: list[str], fmt: str, find, typed_json: bool = False
                    ) -> CommandOutput:
    """Find each ref and show what was found; when some failed, print the
    output as docker does and raise every failure (status 1)."""
    if fmt and fmt != "json":
        _parse(fmt)  # a template docker can't parse fails before any lookup (status 64)
    found_items, failures = [], []
    for ref in refs:
        try:
            found_items.append(find(ref))
        except CommandError as exc:
            failures.append(exc)
    try:
        text, template_failures = render(found_items, fmt, typed_json)
    except gv.Unreproducible as exc:
        raise CommandError(f"runmagic: {exc}") from None
    failures += template_failures
    if failures:
        ctx.out(text)
        raise joined(failures)
    return CommandOutput(text, data=[f.data for f in found_items])


def inspect(ctx: Context, parsed) -> CommandOutput:
    """``%docker_inspect``: any Docker object by name or ID."""
    kind = parsed.get("type") or ""
    if "type" in parsed and not kind:
        raise CommandError(f"type is empty: must be one of {_TYPE_LIST}")
    if kind and kind not in _ALL_TYPES:
        raise CommandError(f"unknown type: {go_quote(kind)}: must be one of {_TYPE_LIST}")
    return inspect_objects(ctx, parsed.args, parsed.get("format") or "",
                           lambda ref: _find(ctx, ref, kind, parsed.get("size")))


def inspect_volumes(ctx: Context, parsed) -> CommandOutput:
    return inspect_objects(ctx, parsed.args, parsed.get("format") or "",
                           lambda ref: _find(ctx, ref, "volume", False), typed_json=True)


def inspect_images(ctx: Context, parsed) -> CommandOutput:
    """``docker image inspect``: images only."""
    return inspect_objects(ctx, parsed.args, parsed.get("format") or "",
                           lambda ref: _find(ctx, ref, "image", False))


def inspect_networks(ctx: Context, parsed) -> CommandOutput:
    params = {"verbose": 1} if parsed.get("verbose") else None

    def find(ref: str) -> Found:
        raw = ctx.engine.get_raw("/networks/{0}", ref, params=params)
        return Found("network", raw, json.loads(raw))

    return inspect_objects(ctx, parsed.args, parsed.get("format") or "", find)
