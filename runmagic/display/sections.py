"""The HTML of each part of a live panel. Pure: the widgets only hold these strings.

Styles are inline: an HTML widget's value is all that travels to the browser
and into the saved widget state.
"""

from html import escape

from runmagic.display.model import ContainerState
from runmagic.display.phrases import duration_phrase, host_address, mount_phrase, port_phrase, port_url, restart_phrase, time_phrase

BADGE_COLOURS = {
    "created": "#6c757d",
    "running": "#2e7d32",
    "restarting": "#ef6c00",
    "paused": "#8d6e00",
    "removing": "#6c757d",
    "exited": "#455a64",
    "dead": "#c62828",
    "removed": "#424242",
}
_FAILED = "#c62828"
_MUTED = "color:var(--jp-ui-font-color2, #666)"
_TABLE = '<table style="border-collapse:collapse;margin:2px 0">'
_CELL = 'style="text-align:left;padding:1px 12px 1px 0;vertical-align:top"'


def badge_colour(state: ContainerState) -> str:
    if state.status in ("exited", "dead") and state.exit_code:
        return _FAILED
    return BADGE_COLOURS.get(state.status, "#6c757d")


def badge_html(state: ContainerState) -> str:
    return (f'<span class="runmagic-badge" data-status="{escape(state.status)}" '
            f'style="background:{badge_colour(state)};color:white;border-radius:4px;'
            f'padding:1px 6px;font-size:90%">{escape(state.badge)}</span>')


def _when(state: ContainerState) -> str:
    if state.status in ("running", "paused") and state.started_at:
        return f"up since {time_phrase(state.started_at)}"
    if state.status == "restarting" and state.finished_at:
        return f"restarting after an exit at {time_phrase(state.finished_at)}"
    if state.status == "removed" and state.exit_code is not None:
        return f"after exiting with status {state.exit_code}"
    if state.finished_at:
        return f"exited at {time_phrase(state.finished_at)}"
    if state.created_at:
        return f"created at {time_phrase(state.created_at)}"
    return ""


def terminal_badge_html(state: ContainerState) -> str:
    """"attached" or "detached" beside a running TTY container's status; "" otherwise."""
    if not state.terminal:
        return ""
    return (f' <span class="runmagic-terminal" data-terminal="{state.terminal}" '
            f'style="border:1px solid currentColor;border-radius:4px;padding:0 5px;font-size:90%;{_MUTED}">'
            f"{state.terminal}</span>")


def header_html(state: ContainerState, engine: str = "") -> str:
    """``engine``: the engine's description when it is not the default one."""
    restarts = ""
    if state.restart_policy.restarts and state.restart_count:
        restarts = f' <span style="{_MUTED}">· restarted {state.restart_count}×</span>'
    engine_line = f'<div class="runmagic-engine" style="{_MUTED}">engine: {escape(engine)}</div>' if engine else ""
    return (f"<div><b>{escape(state.name)}</b> "
            f'<span style="{_MUTED};font-family:monospace">{escape(state.short_id)}</span> '
            f"{badge_html(state)}{terminal_badge_html(state)} "
            f'<span style="{_MUTED}">{escape(_when(state))}</span>{restarts}</div>'
            f"<div><code>{escape(state.command_line)}</code></div>{engine_line}")


def attach_command(state: ContainerState) -> str:
    return f"%docker_attach {state.name or state.id}"


def terminal_html(state: ContainerState) -> str:
    """A detached TTY container's way back: the ``%docker_attach`` line and an Attach button.
    A widget's click reaches only the kernel, which cannot add a cell (and while a cell runs,
    not even that): runmagic's JupyterLab extension inserts the cell the button's
    ``data-runmagic-insert-cell`` names; elsewhere the line is there to copy."""
    if state.terminal == "attached":
        return _line("Terminal", ["attached; its detach keys (Ctrl-P Ctrl-Q by default) leave it running"])
    if state.terminal != "detached":
        return ""
    command = escape(attach_command(state))
    button = (f'<button class="runmagic-attach" data-runmagic-insert-cell="{command}" '
              f'title="Insert a {command} cell below">Attach</button>')
    return _line("Terminal", [f"detached, still running: {button} <code>{command}</code>"])


def _section(title: str, rows: list[list[str]]) -> str:
    """A titled table; cells are HTML already."""
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<div><b>{escape(title)}</b>{_TABLE}{body}</table></div>"


