"""``docker build`` through the engine's classic builder (``POST /build``).

The context is PATH as the CLI sends it (:mod:`runmagic.build_context`); the
Dockerfile is the cell body unless ``-f`` names one. The builder's messages are
written as they arrive (``Step 2/5 : RUN ...``, the step's output, `` ---> id``,
``Successfully built``/``tagged``); a failing step raises with the builder's
message and status (a RUN's exit code), after its output was shown.
"""

from __future__ import annotations

import json
import os

from runmagic.build_context import DEFAULT_LIMIT, ContextError, make_context
from runmagic.commands.context import Context
from runmagic.errors import CommandError
from runmagic.formatting.listing import human_size
from runmagic.grammar.options.resources import ulimit_list


class BuildFailed(CommandError):
    """A build step failed: docker exits with the step's status and prints the message alone."""


def _build_args(values: list[str]) -> dict:
    """``--build-arg KEY=VALUE``; ``KEY`` alone takes the kernel's environment (null if unset)."""
    args = {}
    for value in values:
        key, has_value, rest = value.partition("=")
        args[key] = rest if has_value else os.environ.get(key)
    return args


def _labels(values: list[str]) -> dict:
    labels = {}
    for value in values:
        key, _, rest = value.partition("=")
        labels[key] = rest
    return labels


def build_params(parsed, dockerfile: str) -> dict:
    """The query of ``POST /build`` for a parsed line (the Go client's imageBuildOptionsToQuery)."""
    params = {
        "t": parsed.get("tag") or None,
        "dockerfile": dockerfile,
        "rm": int(parsed.get("rm")),
        "forcerm": int(parsed.get("force-rm")),
        "nocache": int(parsed.get("no-cache")),
        "pull": int(parsed.get("pull")),
        "q": int(parsed.get("quiet")),
        "version": "1",
    }
    if parsed.get("build-arg"):
        params["buildargs"] = json.dumps(_build_args(parsed.get("build-arg")))
    if parsed.get("label"):
        params["labels"] = json.dumps(_labels(parsed.get("label")))
    for flag, key in (("target", "target"), ("platform", "platform")):
        if parsed.get(flag):
            params[key] = parsed.get(flag)
    network = parsed.get("network")
    if network and network != "default":
        params["networkmode"] = network
    if parsed.get("add-host"):
        params["extrahosts"] = parsed.get("add-host")
    if parsed.get("shm-size"):
        params["shmsize"] = parsed.get("shm-size")
    if parsed.get("ulimit"):
        params["ulimits"] = json.dumps(ulimit_list(parsed.get("ulimit")))
    return {k: v for k, v in params.items() if v is not None}


def build(ctx: Context, parsed, dockerfile_text: str | None = None,
          limit: int = DEFAULT_LIMIT) -> str:
    """Build; returns the image ID (``sha256:...``)."""
    if dockerfile_text is not None and parsed.get("file"):
        raise CommandError("runmagic: the cell body is the Dockerfile: give -f only without one "
                           "(%docker_build -f FILE PATH)")
    try:
        context = make_context(parsed.args[0], dockerfile_text=dockerfile_text,
                               dockerfile=parsed.get("file") or "", limit=limit)
    except ContextError as exc:
        raise CommandError(str(exc)) from None
    quiet = parsed.get("quiet")
    iidfile = parsed.get("iidfile") or ""
    if iidfile and os.path.exists(iidfile):
        os.remove(iidfile)
    image_id = ""
    transcript = []
    if not quiet:
        # the classic CLI's progress line, once the whole context is ready
        ctx.out(f"Sending build context to Docker daemon  {human_size(context.size)}\r\r\n")
    try:
        messages = ctx.engine.build(context.file, build_params(parsed, context.dockerfile))
        try:
            for message in messages:
                if message.get("error") or message.get("errorDetail"):
                    detail = message.get("errorDetail") or {}
                    text = detail.get("message") or message.get("error") or ""
                    if quiet:
                        ctx.err("".join(transcript))
                    raise BuildFailed(text, detail.get("code") or 1)
                aux = message.get("aux") or {}
                if aux.get("ID"):
                    image_id = aux["ID"]
                stream = message.get("stream")
                if stream:
                    if quiet:
                        transcript.append(stream)
                    else:
                        ctx.out(stream)
                        ctx.flush()
        finally:
            messages.close()
    finally:
        context.close()
    if quiet:
        # what the builder streamed in quiet mode: the ID and a newline (the CLI's buildBuff)
        image_id = "".join(transcript)
        ctx.out(image_id)
    if iidfile:
        if not image_id:
            raise CommandError(f"Server did not provide an image ID. Cannot write {iidfile}")
        with open(iidfile, "w") as handle:
            handle.write(image_id)
    return image_id.strip()
