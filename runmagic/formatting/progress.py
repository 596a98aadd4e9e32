"""The state of an image pull, drawn as text and HTML that a notebook can update in place.

Pure. The engine streams JSON messages (``{"id": layer, "status": ...,
"progressDetail": {"current": n, "total": m}}``). :class:`PullProgress`
keeps one entry per layer and renders three forms:

* ``transcript()``: what ``docker pull`` prints when its output is not a
  terminal (status changes only, no bars) -- the plain-text form that needs
  no cursor movement;
* ``text()``: per-layer bars and an overall line, to replace in place;
* ``html()``: the same as an HTML table with progress bars.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from runmagic.formatting.listing import human_size

#: Statuses whose byte counts give the layer's size.
_SIZED = ("Downloading", "Extracting")
_DONE = ("Pull complete", "Already exists")
BAR_WIDTH = 50


@dataclass
class Layer:
    id: str
    status: str = ""
    current: int = 0
    total: int = 0
    downloaded: int = 0  # bytes, kept after the layer moves on to extracting
    size: int = 0

    @property
    def done(self) -> bool:
        return self.status in _DONE


@dataclass
class PullProgress:
    """Everything the engine said about one pull so far."""

    layers: dict[str, Layer] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # the non-terminal transcript
    error: str = ""
    finished: bool = False

    def feed(self, message: dict) -> None:
        if "error" in message or "errorDetail" in message:
            detail = message.get("errorDetail") or {}
            self.error = detail.get("message") or message.get("error") or "unknown error"
            return
        if "aux" in message:
            return
        status = message.get("status", "")
        layer_id = message.get("id", "")
        detail = message.get("progressDetail") or {}
        has_bar = bool(detail.get("current") or detail.get("total"))
        # As in docker's display, a message with an ID and progress details
        # (even empty ones) is about a layer; others (the tag's) are headers.
        if layer_id and "progressDetail" in message:
            self._update_layer(layer_id, status, detail)
        if has_bar:
            return  # docker leaves progress bars out of non-terminal output
        prefix = f"{layer_id}: " if layer_id else ""
        self.lines.append(f"{prefix}{status}\n")

    def _update_layer(self, layer_id: str, status: str, detail: dict) -> None:
        layer = self.layers.setdefault(layer_id, Layer(layer_id))
        layer.status = status
        layer.current = int(detail.get("current") or 0)
        layer.total = int(detail.get("total") or 0)
        if status in _SIZED and layer.total:
            layer.size = layer.total
        if status == "Downloading":
            layer.downloaded = layer.current
        elif status in ("Download complete", "Verifying Checksum", "Extracting", "Pull complete"):
            layer.downloaded = layer.size

    # -- rendering ------------------------------------------------------------

    def transcript(self) -> str:
        return "".join(self.lines)

    def _to_fetch(self) -> list[Layer]:
        return [layer for layer in self.layers.values() if layer.status != "Already exists"]

    def overall(self) -> str:
        """One line: layers done and bytes downloaded of those known."""
        fetch = self._to_fetch()
        done = sum(1 for layer in fetch if layer.done)
        known = sum(layer.size for layer in fetch)
        got = sum(min(layer.downloaded, layer.size) for layer in fetch)
        text = f"{done}/{len(fetch)} layers complete"
        if known:
            text += f", {human_size(got)}/{human_size(known)} downloaded ({got * 100 // known}%)"
        return text

    def _headers(self) -> list[str]:
        """The transcript's lines that are not about a layer ("v1: Pulling from ...")."""
        return [line for line in self.lines if line.split(":", 1)[0] not in self.layers]

    def text(self) -> str:
        """Per-layer lines with bars, then the overall line; the transcript once finished."""
        if self.finished:
            return self.transcript()
        out = self._headers()[:1]
        out += [f"{layer.id}: {layer.status}{_bar(layer)}\n" for layer in self.layers.values()]
        out.append(self.overall() + "\n")
        return "".join(out)

    def html(self) -> str:
        rows = []
        for layer in self.layers.values():
            fraction = layer.current / layer.total if layer.total else (1.0 if layer.done else 0.0)
            counts = f"{human_size(layer.current)}/{human_size(layer.total)}" if layer.total else ""
            rows.append(
                f"<tr><td><code>{html.escape(layer.id)}</code></td>"
                f"<td>{html.escape(layer.status)}</td>"
                f'<td><progress value="{fraction:.3f}" max="1" style="width:12em"></progress></td>'
                f"<td>{html.escape(counts)}</td></tr>")
        headers = self._headers()
        title = headers[0].strip() if headers else "Pulling"
        footer = self.lines[-1].strip() if self.finished and self.lines else self.overall()
        return (f'<div class="runmagic-pull"><div>{html.escape(title)}</div>'
                f"<table>{''.join(rows)}</table><div>{html.escape(footer)}</div></div>")


def _bar(layer: Layer) -> str:
    if not layer.total:
        return ""
    filled = min(layer.current * BAR_WIDTH // layer.total, BAR_WIDTH)
    return (f" [{'=' * filled}>{' ' * (BAR_WIDTH - filled)}] "
            f"{human_size(layer.current)}/{human_size(layer.total)}")
