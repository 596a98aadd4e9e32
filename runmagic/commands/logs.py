"""``docker logs``: a container's output so far, or followed live.

With ``-f`` the output streams like a foreground run until the container
stops; an interrupt ends the follow and never touches the container.
"""

from __future__ import annotations

import time

import docker.errors

from runmagic.engine import session as streaming
from runmagic.engine import requests as daemon
from runmagic.engine import responses as streams
from runmagic.engine.requests import Context
from runmagic.errors import CommandError
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
    info = daemon.container(ctx.api, ref)
    tty = bool(info["Config"].get("Tty"))
    params = _params(since, until, timestamps, details, follow, tail)
    if not (stream or follow):
        body = daemon.get_raw(ctx.api, "/containers/{0}/logs", info["Id"], params=params)
        return streams.demultiplex(body, tty).decode("utf-8", errors="replace")
    url = ctx.api._url("/containers/{0}/logs", info["Id"])
    response = ctx.api._get(url, params=params, stream=True, timeout=None)
    try:
        ctx.api._raise_for_status(response)
    except docker.errors.APIError as exc:
        raise daemon.daemon_error(exc) from None
    sink = streams.new_sink(ctx, info["Id"][:12] + "-logs")
    body = streams.ResponseBody(ctx.api, response)
    try:
        streaming.pump(body.reader, sink, tty)
    except KeyboardInterrupt:
        body.close()
        sink.finish()
        ctx.err(FOLLOW_ENDED)
        return None
    finally:
        body.close()
    sink.finish()
    return None


def logs(ctx: Context, parsed) -> None:
    """``%docker_logs``: written into the cell, as docker prints them."""
    fetch_logs(ctx, parsed.args[0], follow=parsed.get("follow"), tail=parsed.get("tail"),
               since=parsed.get("since") or "", until=parsed.get("until") or "",
               timestamps=parsed.get("timestamps"), details=parsed.get("details"), stream=True)