def _line(title: str, items: list[str]) -> str:
    """A labelled line of items (HTML already), for what the folded panel shows first."""
    return (f'<div><span style="{_MUTED}">{escape(title)}</span> '
            + '<span style="padding:0 0.6em">·</span>'.join(items) + "</div>")


def ports_html(state: ContainerState, proxy_base: str | None, remote_host: str | None = None) -> str:
    if state.ports_discarded:
        return _line("Ports", ["published ports are discarded when using host network mode"])
    if not state.ports:
        return ""
    items = []
    for mapping in state.ports:
        address = escape(host_address(mapping))
        url = port_url(mapping, proxy_base, remote_host) if state.ports_bound else None
        if url:
            address = (f'<a class="runmagic-port-link" href="{escape(url)}" target="_blank" '
                       f'rel="noopener" style="color:var(--jp-content-link-color, #1976d2)">{address}</a>')
        elif not mapping.host_port:
            address += f' <span style="{_MUTED}">(assigned when the container starts)</span>'
        elif state.status != "removed":
            address += f' <span style="{_MUTED}">(while it ran)</span>'
        items.append(f"{escape(mapping.container_port)}/{escape(mapping.protocol)} → {address}")
    return _line("Ports", items)


def mounts_html(state: ContainerState) -> str:
    if not state.mounts:
        return ""
    return _line("Mounts", [escape(mount_phrase(mount)) for mount in state.mounts])


def restart_html(state: ContainerState) -> str:
    if not state.restart_policy.restarts:
        return ""
    caused_by = "—" if state.restart_exit_code is None else str(state.restart_exit_code)
    rows = [
        ["policy", escape(restart_phrase(state.restart_policy))],
        ["restarts", f'<span class="runmagic-restart-count">{state.restart_count}</span>'],
        ["last start", escape(time_phrase(state.started_at) or "—")],
        ["last exit", escape(time_phrase(state.finished_at) or "—")],
        ["exit that caused the last restart", escape(caused_by)],
    ]
    return _section("Restart", rows)


def env_html(state: ContainerState) -> str:
    if not state.env:
        return ""
    return _section("Environment", [[f"<code>{escape(name)}={escape(value)}</code>"] for name, value in state.env])


def warnings_html(state: ContainerState) -> str:
    return "".join(f'<div style="color:#b26a00">⚠ {escape(warning)}</div>' for warning in state.warnings)


def details_html(state: ContainerState) -> str:
    """What a panel folds: the full ID, the restart history, the environment."""
    parts = [restart_html(state), env_html(state)]
    if state.id:
        parts.insert(0, f'<div><span style="{_MUTED}">ID</span> <code>{escape(state.id)}</code></div>')
    inner = "".join(parts)
    if not inner:
        return ""
    return (f'<details class="runmagic-details"><summary style="cursor:pointer;{_MUTED}">details</summary>'
            f"{inner}</details>")


def panel_html(state: ContainerState, proxy_base: str | None, remote_host: str | None = None,
               engine: str = "") -> str:
    """Everything a live panel shows above its buttons: state, the engine when it is not the
    default one (``Endpoint.note``), a TTY's terminal, ports, mounts and warnings first, the
    rest folded; empty parts are left out. Port links follow
    :func:`~runmagic.display.phrases.port_url`."""
    return "".join((header_html(state, engine), terminal_html(state),
                    ports_html(state, proxy_base, remote_host), mounts_html(state),
                    warnings_html(state), details_html(state)))


def logs_html(text: str, lines: int) -> str:
    """A log tail, already bounded by the caller."""
    return (f'<div style="{_MUTED}">last {lines} lines</div>'
            f'<pre style="max-height:20em;overflow:auto;margin:0;font-size:90%">{escape(text)}</pre>')


def compact_html(state: ContainerState, exit_status: int, duration: float) -> str:
    """A finished foreground ``--rm`` run, in one or a few lines."""
    colour = _FAILED if exit_status else BADGE_COLOURS["exited"]
    title = (f'<code>{escape(state.command_line)}</code> '
             f'<span style="background:{colour};color:white;border-radius:4px;padding:1px 6px;'
             f'font-size:90%">exit status {exit_status}</span> '
             f'<span style="{_MUTED}">in {escape(duration_phrase(duration))}</span>')
    parts = [title]
    if state.ports:
        parts.append("ports: " + escape(", ".join(port_phrase(m) for m in state.ports)))
    if state.mounts:
        parts.append("mounts: " + escape(", ".join(mount_phrase(m) for m in state.mounts)))
    return "<br>".join(parts)
