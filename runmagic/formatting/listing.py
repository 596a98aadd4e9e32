"""docker's ``--format`` for listings: contexts, table/json/custom forms, rendering.

Pure: no IPython, no docker. Mirrors docker CLI v28.2's ``formatter``
package: a listing row is a *context* whose methods (``.ID``, ``.Names``,
``.Ports``...) the template calls; ``table`` formats get a header row (the
same template run against the column names) and docker's tab-writer layout;
``json`` means ``{{json .}}``; ``\\t`` and ``\\n`` in a format are a tab and
a newline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from typing import Callable

from runmagic.golang.strconv import go_quote
from runmagic.golang import template as gt
from runmagic.errors import CommandError
from runmagic.golang import values as gv
from runmagic.golang.tabwriter import html_table, tabwrite
from runmagic.grammar.reference import ReferenceError, familiar_string, parse_normalized_named


class FormatError(CommandError):
    """A format docker refuses; ``message`` is docker's whole sentence."""


# ------------------------------------------------------------ Go helpers


def truncate_id(identifier: str) -> str:
    """stringid.TruncateID: drop an ``algo:`` prefix, keep 12 characters."""
    return identifier.partition(":")[2][:12] if ":" in identifier else identifier[:12]


def ellipsis(text: str, max_width: int) -> str:
    """formatter.Ellipsis: fit ``text`` in ``max_width`` columns, ending with …."""
    if max_width <= 0:
        return ""
    if max_width == 1:
        return text[:1]
    if gv.display_width(text) <= max_width:
        return text
    out, width = [], 0
    for ch in text:
        w = gv.display_width(ch)
        if width + w > max_width - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def human_duration(seconds: float) -> str:
    """go-units HumanDuration."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_size(size: float, precision: int = 4) -> str:
    """go-units HumanSizeWithPrecision: decimal units, ``%.<precision>g``."""
    unit = 0
    while size >= 1000 and unit < len(_DECIMAL_UNITS) - 1:
        size /= 1000
        unit += 1
    return f"{size:.{precision}g}{_DECIMAL_UNITS[unit]}"


def _join_host_port(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def displayable_ports(ports: list[dict]) -> str:
    """formatter.DisplayablePorts: ``0.0.0.0:80->80/tcp, 9000-9002/tcp``."""
    def order(port):
        return (port.get("PrivatePort", 0), port.get("IP", ""), port.get("PublicPort", 0),
                port.get("Type", ""))

    groups: dict[str, list[int]] = {}
    order_of_keys: list[str] = []
    result: list[str] = []
    host_mappings: list[str] = []
    for port in sorted(ports or [], key=order):
        current = port.get("PrivatePort", 0)
        key = port.get("Type", "")
        ip = port.get("IP", "")
        if ip:
            public = port.get("PublicPort", 0)
            if public != current:
                host_mappings.append(
                    f"{_join_host_port(ip, str(public))}->{current}/{port.get('Type', '')}")
                continue
            key = f"{ip}/{port.get('Type', '')}"
        group = groups.get(key)
        if group is None:
            groups[key] = [current, current]
            order_of_keys.append(key)
            continue
        if current == group[1] + 1:
            group[1] = current
            continue
        result.append(_port_group(key, *group))
        groups[key] = [current, current]
    result += [_port_group(key, *groups[key]) for key in order_of_keys]
    return ", ".join(result + host_mappings)


def _port_group(key: str, first: int, last: int) -> str:
    parts = key.split("/")
    ip, kind = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
    group = str(first) if first == last else f"{first}-{last}"
    if ip:
        group = f"{_join_host_port(ip, group)}->{group}"
    return f"{group}/{kind}"


def local_time_string(unix_seconds: int) -> str:
    """Go's ``time.Unix(s, 0).String()`` in the local zone."""
    moment = datetime.fromtimestamp(unix_seconds, timezone.utc).astimezone()
    return f"{moment:%Y-%m-%d %H:%M:%S %z} {moment.tzname()}"


