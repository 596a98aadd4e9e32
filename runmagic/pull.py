"""Pull an image through the engine, reporting progress as plain lines.

Per-layer byte progress is left out: a notebook renders cursor movement badly,
so only the status changes of each layer (and the summary) are written.
"""

import docker.errors

from . import engine
from .errors import DaemonError
from .images import split_tag

_PROGRESS_STATES = {"Downloading", "Extracting", "Waiting", "Verifying Checksum", "Pulling fs layer"}


def pull_image(api, image: str, *, platform=None, quiet=False, write=print) -> None:
    repository, tag = split_tag(image)
    try:
        events = api.pull(repository, tag=tag, stream=True, decode=True, platform=platform)
        for event in events:
            if "error" in event:
                raise DaemonError(event["error"])
            if quiet:
                continue
            status = event.get("status", "")
            if status in _PROGRESS_STATES:
                continue
            layer = event.get("id")
            write(f"{layer}: {status}\n" if layer and not status.startswith(("Digest", "Status")) else f"{status}\n")
    except docker.errors.APIError as exc:
        raise engine.daemon_error(exc) from None
