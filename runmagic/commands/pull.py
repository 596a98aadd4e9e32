"""Pull an image through the engine, with progress a notebook renders well.

Two forms of progress (see :mod:`runmagic.formatting.progress`):

* with ``show_live`` (the magics pass one backed by an IPython display
  handle): per-layer bars and an overall line, replaced in place as the
  engine reports, and docker's transcript once the pull ends;
* without it (``%docker_run``'s pull, plain IPython): the lines ``docker
  pull`` prints when its output is not a terminal, as they happen -- no
  cursor movement, no bars.

``quiet`` shows nothing. Errors keep the engine's words: a refused request
is ``Error response from daemon: ...``, an error inside the stream (a
registry failing half-way) is the registry's message. An interrupt closes
the request, which cancels the pull in the engine, as docker's Ctrl-C does.
"""

from __future__ import annotations

import time
from typing import Callable

from runmagic.formatting.progress import PullProgress
from runmagic.errors import DockerError, Interrupted
from runmagic.grammar.reference import pull_arguments

#: Seconds between in-place updates of a live view.
UPDATE_INTERVAL = 0.25


class PullError(DockerError):
    """The engine reported an error in the middle of a pull."""


def pull_image(engine, image: str, *, platform: str | None = None, quiet: bool = False, write=print,
               all_tags: bool = False,
               show_live: Callable[[PullProgress], Callable[[], None]] | None = None) -> PullProgress:
    """Pull ``image`` (``repo[:tag|@digest]``); raises DaemonResponse or PullError."""
    repository, tag = (image, None) if all_tags else pull_arguments(image)
    progress = PullProgress()
    live = show_live is not None and not quiet
    update = None  # made at the engine's first message, so the view starts with it
    last_update = 0.0
    messages = None
    try:
        messages = engine.pull(repository, tag, platform)
        for event in messages:
            before = len(progress.lines)
            progress.feed(event)
            if progress.error:
                break
            if quiet:
                continue
            if not live:
                for line in progress.lines[before:]:
                    write(line)
            elif update is None:
                update = show_live(progress)
                last_update = time.monotonic()
            elif time.monotonic() - last_update >= UPDATE_INTERVAL:
                update()
                last_update = time.monotonic()
    except KeyboardInterrupt:
        # Closing the request is how the engine learns to cancel the pull.
        raise Interrupted("Interrupted: the pull was cancelled", exit_status=130) from None
    finally:
        if messages is not None:
            messages.close()
        progress.finished = True
        if update is not None:
            update()
    if progress.error:
        raise PullError(progress.error)
    return progress
