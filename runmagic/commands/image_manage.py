"""``docker tag``, ``docker rmi``, ``docker image prune|save|load`` and ``docker diff``."""

from __future__ import annotations

import os
import tempfile

from runmagic.commands.context import Context
from runmagic.errors import CommandError, DaemonResponse, joined
from runmagic.formatting.listing import human_size
from runmagic.grammar.command_flags import filter_args
from runmagic.grammar.reference import ReferenceError, parse_any_reference, parse_normalized_named

_PRUNE_DANGLING = ("WARNING! This will remove all dangling images.\n"
                   "Are you sure you want to continue?")
_PRUNE_ALL = ("WARNING! This will remove all images without at least one container associated "
              "to them.\nAre you sure you want to continue?")
#: ``docker diff``'s letters for the engine's change kinds.
_CHANGE_KINDS = {0: "C", 1: "A", 2: "D"}


def tag(ctx: Context, parsed) -> None:
    """client.ImageTag: both references checked before the request."""
    source, target = parsed.args
    invalid = 'Error parsing reference: "{}" is not a valid repository/tag: {}'
    try:
        parse_any_reference(source)
    except ReferenceError as exc:
        raise CommandError(invalid.format(source, exc)) from None
    try:
        ref = parse_normalized_named(target)
    except ReferenceError as exc:
        raise CommandError(invalid.format(target, exc)) from None
    if ref.digest:
        raise CommandError("refusing to create a tag with a digest reference")
    ctx.engine.tag_image(source, ref.name, ref.tag or "latest")


def remove(ctx: Context, parsed) -> None:
    """Each image's untagged and deleted IDs; failures joined at the end. With --force,
    images that do not exist are reported on stderr without failing."""
    force = parsed.get("force")
    failures, fatal = [], False
    for name in parsed.args:
        try:
            answer = ctx.engine.remove_image(name, force=force, prune=not parsed.get("no-prune"))
        except DaemonResponse as exc:
            fatal = fatal or not exc.not_found
            failures.append(exc)
            continue
        for item in answer:
            ctx.out(f"Deleted: {item['Deleted']}\n" if item.get("Deleted")
                    else f"Untagged: {item.get('Untagged', '')}\n")
    if failures:
        error = joined(failures)
        if not force or fatal:
            raise error
        ctx.err(f"{error}\n")


def prune(ctx: Context, parsed) -> None:
    filters = filter_args(parsed)
    filters.setdefault("dangling", []).append("false" if parsed.get("all") else "true")
    if not parsed.get("force"):
        question = _PRUNE_ALL if parsed.get("all") else _PRUNE_DANGLING
        if ctx.confirm is None or not ctx.confirm(question):
            raise CommandError("image prune has been cancelled")
    report = ctx.engine.prune_images(filters)
    deleted = report.get("ImagesDeleted") or []
    reclaimed = report.get("SpaceReclaimed") or 0 if deleted else 0
    if deleted:
        lines = ["Deleted Images:"] + [f"untagged: {d['Untagged']}" if d.get("Untagged")
                                       else f"deleted: {d.get('Deleted', '')}" for d in deleted]
        ctx.out("\n".join(lines) + "\n\n")
    ctx.out(f"Total reclaimed space: {human_size(reclaimed)}\n")


def save(ctx: Context, parsed) -> None:
    """To a file only (a notebook's output cannot take a tar); written beside the target
    and renamed, as docker does, so a failed save leaves no partial file."""
    output = parsed.get("output") or ""
    if not output:
        raise CommandError("cowardly refusing to save to a terminal. Use the -o flag or "
                           "redirect")
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise CommandError(f"failed to save image: invalid output path: directory "
                           f'"{folder}" does not exist')
    stream = ctx.engine.export_images(parsed.args)
    handle, partial = tempfile.mkstemp(prefix=".docker_temp_", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(1024 * 1024):
                out.write(chunk)
        os.replace(partial, output)
    except BaseException:
        os.unlink(partial)
        raise
    finally:
        stream.close()


def load(ctx: Context, parsed) -> None:
    source = parsed.get("input") or ""
    if not source:
        raise CommandError("requested load from stdin, but stdin is empty")
    try:
        archive = open(source, "rb")
    except OSError as exc:
        raise CommandError(f"open {source}: {exc.strerror.lower()}") from None
    with archive:
        messages = ctx.engine.load_images(archive, quiet=parsed.get("quiet"))
        try:
            for message in messages:
                if message.get("error"):
                    raise CommandError(message["error"])
                if message.get("stream"):
                    ctx.out(message["stream"])
        finally:
            messages.close()


def diff(ctx: Context, parsed) -> None:
    name = parsed.args[0]
    if not name:
        raise CommandError("Container name cannot be empty")
    for change in ctx.engine.container_changes(name):
        ctx.out(f"{_CHANGE_KINDS.get(change.get('Kind'), '?')} {change.get('Path', '')}\n")