def rfc3339_nano_fixed(unix_nanos: int) -> str:
    """Go's ``2006-01-02T15:04:05.000000000Z07:00`` in the local zone."""
    seconds, nanos = divmod(unix_nanos, 1_000_000_000)
    moment = datetime.fromtimestamp(seconds, timezone.utc).astimezone()
    offset = moment.utcoffset().total_seconds()
    if offset == 0:
        zone = "Z"
    else:
        sign = "-" if offset < 0 else "+"
        hours, minutes = divmod(int(abs(offset)) // 60, 60)
        zone = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{nanos:09d}{zone}"


def natural_less_key(text: str):
    """sortorder.NaturalLess: digit runs compare as numbers."""
    key, digits = [], ""
    for ch in text:
        if ch.isdigit():
            digits += ch
            continue
        if digits:
            key.append((0, int(digits), len(digits)))
            digits = ""
        key.append((1, ch, 0))
    if digits:
        key.append((0, int(digits), len(digits)))
    return key


# ------------------------------------------------------------------ contexts


def _string(text: str) -> gv.Value:
    return gv.Value(gv.STRING, text)


@dataclass
class ContainerRow:
    """One container of ``GET /containers/json``, as docker's ContainerContext sees it."""

    summary: dict
    trunc: bool = True
    #: Shared by the rows of one listing: the names of size fields used.
    fields_used: set = field(default_factory=set)
    now: float = field(default_factory=time.time)


def _container_names(row: ContainerRow) -> gv.Value:
    names = [n[1:] for n in row.summary.get("Names") or []]
    if row.trunc:
        for name in names:
            if "/" not in name:
                names = [name]
                break
    return _string(",".join(names))


def _container_image(row: ContainerRow) -> gv.Value:
    image = row.summary.get("Image") or ""
    if not image:
        return _string("<no image>")
    if row.trunc:
        short = truncate_id(row.summary.get("ImageID") or "")
        if short == truncate_id(image):
            return _string(short)
        try:
            ref = parse_normalized_named(image)
        except ReferenceError:
            return _string(image)
        return _string(familiar_string(ref.name, tag=ref.tag))
    return _string(image)


def _container_command(row: ContainerRow) -> gv.Value:
    command = row.summary.get("Command") or ""
    if row.trunc:
        command = ellipsis(command, 20)
    return _string(go_quote(command))


def _container_size(row: ContainerRow) -> gv.Value:
    row.fields_used.add("Size")
    size_rw = row.summary.get("SizeRw") or 0
    size_root = row.summary.get("SizeRootFs") or 0
    text = human_size(size_rw, 3)
    if size_root > 0:
        text = f"{text} (virtual {human_size(size_root, 3)})"
    return _string(text)


def _sorted_labels(labels: dict | None) -> str:
    return ",".join(sorted(f"{k}={v}" for k, v in (labels or {}).items()))


def _mounts(row: ContainerRow) -> gv.Value:
    names = []
    for mount in row.summary.get("Mounts") or []:
        name = mount.get("Name") or mount.get("Source") or ""
        names.append(ellipsis(name, 15) if row.trunc else name)
    return _string(",".join(names))


def _networks(row: ContainerRow) -> gv.Value:
    settings = row.summary.get("NetworkSettings")
    if settings is None:
        return _string("")
    # docker lists them in Go's random map order; sorted is one of those orders.
    return _string(",".join(sorted((settings.get("Networks") or {}).keys())))


def _platform(row: ContainerRow) -> gv.Value:
    descriptor = row.summary.get("ImageManifestDescriptor") or {}
    if not descriptor.get("platform"):
        return gv.Value(gv.ptr_to(gv.EMPTY_STRUCT), None)
    raise gv.Unreproducible("the image platform of a container is not supported by runmagic")


def _id(identifier: str, trunc: bool) -> gv.Value:
    return _string(truncate_id(identifier) if trunc else identifier)


CONTAINER_CONTEXT = gv.GoType("context", "*formatter.ContainerContext", methods={
    "ID": (lambda r: _id(r.summary.get("Id", ""), r.trunc), 0),
    "Names": (_container_names, 0),
    "Image": (_container_image, 0),
    "Command": (_container_command, 0),
    "CreatedAt": (lambda r: _string(local_time_string(r.summary.get("Created") or 0)), 0),
    "RunningFor": (lambda r: _string(human_duration(r.now - (r.summary.get("Created") or 0)) + " ago"), 0),
    "Ports": (lambda r: _string(displayable_ports(r.summary.get("Ports"))), 0),
    "State": (lambda r: _string(r.summary.get("State") or ""), 0),
    "Status": (lambda r: _string(r.summary.get("Status") or ""), 0),
    "Size": (_container_size, 0),
    "Labels": (lambda r: _string(_sorted_labels(r.summary.get("Labels"))), 0),
    "Label": (lambda r, name: _string((r.summary.get("Labels") or {}).get(name, "")), 1),
    "Mounts": (_mounts, 0),
    "LocalVolumes": (lambda r: _string(str(sum(
        1 for m in r.summary.get("Mounts") or [] if m.get("Driver") == "local"))), 0),
    "Networks": (_networks, 0),
    "Platform": (_platform, 0),
})

CONTAINER_HEADERS = {
    "ID": "CONTAINER ID", "Names": "NAMES", "Image": "IMAGE", "Command": "COMMAND",
    "CreatedAt": "CREATED AT", "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE",
    "Status": "STATUS", "Size": "SIZE", "Labels": "LABELS", "Mounts": "MOUNTS",
    "LocalVolumes": "LOCAL VOLUMES", "Networks": "NETWORKS", "Platform": "PLATFORM",
}


@dataclass
class Row:
    """A volume or network of a listing."""

    data: dict
    trunc: bool = True


def _labels_in_map_order(labels: dict | None) -> gv.Value:
    # docker joins these in Go's random map order; sorted is one of those orders.
    return _string(",".join(f"{k}={v}" for k, v in sorted((labels or {}).items())))


def _na_unless(key: str, render) -> Callable:
    def method(row: Row) -> gv.Value:
        value = row.data.get(key)
        return _string("N/A" if value is None else render(value))
    return method


def _cluster_only(row: Row) -> gv.Value:
    if row.data.get("ClusterVolume") is None:
        return _string("N/A")
    raise gv.Unreproducible("cluster volumes are not supported by runmagic")


VOLUME_CONTEXT = gv.GoType("context", "*formatter.volumeContext", methods={
    "Name": (lambda r: _string(r.data.get("Name") or ""), 0),
    "Driver": (lambda r: _string(r.data.get("Driver") or ""), 0),
    "Scope": (lambda r: _string(r.data.get("Scope") or ""), 0),
    "Mountpoint": (lambda r: _string(r.data.get("Mountpoint") or ""), 0),
    "Labels": (lambda r: _labels_in_map_order(r.data.get("Labels")), 0),
    "Label": (lambda r, name: _string((r.data.get("Labels") or {}).get(name, "")), 1),
    "Links": (_na_unless("UsageData", lambda u: str(u.get("RefCount", 0))), 0),
    "Size": (_na_unless("UsageData", lambda u: human_size(u.get("Size", 0))), 0),
    "Group": (_cluster_only, 0),
    "Availability": (_cluster_only, 0),
    "Status": (_cluster_only, 0),
})

VOLUME_HEADERS = {
    "ID": "ID", "Name": "VOLUME NAME", "Group": "GROUP", "Driver": "DRIVER", "Scope": "SCOPE",
    "Availability": "AVAILABILITY", "Mountpoint": "MOUNTPOINT", "Labels": "LABELS",
    "Links": "LINKS", "Size": "SIZE", "Status": "STATUS",
}


def _bool_text(value) -> gv.Value:
    return _string("true" if value else "false")


NETWORK_CONTEXT = gv.GoType("context", "*network.networkContext", methods={
    "ID": (lambda r: _id(r.data.get("Id", ""), r.trunc), 0),
    "Name": (lambda r: _string(r.data.get("Name") or ""), 0),
    "Driver": (lambda r: _string(r.data.get("Driver") or ""), 0),
    "Scope": (lambda r: _string(r.data.get("Scope") or ""), 0),
    # Engines before API 1.47 do not report EnableIPv4: Go's zero value, false.
    "IPv4": (lambda r: _bool_text(r.data.get("EnableIPv4", False)), 0),
    "IPv6": (lambda r: _bool_text(r.data.get("EnableIPv6")), 0),
    "Internal": (lambda r: _bool_text(r.data.get("Internal")), 0),
    "Labels": (lambda r: _labels_in_map_order(r.data.get("Labels")), 0),
    "Label": (lambda r, name: _string((r.data.get("Labels") or {}).get(name, "")), 1),
    "CreatedAt": (lambda r: gv.Value(gv.STRING, gv.format_value(
        gv.Value(gv.TIME, r.data.get("Created") or "0001-01-01T00:00:00Z"))), 0),
})

NETWORK_HEADERS = {
    "ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE", "IPv4": "IPV4",
    "IPv6": "IPV6", "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT",
}


def _header_label(_headers, name: str) -> gv.Value:
    """SubHeaderContext.Label: the last dotted part, ``-``/``_`` as spaces."""
    return _string(name.split(".")[-1].replace("-", " ").replace("_", " "))


def header_value(headers: dict[str, str]) -> gv.Value:
    header_type = gv.GoType("header", "formatter.SubHeaderContext",
                            methods={"Label": (_header_label, 1)})
    return gv.Value(header_type, headers)


# ------------------------------------------------------------------ formats

DEFAULT_CONTAINER_TABLE = ("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t"
                           "{{.Ports}}\t{{.Names}}")
DEFAULT_VOLUME_TABLE = "table {{.Driver}}\t{{.Name}}"
DEFAULT_NETWORK_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"


def container_format(source: str, quiet: bool, size: bool) -> str:
    """formatter.NewContainerFormat."""
    if source in ("", "table"):
        if quiet:
            return "{{.ID}}"
        return DEFAULT_CONTAINER_TABLE + ("\t{{.Size}}" if size else "")
    if source == "raw":
        if quiet:
            return "container_id: {{.ID}}"
        text = ("container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\n"
                "created_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\n"
                "status: {{- pad .Status 1 0}}\nnames: {{.Names}}\n"
                "labels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n")
        return text + ("size: {{.Size}}\\n" if size else "")
    return "{{.ID}}" if quiet else source


def volume_format(source: str, quiet: bool) -> str:
    """formatter.NewVolumeFormat (an empty format means ``table``)."""
    if source in ("", "table"):
        return "{{.Name}}" if quiet else DEFAULT_VOLUME_TABLE
    if source == "raw":
        return "name: {{.Name}}" if quiet else "name: {{.Name}}\\ndriver: {{.Driver}}\\n"
    return source


def network_format(source: str, quiet: bool) -> str:
    """network.NewFormat (an empty format means ``table``)."""
    if source in ("", "table"):
        return "{{.ID}}" if quiet else DEFAULT_NETWORK_TABLE
    if source == "raw":
        if quiet:
            return "network_id: {{.ID}}"
        return "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n"
    return source


def template_text(fmt: str) -> str:
    """formatter.Context.preFormat: drop ``table``, expand ``json``, ``\\t``, ``\\n``."""
    if fmt.startswith("table"):
        fmt = fmt[len("table"):]
    elif fmt == "json":
        fmt = "{{json .}}"
    return fmt.strip(" ").replace("\\t", "\t").replace("\\n", "\n")


def parse_template(text: str, prefix: str, parse_status: int = 1) -> gt.Template:
    """Parse ``text``; docker's error sentence starts with ``prefix``."""
    try:
        return gt.parse(text)
    except gt.TemplateError as exc:
        raise FormatError(f"{prefix}{exc}", parse_status) from None
    except gt.Unsupported as exc:
        raise FormatError(f"runmagic: {exc}", parse_status) from None


def execute(template: gt.Template, dot: gv.Value, prefix: str, **options) -> str:
    try:
        return template.execute(dot, **options)
    except (gt.ExecError, gt.TemplateError) as exc:
        raise FormatError(f"{prefix}{exc}") from None
    except (gt.Unsupported, gv.Unreproducible) as exc:
        raise FormatError(f"runmagic: {exc}") from None


@dataclass
class Rendered:
    """What a listing command prints, and its table as cells when it is one."""

    text: str
    header: list[str] | None = None
    rows: list[list[str]] | None = None

    def html(self) -> str | None:
        if self.header is None:
            return None
        return html_table(self.header, self.rows)


def with_engine_note(html: str | None, note: str) -> str | None:
    """A listing's HTML under an ``engine: ...`` line when ``note`` (``Endpoint.note``)
    names an engine other than the default one; the text form stays docker's own."""
    if html is None or not note:
        return html
    return f'<div class="runmagic-engine">engine: {escape(note)}</div>{html}'


def render(fmt: str, rows: list[gv.Value], headers: dict[str, str]) -> Rendered:
    """formatter.Context.Write: each row through the template, a header and
    the tab-writer layout for table formats."""
    template = parse_template(template_text(fmt), "template parsing error: ")
    lines = [execute(template, row, "template parsing error: ") + "\n" for row in rows]
    if not fmt.startswith("table"):
        return Rendered("".join(lines))
    header = template.execute_partial(header_value(headers), header=True)
    text = tabwrite(header + "\n" + "".join(lines))
    return Rendered(text, header.split("\t"), [line[:-1].split("\t") for line in lines])


def render_by_name(fmt: str, items: list[dict], context: gv.GoType, make_row,
                   headers: dict[str, str]) -> Rendered:
    """A listing of named objects (volumes, networks) in docker's natural order of names."""
    ordered = sorted(items, key=lambda item: natural_less_key(item.get("Name", "")))
    return render(fmt, [gv.Value(context, make_row(item)) for item in ordered], headers)
