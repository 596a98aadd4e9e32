"""The image explorer in a notebook: ``%docker_image inspect IMAGE``.

The analysis runs in the kernel, reading the engine's export as it streams,
behind a progress bar (bytes read of the image's size) kept current through a
display handle. The output then holds the explorer three ways, each frontend
picking what it can show:

- :data:`EXPLORER_MIME`: the model (:mod:`runmagic.explore.report`) as JSON text, which
  runmagic's JupyterLab renderer turns into the interactive explorer (expandable layers and
  tree, the buttons that insert cells);
- ``text/html``: the same explorer without script (``<details>``), for exported HTML and
  frontends without the extension;
- ``text/plain``: its text form (config, layers, waste, the lines the buttons insert).

HTML and text are pure functions of the model.
"""

from __future__ import annotations

import json
from html import escape

from runmagic.explore.analysis import analyse_stream
from runmagic.explore.report import explorer_model
from runmagic.formatting.listing import human_size
from runmagic.result import CommandOutput, ShownOnceInItsCell, _shown_in_this_cell, execution_count

EXPLORER_MIME = "application/vnd.runmagic.image-explorer"
#: Tree nodes the HTML form shows at most (the renderer shows them all).
HTML_TREE_NODES = 2000
_MUTED = "color:var(--jp-ui-font-color2, #666)"
_CELL = 'style="text-align:left;padding:1px 12px 1px 0;vertical-align:top"'
_MONO = "font-family:var(--jp-code-font-family, monospace)"


def size_text(size: int) -> str:
    return human_size(size, 3)


def efficiency_text(score: float) -> str:
    return f"{score * 100:.2f} %"


# -- text ---------------------------------------------------------------------

def _config_lines(config: dict) -> list[str]:
    rows = [
        ("Platform", config["platform"]),
        ("Entrypoint", json.dumps(config["entrypoint"]) if config["entrypoint"] else ""),
        ("Cmd", json.dumps(config["cmd"]) if config["cmd"] else ""),
        ("Working dir", config["working_dir"]),
        ("User", config["user"]),
        ("Exposed ports", ", ".join(config["exposed_ports"])),
        ("Volumes", ", ".join(config["volumes"])),
        ("Stop signal", config["stop_signal"]),
        ("Healthcheck", " ".join(config["healthcheck"]["test"]) if config["healthcheck"] else ""),
    ]
    lines = [f"  {name}: {value}" for name, value in rows if value]
    lines += [f"  Env: {name}={value}" for name, value in config["env"]]
    lines += [f"  Label: {name}={value}" for name, value in config["labels"]]
    return lines


def explorer_text(model: dict) -> str:
    waste = model["waste"]
    lines = [f"Image {model['ref']} ({model['id'][7:19]}), {size_text(waste['size_bytes'])}, "
             f"{len(model['layers'])} layers", "Config:", *_config_lines(model["config"]), "Layers:"]
    for layer in model["layers"]:
        lines.append(f"  {layer['index']:>3}  {size_text(layer['size']):>8}  {layer['digest'][7:19]}  "
                     f"{layer['command']}")
        lines.append(f"       added {layer['added']['count']}, modified {layer['modified']['count']}, "
                     f"removed {layer['removed']['count']}")
    lines.append(f"Wasted space: {size_text(waste['wasted_bytes'])} "
                 f"(efficiency {efficiency_text(waste['efficiency'])})")
    lines += [f"  {f['count']}x {size_text(f['size']):>8}  {f['path']}" for f in waste["files"][:10]]
    lines += [f"Run a shell here: {model['lines']['shell']}",
              f"Insert a run cell: {model['lines']['run']}"]
    return "\n".join(lines)


# -- HTML ---------------------------------------------------------------------

def _config_html(config: dict) -> str:
    rows = [(line.split(": ", 1)) for line in _config_lines(config)]
    return "<table>" + "".join(
        f"<tr><th {_CELL}>{escape(name.strip())}</th><td {_CELL}><code>{escape(value)}</code></td></tr>"
        for name, value in rows) + "</table>"


def _changes_html(kind: str, changes: dict) -> str:
    if not changes["count"]:
        return ""
    items = "".join(f"<li><code>{escape(c['path'])}</code> {size_text(c['size'])}</li>"
                    for c in changes["items"])
    more = changes["count"] - len(changes["items"])
    tail = f"<li style='{_MUTED}'>… {more} more</li>" if more > 0 else ""
    return (f"<details class='rm-changes' data-kind='{kind}'><summary>{kind} {changes['count']} "
            f"({size_text(changes['bytes'])})</summary><ul>{items}{tail}</ul></details>")


def _layers_html(model: dict) -> str:
    parts = []
    for layer in model["layers"]:
        changes = "".join(_changes_html(kind, layer[kind]) for kind in ("added", "modified", "removed"))
        parts.append(
            f"<details class='rm-layer' data-index='{layer['index']}'><summary>"
            f"<b>{layer['index']}</b> {size_text(layer['size'])} "
            f"<code>{escape(layer['command'])}</code> "
            f"<span style='{_MUTED}'>{escape(layer['digest'][:19])}</span></summary>"
            f"{changes or '<i>no files</i>'}</details>")
    return "".join(parts)


