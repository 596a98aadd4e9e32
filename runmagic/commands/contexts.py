"""``docker context ls|show|inspect|use|create|rm``: the docker CLI's contexts store.

These read and write files only (``$DOCKER_CONFIG/contexts``, ``config.json``), as
docker does: no engine is asked. ``use`` writes ``currentContext`` as docker does;
a kernel that wants an engine of its own without touching the user's files sets
``%config DockerRun.context = 'NAME'`` instead.
"""

from __future__ import annotations

import json
import os
from typing import Mapping

from runmagic.engine import contexts as store
from runmagic.engine import endpoint as endpoints
from runmagic.errors import CommandError, joined
from runmagic.formatting import listing as fmt
from runmagic.golang import values as gv
from runmagic.commands.inspect import Found, inspect_objects
from runmagic.result import CommandOutput

def _docker_host_warning(what: str = "a context") -> str:
    return ("Warning: DOCKER_HOST environment variable overrides the active context. "
            f"To use {what}, either set the global --context flag, or unset DOCKER_HOST "
            "environment variable.\n")

_ROW = gv.GoType("struct", "formatter.ClientContext", fields=[
    gv.StructField("Current", "Current", gv.BOOL),
    gv.StructField("Description", "Description", gv.STRING),
    gv.StructField("DockerEndpoint", "DockerEndpoint", gv.STRING),
    gv.StructField("Error", "Error", gv.STRING),
    gv.StructField("Name", "Name", gv.STRING),
])
_HEADERS = {"Name": "NAME", "Description": "DESCRIPTION", "DockerEndpoint": "DOCKER ENDPOINT",
            "Error": "ERROR"}
_TABLE = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}"
#: docker cuts the ERROR column of its table at this width.
_ERROR_WIDTH = 45


def _environ() -> Mapping[str, str]:
    return os.environ


def _store(environ) -> store.Store:
    return store.Store.from_environ(environ)


def _default_context(environ) -> store.DockerContext:
    return store.DockerContext(store.DEFAULT_CONTEXT, endpoints.default_endpoint(environ).host,
                               store.DEFAULT_DESCRIPTION)


def _load(environ, name: str) -> store.DockerContext:
    if name == store.DEFAULT_CONTEXT:
        return _default_context(environ)
    return _store(environ).load(name)


def current_name(environ=None) -> str:
    """``docker context show``: the name only, even of a context that does not exist."""
    return endpoints.context_choice(environ or _environ())[0]


def ls(ctx, parsed) -> CommandOutput:
    environ = _environ()
    if environ.get("DOCKER_HOST") and endpoints.selected_context() is None:
        ctx.err(_docker_host_warning())
    current = current_name(environ)
    listed = [_default_context(environ), *_store(environ).stored()]
    rows = [{"Current": c.name == current, "Description": c.description, "DockerEndpoint": c.host,
             "Error": "", "Name": c.name} for c in listed]
    if current not in {c.name for c in listed}:
        try:
            _load(environ, current)
        except CommandError as exc:
            rows.append({"Current": True, "Description": "", "DockerEndpoint": "", "Name": current,
                         "Error": exc.message})
    rows.sort(key=lambda row: row["Name"])
    source = parsed.get("format") or ""
    if parsed.get("quiet"):
        source = "{{.Name}}"
    elif source in ("", "table"):
        source = _TABLE
        for row in rows:
            row["Error"] = fmt.ellipsis(row["Error"], _ERROR_WIDTH)
    if source == "json":  # encoding/json, HTML-escaped as docker prints it
        text = "".join(store.go_json(json.dumps(row, separators=(",", ":"), ensure_ascii=False)) + "\n"
                       for row in rows)
        return CommandOutput(text, None, rows)
    rendered = fmt.render(source, [gv.Value(_ROW, row) for row in rows], _HEADERS)
    return CommandOutput(rendered.text, rendered.html(), rows)


def show(ctx, parsed) -> None:
    ctx.out(current_name() + "\n")


def inspect(ctx, parsed) -> CommandOutput:
    """The CLI builds the document itself (no engine bytes): templates run over its Go type."""
    environ = _environ()
    return inspect_objects(
        ctx, parsed.args or [current_name(environ)], parsed.get("format") or "",
        lambda name: Found("context", None, _load(environ, name).inspect()), typed_json=True)


