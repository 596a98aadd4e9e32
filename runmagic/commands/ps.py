"""``docker ps``: the container listing, as text in docker's layout and as an HTML table."""

from __future__ import annotations

from runmagic.commands.handle import ContainerHandle
from runmagic.result import ContainerList
from runmagic.formatting import listing as fmt
from runmagic.golang import template as gt
from runmagic.golang import values as gv
from runmagic.commands.context import Context
from runmagic.errors import CommandError
from runmagic.grammar.command_flags import filter_args


def _check_format(source: str, quiet: bool, size_changed: bool, fields_used: set) -> bool:
    """docker validates a custom format against an empty row first; a format
    that uses ``.Size`` turns --size on (unless --size=false was given)."""
    try:
        template = gt.parse(source)
    except gt.TemplateError as exc:
        raise CommandError(f"failed to parse template: {exc}") from None
    except gt.Unsupported as exc:
        raise CommandError(f"runmagic: {exc}") from None
    probe = gv.Value(fmt.CONTAINER_CONTEXT, fmt.ContainerRow({}, fields_used=fields_used))
    try:
        template.execute(probe)
    except gt.ExecError as exc:
        raise CommandError(f"failed to execute template: {exc}") from None
    except gv.Unreproducible:
        pass  # only printing is refused, and only later, per row
    return not quiet and not size_changed and "Size" in fields_used


def list_containers(ctx: Context, parsed) -> ContainerList:
    quiet = parsed.get("quiet")
    source = parsed.get("format") or ""
    if source and quiet:
        ctx.err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n")
    size = parsed.get("size")
    if source and _check_format(source, quiet, "size" in parsed, set()):
        size = True
    limit = parsed.get("last")
    if parsed.get("latest") and limit == -1:
        limit = 1
    summaries = ctx.engine.containers(all=parsed.get("all"), limit=limit, size=size,
                                      filters=filter_args(parsed))
    rows = [gv.Value(fmt.CONTAINER_CONTEXT, fmt.ContainerRow(s, trunc=not parsed.get("no-trunc")))
            for s in summaries]
    template = fmt.container_format(source, quiet, size)
    rendered = fmt.render(template, rows, fmt.CONTAINER_HEADERS)
    handles = [ContainerHandle(ctx.engine, s["Id"], (s.get("Names") or ["/"])[0][1:]) for s in summaries]
    return ContainerList(rendered.text, fmt.with_engine_note(rendered.html(), ctx.engine.endpoint.note), handles)