def _tree_html(nodes: list[dict], budget: list[int]) -> str:
    items = []
    for node in nodes:
        if budget[0] <= 0:
            items.append(f"<li style='{_MUTED}'>…</li>")
            break
        budget[0] -= 1
        layer = "" if node["layer"] is None else f" <span style='{_MUTED}'>layer {node['layer']}</span>"
        target = f" → {escape(node['target'])}" if "target" in node else ""
        label = f"<code>{escape(node['name'])}</code>{target} {size_text(node['size'])}{layer}"
        if "children" in node:
            items.append(f"<li><details><summary>{label}</summary>"
                         f"{_tree_html(node['children'], budget)}</details></li>")
        else:
            more = f" <span style='{_MUTED}'>({node['more']} entries)</span>" if "more" in node else ""
            items.append(f"<li>{label}{more}</li>")
    return "<ul style='list-style:none;padding-left:1.2em;margin:0'>" + "".join(items) + "</ul>"


def _waste_html(waste: dict) -> str:
    rows = "".join(f"<tr><td {_CELL}>{f['count']}</td><td {_CELL}>{size_text(f['size'])}</td>"
                   f"<td {_CELL}><code>{escape(f['path'])}</code></td></tr>" for f in waste["files"])
    table = (f"<table><tr><th {_CELL}>Count</th><th {_CELL}>Total</th><th {_CELL}>Path</th></tr>"
             f"{rows}</table>") if rows else ""
    return (f"<p class='rm-waste'>Wasted space: <b>{size_text(waste['wasted_bytes'])}</b>, "
            f"efficiency <b>{efficiency_text(waste['efficiency'])}</b> "
            f"(image {size_text(waste['size_bytes'])})</p>{table}")


def explorer_html(model: dict) -> str:
    lines = model["lines"]
    return (
        f"<div class='runmagic-image-explorer' style='{_MONO}'>"
        f"<h4 style='margin:2px 0'>{escape(model['ref'])} <span style='{_MUTED}'>"
        f"{escape(model['id'][7:19])}</span></h4>"
        f"<details open><summary>Config</summary>{_config_html(model['config'])}</details>"
        f"<details><summary>Layers ({len(model['layers'])})</summary>{_layers_html(model)}</details>"
        f"<details><summary>Files</summary>{_tree_html(model['tree']['children'], [HTML_TREE_NODES])}"
        f"</details>{_waste_html(model['waste'])}"
        f"<p>Run a shell here: <code>{escape(lines['shell'])}</code><br>"
        f"Insert a run cell: <code>{escape(lines['run'])}</code></p></div>")


def explorer_bundle(model: dict) -> dict:
    return {EXPLORER_MIME: json.dumps(model, ensure_ascii=False),
            "text/html": explorer_html(model), "text/plain": explorer_text(model)}


def progress_bundle(ref: str, done: int, total: int) -> dict:
    shown = f"{size_text(done)} of {size_text(total)}" if total else size_text(done)
    return {"text/html": f"<div class='runmagic-image-progress'>Reading the layers of "
                         f"<code>{escape(ref)}</code>: <progress value='{min(done, total)}' "
                         f"max='{total}'></progress> {shown}</div>",
            "text/plain": f"Reading the layers of {ref}: {shown}"}


# -- in the kernel -------------------------------------------------------------

class ImageExplorer(CommandOutput, ShownOnceInItsCell):
    """What ``%docker_image inspect IMAGE`` returns: ``text`` is docker's output, ``data``
    the engine's JSON, ``model`` the explorer; shown as the explorer when evaluated later."""

    def __init__(self, inspected: CommandOutput, model: dict):
        super().__init__(inspected.text, None, inspected.data)
        self.model = model
        self._created_in = execution_count()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return explorer_bundle(self.model)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if not _shown_in_this_cell(self._created_in):
            display(explorer_bundle(self.model), raw=True)


def explore(engine, ref: str, inspected: CommandOutput) -> ImageExplorer:
    """Analyse ``ref`` (already inspected) behind a progress bar, then show the explorer."""
    from IPython.display import display

    image = inspected.data[0]
    total = int(image.get("Size") or 0)
    handle = display(progress_bundle(ref, 0, total), raw=True, display_id=True)

    def report(done: int) -> None:
        if handle is not None:
            handle.update(progress_bundle(ref, done, total), raw=True)

    analysis = analyse_stream(image["Id"], lambda: engine.export_image(image["Id"]), report)
    model = explorer_model(ref, image, analysis)
    if handle is not None:
        handle.update(explorer_bundle(model), raw=True)
    else:
        display(explorer_bundle(model), raw=True)
    return ImageExplorer(inspected, model)