def use(ctx, parsed) -> None:
    environ = _environ()
    name = parsed.args[0]
    if name != store.DEFAULT_CONTEXT:
        store.check_name(name)
        _store(environ).load(name)
    _store(environ).set_current_context(name)
    ctx.out(name + "\n")
    ctx.err(f'Current context is now "{name}"\n')
    if name != store.DEFAULT_CONTEXT and environ.get("DOCKER_HOST"):
        ctx.err(_docker_host_warning(f'"{name}"'))
    selected = endpoints.selected_context()
    if selected:
        ctx.err(f"runmagic: this kernel keeps using context {selected!r} "
                "(%config DockerRun.context); set it to '' to follow the current context\n")


_ENDPOINT_KEYS = ("from", "host", "ca", "cert", "key", "skip-tls-verify")


def _parse_bool(value: str) -> bool:
    """Go's strconv.ParseBool."""
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f'parsing "{value}": invalid syntax')


def _endpoint_options(values: list[list[str]]) -> dict[str, str]:
    options: dict[str, str] = {}
    for record in values:
        for item in record:
            key, equals, value = item.partition("=")
            if not equals:
                raise CommandError(f'invalid argument "{",".join(record)}" for "--docker" flag: '
                                   f"{item} must be formatted as key=value")
            options[key] = value
    return options


def create(ctx, parsed) -> None:
    environ = _environ()
    name = parsed.args[0]
    store.check_name(name)
    if name == store.DEFAULT_CONTEXT:
        raise CommandError(f'"{name}" is a reserved context name')
    contexts = _store(environ)
    if contexts.exists(name):
        raise CommandError(f'context "{name}" already exists')
    options = _endpoint_options(parsed.get("docker") or [])
    source_name = parsed.get("from") or options.get("from") or ""
    if not options or source_name:
        # No endpoint given: a copy of --from's, or of the current context's.
        source = _load(environ, source_name or current_name(environ))
        host, skip, tls = source.host, source.skip_tls_verify, {
            f: open(source.tls_file(f), "rb").read() for f in source.tls_files}
        description = source.description
    else:
        host, skip, tls, description = "", False, {}, ""
    try:
        for key, value in options.items():
            if key not in _ENDPOINT_KEYS:
                raise ValueError(f"unrecognized config key: {key}")
            if key == "host":
                host = value
            elif key == "skip-tls-verify":
                try:
                    skip = _parse_bool(value)
                except ValueError as exc:
                    raise ValueError(f"skip-tls-verify: {exc}") from None
            elif key in ("ca", "cert", "key"):
                try:
                    with open(value, "rb") as f:
                        tls[f"{key}.pem"] = f.read()
                except OSError as exc:
                    raise ValueError(f"open {value}: {(exc.strerror or str(exc)).lower()}") from None
        for file_name, data in tls.items():
            if b"-----BEGIN " not in data:  # docker decodes each as PEM
                raise ValueError("invalid docker endpoint options: failed to retrieve context tls "
                                 f"info: {file_name} seems invalid")
    except ValueError as exc:
        raise CommandError(f"unable to create docker endpoint config: {exc}") from None
    if "description" in parsed:
        description = parsed.get("description")
    contexts.create(name, host or endpoints.default_endpoint(environ).host, description, skip, tls)
    ctx.out(name + "\n")
    ctx.err(f'Successfully created context "{name}"\n')


def rm(ctx, parsed) -> None:
    environ = _environ()
    contexts = _store(environ)
    current = contexts.current_context()
    errors = []
    for name in parsed.args:
        if name == store.DEFAULT_CONTEXT:
            errors.append(CommandError(f'context "{name}" cannot be removed'))
        elif not contexts.exists(name):
            errors.append(CommandError(f'context "{name}" does not exist'))
        elif name == current and not parsed.get("force"):
            errors.append(CommandError(f'context "{name}" is in use, set -f flag to force remove'))
        else:
            if name == current:
                contexts.set_current_context(store.DEFAULT_CONTEXT)
            contexts.remove(name)
            ctx.out(name + "\n")
    if errors:
        raise joined(errors)
