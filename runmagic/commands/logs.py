"""``docker logs``: a container's output so far, or followed live.

With ``-f`` the output streams like a foreground run until the container
stops; an interrupt ends the follow and never touches the container.
"""

from __future__ import annotations

import time

from runmagic.engine.session import demultiplex
from runmagic.commands.context import Context
from runmagic.errors import CommandError, EngineLost
from runmagic.formatting.timestamps import TimestampError, get_timestamp

FOLLOW_ENDED = "[runmagic] stopped following the logs; the container keeps running\n"


def _params(since: str, until: str, timestamps: bool, details: bool, follow: bool, tail: str) -> dict:
    params = {"stdout": 1, "stderr": 1, "tail": tail}
    now = time.time()
    for name, value in (("since", since), ("until", until)):
        if value:
            try:
                params[name] = get_timestamp(value, now)
            except TimestampError as exc:
                raise CommandError(f'invalid value for "{name}": {exc}') from None
    for name, on in (("timestamps", timestamps), ("details", details), ("follow", follow)):
        if on:
            params[name] = 1
    return params


def fetch_logs(ctx: Context, ref: str, *, follow: bool = False, tail: str = "all", since: str = "",
               until: str = "", timestamps: bool = False, details: bool = False,
               stream: bool = False) -> str | None:
    """The logs as a string, or (``stream`` or ``follow``) written into the cell."""
    info = ctx.engine.inspect_container(ref)
    tty = bool(info["Config"].get("Tty"))
    params = _params(since, until, timestamps, details, follow, tail)
    if not (stream or follow):
        return demultiplex(ctx.engine.logs(info["Id"], params), tty).decode("utf-8", errors="replace")
    session = ctx.engine.follow_logs(info["Id"], params, tty)
    sink = ctx.new_sink(info["Id"][:12] + "-logs")
    try:
        session.pump(sink)
    except EngineLost as failure:
        sink.finish()  # what was shown stays
        raise EngineLost(f"{failure.message}; stopped following the logs of {ref}: the "
                         "container's state is unknown", failure.exit_status) from None
    except KeyboardInterrupt:
        session.close()
        sink.finish()
        ctx.err(FOLLOW_ENDED)
        return None
    finally:
        session.close()
    sink.finish()
    return None


def logs(ctx: Context, parsed) -> None:
    """``%docker_logs``: written into the cell, as docker prints them."""
    fetch_logs(ctx, parsed.args[0], follow=parsed.get("follow"), tail=parsed.get("tail"),
               since=parsed.get("since") or "", until=parsed.get("until") or "",
               timestamps=parsed.get("timestamps"), details=parsed.get("details"), stream=True)
