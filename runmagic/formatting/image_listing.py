"""docker's ``--format`` contexts for ``docker images`` and ``docker history``.

Pure: no IPython, no docker. Mirrors docker CLI v28.2's ``formatter/image.go``
and ``image/formatter_history.go``: the rows an image becomes (one per
repository and tag, digests on request), each context's methods, the default
tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from runmagic.formatting.listing import (ellipsis, human_duration, human_size, local_time_string,
                                         truncate_id)
from runmagic.golang import values as gv
from runmagic.grammar.reference import ReferenceError, familiar_string, parse_normalized_named

DEFAULT_IMAGE_TABLE = ("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t"
                       "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}")
DEFAULT_IMAGE_TABLE_DIGEST = ("table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t"
                              "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}")
DEFAULT_HISTORY_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
NON_HUMAN_HISTORY_TABLE = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"


def _string(text: str) -> gv.Value:
    return gv.Value(gv.STRING, text)


# ------------------------------------------------------------------ images


@dataclass
class ImageRow:
    summary: dict
    repository: str
    tag: str
    digest: str
    trunc: bool = True
    now: float = field(default_factory=time.time)


def _dangling(summary: dict) -> bool:
    tags, digests = summary.get("RepoTags") or [], summary.get("RepoDigests") or []
    if not tags and not digests:
        return True
    return tags == ["<none>:<none>"] and digests == ["<none>@<none>"]


def image_rows(summary: dict, trunc: bool, show_digests: bool) -> list[ImageRow]:
    """formatter.imageFormat: one row per repository:tag (per digest with --digests)."""
    if _dangling(summary):
        return [ImageRow(summary, "<none>", "<none>", "<none>", trunc)]
    tags: dict[str, list[str]] = {}
    digests: dict[str, list[str]] = {}
    for text in summary.get("RepoTags") or []:
        try:
            ref = parse_normalized_named(text)
        except ReferenceError:
            continue
        if ref.tag:
            tags.setdefault(familiar_string(ref.name), []).append(ref.tag)
    for text in summary.get("RepoDigests") or []:
        try:
            ref = parse_normalized_named(text)
        except ReferenceError:
            continue
        if ref.digest:
            digests.setdefault(familiar_string(ref.name), []).append(ref.digest)
    rows = []
    # docker walks these maps in Go's random order; insertion order is one of those orders.
    for repo, repo_tags in tags.items():
        repo_digests = digests.pop(repo, [])  # a tagged repository's digests get no rows
        if not show_digests:
            repo_digests = []
        for tag in repo_tags:
            if not repo_digests:
                rows.append(ImageRow(summary, repo, tag, "<none>", trunc))
            for digest in repo_digests:
                rows.append(ImageRow(summary, repo, tag, digest, trunc))
    for repo, repo_digests in digests.items():
        if show_digests:
            rows += [ImageRow(summary, repo, "<none>", digest, trunc) for digest in repo_digests]
        else:
            rows.append(ImageRow(summary, repo, "<none>", "", trunc))
    return rows


def _na(value, render) -> gv.Value:
    return _string("N/A" if value == -1 else render(value))


IMAGE_CONTEXT = gv.GoType("context", "*formatter.imageContext", methods={
    "ID": (lambda r: _string(truncate_id(r.summary.get("Id", "")) if r.trunc
                             else r.summary.get("Id", "")), 0),
    "Repository": (lambda r: _string(r.repository), 0),
    "Tag": (lambda r: _string(r.tag), 0),
    "Digest": (lambda r: _string(r.digest), 0),
    "CreatedSince": (lambda r: _string(
        human_duration(r.now - (r.summary.get("Created") or 0)) + " ago"), 0),
    "CreatedAt": (lambda r: _string(local_time_string(r.summary.get("Created") or 0)), 0),
    "Size": (lambda r: _string(human_size(r.summary.get("Size") or 0, 3)), 0),
    "Containers": (lambda r: _na(r.summary.get("Containers", -1), str), 0),
    "VirtualSize": (lambda r: _string(human_size(r.summary.get("Size") or 0)), 0),
    "SharedSize": (lambda r: _na(r.summary.get("SharedSize", -1), human_size), 0),
    "UniqueSize": (lambda r: _string("N/A" if -1 in (r.summary.get("Size", -1),
                                                     r.summary.get("SharedSize", -1))
                                     else human_size(r.summary["Size"] - r.summary["SharedSize"])),
                   0),
})

IMAGE_HEADERS = {
    "ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST",
    "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "Size": "SIZE",
    "Containers": "CONTAINERS", "VirtualSize": "SIZE", "SharedSize": "SHARED SIZE",
    "UniqueSize": "UNIQUE SIZE",
}


def image_format(source: str, quiet: bool, digests: bool) -> str:
    """formatter.NewImageFormat (an empty format means ``table``)."""
    if source in ("", "table"):
        if quiet:
            return "{{.ID}}"
        return DEFAULT_IMAGE_TABLE_DIGEST if digests else DEFAULT_IMAGE_TABLE
    if source == "raw":
        if quiet:
            return "image_id: {{.ID}}"
        return ("repository: {{ .Repository }}\ntag: {{.Tag}}\n"
                + ("digest: {{.Digest}}\n" if digests else "")
                + "image_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n")
    if source.startswith("table") and digests and "{{.Digest}}" not in source:
        return source + "\t{{.Digest}}"
    return source


#: ``docker images NAME`` matching nothing, where NAME is an ``image`` subcommand.
IMAGE_SUBCOMMANDS = ("build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull",
                     "push", "rm", "save", "tag")


# ------------------------------------------------------------------ history

#: Entries created before 2000 have no meaningful age.
_EPOCH = 946684800


@dataclass
class HistoryRow:
    item: dict
    trunc: bool = True
    human: bool = True
    now: float = field(default_factory=time.time)


def _rfc3339(unix_seconds: int) -> str:
    """Go's ``time.Unix(s, 0).Format(time.RFC3339)`` in the local zone."""
    moment = datetime.fromtimestamp(unix_seconds, timezone.utc).astimezone()
    offset = moment.utcoffset().total_seconds()
    if offset == 0:
        zone = "Z"
    else:
        hours, minutes = divmod(int(abs(offset)) // 60, 60)
        zone = f"{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}"
    return f"{moment:%Y-%m-%dT%H:%M:%S}{zone}"


def _created_since(row: HistoryRow) -> gv.Value:
    created = row.item.get("Created") or 0
    if not row.human:
        return _string(_rfc3339(created))
    if created <= _EPOCH:
        return _string("N/A")
    return _string(human_duration(row.now - created) + " ago")


def _created_by(row: HistoryRow) -> gv.Value:
    text = (row.item.get("CreatedBy") or "").replace("\t", " ")
    return _string(ellipsis(text, 45) if row.trunc else text)


HISTORY_CONTEXT = gv.GoType("context", "*image.historyContext", methods={
    "ID": (lambda r: _string(truncate_id(r.item.get("Id", "")) if r.trunc else r.item.get("Id", "")),
           0),
    "CreatedAt": (lambda r: _string(_rfc3339(r.item.get("Created") or 0)), 0),
    "CreatedSince": (_created_since, 0),
    "CreatedBy": (_created_by, 0),
    "Size": (lambda r: _string(human_size(r.item.get("Size") or 0, 3) if r.human
                               else str(r.item.get("Size") or 0)), 0),
    "Comment": (lambda r: _string(r.item.get("Comment") or ""), 0),
})

HISTORY_HEADERS = {
    "ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY",
    "Size": "SIZE", "Comment": "COMMENT",
}


def history_format(source: str, quiet: bool, human: bool) -> str:
    """image.NewHistoryFormat."""
    if source in ("", "table"):
        if quiet:
            return "{{.ID}}"
        return DEFAULT_HISTORY_TABLE if human else NON_HUMAN_HISTORY_TABLE
    return source
