"""``docker pull``: normalise the reference, pull with progress, print the reference."""

from __future__ import annotations

from runmagic.commands.pull import PullError, pull_image
from runmagic.commands.context import Context
from runmagic.errors import CommandError
from runmagic.grammar.reference import ReferenceError, familiar_string, parse_normalized_named


def pull(ctx: Context, parsed) -> None:
    all_tags, quiet = parsed.get("all-tags"), parsed.get("quiet")
    try:
        ref = parse_normalized_named(parsed.args[0])
    except ReferenceError as exc:
        raise CommandError(str(exc)) from None
    if all_tags and not ref.name_only:
        raise CommandError("tag can't be used with --all-tags/-a")
    if not all_tags and ref.name_only:
        ref = type(ref)(ref.name, tag="latest")
        if not quiet:
            ctx.out("Using default tag: latest\n")
    image = familiar_string(ref.name, ref.tag, ref.digest)
    try:
        pull_image(ctx.engine, image, platform=parsed.get("platform") or None, quiet=quiet,
                   write=ctx.out, all_tags=all_tags, show_live=ctx.show_live)
    except PullError as exc:
        raise CommandError(exc.message) from None
    ctx.out(f"{ref}\n")
