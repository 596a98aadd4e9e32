"""``docker events``: the engine's events, one line each, as they happen.

The stream ends at ``--until`` or when the cell is interrupted (the usual
way to stop it, so that is not an error).
"""

from __future__ import annotations

import time

from runmagic.formatting import schemas
from runmagic.formatting import listing as fmt
from runmagic.golang import template as gt
from runmagic.golang import values as gv
from runmagic.commands.context import Context
from runmagic.errors import CommandError
from runmagic.grammar.command_flags import filter_args
from runmagic.formatting.timestamps import TimestampError, get_timestamp


def pretty(event: dict) -> str:
    """docker's default line: time, type, action, actor, sorted attributes."""
    parts = []
    if event.get("timeNano"):
        parts.append(fmt.rfc3339_nano_fixed(event["timeNano"]) + " ")
    elif event.get("time"):
        parts.append(fmt.rfc3339_nano_fixed(event["time"] * 1_000_000_000) + " ")
    actor = event.get("Actor") or {}
    parts.append(f"{event.get('Type', '')} {event.get('Action', '')} {actor.get('ID', '')}")
    attributes = actor.get("Attributes") or {}
    if attributes:
        parts.append(" (" + ", ".join(f"{k}={attributes[k]}" for k in sorted(attributes)) + ")")
    return "".join(parts) + "\n"


def _template(source: str) -> gt.Template | None:
    if not source:
        return None
    text = "{{json .}}" if source == "json" else source
    try:
        template = gt.parse(text)
        template.execute(gv.Value(schemas.pointer(schemas.EVENT), {}))  # docker tries an empty *Message
    except (gt.TemplateError, gt.ExecError, gt.Unsupported) as exc:
        raise CommandError(f"Error parsing format: {exc}", exit_status=64) from None
    except gv.Unreproducible:
        pass  # printing is refused per event, with its own message
    return template


def events(ctx: Context, parsed) -> None:
    template = _template(parsed.get("format") or "")
    now = time.time()
    params = {}
    for name in ("since", "until"):
        if parsed.get(name):
            try:
                params[name] = get_timestamp(parsed.get(name), now)
            except TimestampError as exc:
                raise CommandError(str(exc)) from None
    stream = ctx.engine.events(since=params.get("since"), until=params.get("until"),
                               filters=filter_args(parsed) or None)
    message_type = schemas.struct(schemas.EVENT)
    try:
        for event in stream:
            if template is None:
                ctx.out(pretty(event))
                continue
            try:
                ctx.out(template.execute(gv.Value(message_type, event)) + "\n")
            except gt.ExecError as exc:
                raise CommandError(str(exc)) from None
            except gv.Unreproducible as exc:
                raise CommandError(f"runmagic: {exc}") from None
    except KeyboardInterrupt:
        pass
    finally:
        stream.close()
