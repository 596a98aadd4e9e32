"""``docker images`` / ``docker image ls`` and ``docker history``, in docker's layouts."""

from __future__ import annotations

from runmagic.commands.context import Context
from runmagic.formatting import image_listing as layout
from runmagic.formatting import listing as fmt
from runmagic.golang import values as gv
from runmagic.grammar.command_flags import filter_args
from runmagic.result import CommandOutput


def list_images(ctx: Context, parsed) -> CommandOutput:
    filters = filter_args(parsed)
    match = parsed.args[0] if parsed.args else ""
    if match:
        filters.setdefault("reference", []).append(match)
    summaries = ctx.engine.list_images(all=parsed.get("all"), filters=filters)
    trunc, digests = not parsed.get("no-trunc"), parsed.get("digests")
    rows = [gv.Value(layout.IMAGE_CONTEXT, row) for summary in summaries
            for row in layout.image_rows(summary, trunc, digests)]
    template = layout.image_format(parsed.get("format") or "", parsed.get("quiet"), digests)
    rendered = fmt.render(template, rows, layout.IMAGE_HEADERS)
    if match and not summaries and parsed.command.name == "images" \
            and match in layout.IMAGE_SUBCOMMANDS:
        ctx.err(f'\nNo images found matching "{match}": did you mean "docker image {match}"?\n')
    return CommandOutput(rendered.text, fmt.with_engine_note(rendered.html(), ctx.engine.endpoint.note), summaries)


def history(ctx: Context, parsed) -> CommandOutput:
    items = ctx.engine.image_history(parsed.args[0])
    human, trunc = parsed.get("human"), not parsed.get("no-trunc")
    rows = [gv.Value(layout.HISTORY_CONTEXT, layout.HistoryRow(item, trunc, human))
            for item in items]
    template = layout.history_format(parsed.get("format") or "", parsed.get("quiet"), human)
    rendered = fmt.render(template, rows, layout.HISTORY_HEADERS)
    return CommandOutput(rendered.text, rendered.html(), items)
