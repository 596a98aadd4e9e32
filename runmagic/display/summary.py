"""The stable plain-text and HTML summaries shown beside every panel. Pure.

They stand in for the live panel wherever widgets don't render (nbconvert
HTML offline, GitHub, nbval, a notebook reopened without its kernel), so they
hold only what two identical runs share beside the host ports the engine picks:
what was asked for (the command, a given name, ports, mounts, the restart
policy, the environment, warnings) and, for a finished run, its exit status.
No ID, no generated name, no time. A random host port reads ``random`` until the
engine picks it: the output is updated at the end of the cell (see ``__init__``),
so a saved notebook holds the port, and nbval compares the first form (sanitize
host ports, as container IDs).
"""

from html import escape

from runmagic.display.model import ContainerState
from runmagic.display.phrases import mount_phrase, port_phrase, restart_phrase

def _rows(state: ContainerState, *, name_given: bool, full: bool) -> list[tuple[str, list[str]]]:
    """(label, lines) of the summary; a compact one keeps only ports and mounts."""
    rows = []
    if full and name_given and state.name:
        rows.append(("name", [state.name]))
    if state.ports:
        rows.append(("ports", [port_phrase(p) for p in state.ports]))
    if state.ports_discarded:
        rows.append(("ports", ["discarded: the host network mode publishes nothing"]))
    if state.mounts:
        rows.append(("mounts", [mount_phrase(m) for m in state.mounts]))
    if full:
        if state.restart_policy.restarts:
            rows.append(("restart", [restart_phrase(state.restart_policy)]))
        if state.env:
            rows.append(("env", [f"{name}={value}" for name, value in state.env]))
        rows += [("warning", [warning]) for warning in state.warnings]
    return rows


def _title(state: ContainerState, exit_status: int | None) -> str:
    if exit_status is None:
        return state.command_line
    return f"{state.command_line}: exit status {exit_status}"


def summary_text(state: ContainerState, *, name_given: bool = False, exit_status: int | None = None) -> str:
    """``exit_status`` makes it the compact summary of a finished run."""
    full = exit_status is None
    lines = [_title(state, exit_status)]
    for label, values in _rows(state, name_given=name_given, full=full):
        for index, value in enumerate(values):
            lines.append(f"  {label if index == 0 else '':<8} {value}".rstrip())
    return "\n".join(lines)


def summary_html(state: ContainerState, *, name_given: bool = False, exit_status: int | None = None) -> str:
    full = exit_status is None
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:1em;vertical-align:top">{escape(label)}</th>'
        f'<td style="text-align:left">{"<br>".join(escape(v) for v in values)}</td></tr>'
        for label, values in _rows(state, name_given=name_given, full=full))
    table = f"<table>{cells}</table>" if cells else ""
    return (f'<div class="runmagic-summary">'
            f"<code>{escape(_title(state, exit_status))}</code>{table}</div>")


def summary_bundle(state: ContainerState, *, name_given: bool = False, exit_status: int | None = None) -> dict:
    """The display data of a summary: text/plain and text/html."""
    return {
        "text/plain": summary_text(state, name_given=name_given, exit_status=exit_status),
        "text/html": summary_html(state, name_given=name_given, exit_status=exit_status),
    }
