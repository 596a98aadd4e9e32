"""``docker volume create|ls|inspect|rm|prune``."""

from __future__ import annotations

from runmagic.grammar.options.env import kv_map
from runmagic.result import CommandOutput
from runmagic.formatting import listing as fmt
from runmagic.golang import values as gv
from runmagic.commands.context import Context, each
from runmagic.engine.client import filters_param
from runmagic.errors import CommandError
from runmagic.formatting.listing import human_size, natural_less_key
from runmagic.commands.inspect import inspect_volumes
from runmagic.grammar.command_flags import filter_args

_PRUNE_ANONYMOUS = ("WARNING! This will remove anonymous local volumes not used by at least one "
                    "container.\nAre you sure you want to continue?")
_PRUNE_ALL = ("WARNING! This will remove all local volumes not used by at least one container.\n"
              "Are you sure you want to continue?")


def create(ctx: Context, parsed) -> None:
    name = parsed.get("name") or ""
    if parsed.args:
        if name:
            raise CommandError("conflicting options: cannot specify a volume-name through both "
                               "--name and as a positional arg")
        name = parsed.args[0]
    body = {"Name": name, "Driver": parsed.get("driver"), "DriverOpts": kv_map(parsed.get("opt")),
            "Labels": kv_map(parsed.get("label"))}
    volume = ctx.engine.post("/volumes/create", body=body)
    ctx.out(volume["Name"] + "\n")


def ls(ctx: Context, parsed) -> CommandOutput:
    answer = ctx.engine.get_json("/volumes", params=filters_param(filter_args(parsed)))
    volumes = sorted(answer.get("Volumes") or [], key=lambda v: natural_less_key(v.get("Name", "")))
    rows = [gv.Value(fmt.VOLUME_CONTEXT, fmt.Row(v)) for v in volumes]
    rendered = fmt.render(fmt.volume_format(parsed.get("format") or "", parsed.get("quiet")),
                          rows, fmt.VOLUME_HEADERS)
    return CommandOutput(rendered.text, rendered.html(), volumes)


def inspect(ctx: Context, parsed) -> CommandOutput:
    return inspect_volumes(ctx, parsed)


def rm(ctx: Context, parsed) -> None:
    params = {"force": 1} if parsed.get("force") else {}
    each(parsed.args, lambda name: ctx.engine.delete("/volumes/{0}", name, params=params),
                ctx.out)


def prune(ctx: Context, parsed) -> None:
    filters = filter_args(parsed)
    modern = tuple(int(p) for p in ctx.engine.api_version.split(".")[:2]) >= (1, 42)
    warning = _PRUNE_ALL
    if modern:
        warning = _PRUNE_ANONYMOUS
        if parsed.get("all"):
            if "all" in filters:
                raise CommandError("conflicting options: cannot specify both --all and --filter all=1")
            filters["all"] = ["true"]
            warning = _PRUNE_ALL
    if not parsed.get("force"):
        if ctx.confirm is None:
            raise CommandError(f"{warning.splitlines()[0]} Nobody can answer the prompt here: "
                               "add --force to go ahead")
        if not ctx.confirm(warning):
            raise CommandError("volume prune has been cancelled")
    report = ctx.engine.post("/volumes/prune", params=filters_param(filters)) or {}
    deleted = report.get("VolumesDeleted") or []
    if deleted:
        ctx.out("Deleted Volumes:\n" + "".join(v + "\n" for v in deleted) + "\n")
    reclaimed = report.get("SpaceReclaimed", 0) if deleted else 0
    ctx.out(f"Total reclaimed space: {human_size(reclaimed)}\n")
