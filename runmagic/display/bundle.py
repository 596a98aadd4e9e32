"""The display data of a panel's output. Pure.

One output per container carries everything a frontend may need, each picking what it can
show:

- ``application/vnd.jupyter.widget-view+json``: the live ipywidget, while its kernel lives;
- :data:`CONTAINER_MIME`: the container's ID and its published ports as last seen (``80/tcp``
  → ``127.0.0.1:49153``), for runmagic's JupyterLab renderer, which shows the widget where
  it lives, else the saved summary, brought back to life from the server extension while
  the container exists (the engine forgets a stopped container's host ports; the output
  remembers them);
- ``text/html`` and ``text/plain``: the summary as of the end of the cell, for exported HTML,
  GitHub, nbval and any frontend without the widget or the renderer.
"""

import json

from runmagic.display.model import ContainerState
from runmagic.display.phrases import host_address
from runmagic.display.sections import compact_html
from runmagic.display.summary import summary_bundle, summary_text

#: The mimetype runmagic's JupyterLab extension renders: JSON text (not a ``+json`` object:
#: nbval sanitizes strings only, and the ID and host ports differ every run)
#: ``{"id": CONTAINER_ID, "ports": [{"port": "80/tcp", "host": "127.0.0.1:49153"}]}``.
CONTAINER_MIME = "application/vnd.runmagic.container"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def container_bundle(state: ContainerState, widget_data: dict | None = None, *, name_given: bool = False) -> dict:
    """A container's output: summary, ID, and the widget view of ``widget_data`` (the
    widget's ``_repr_mimebundle_()``) when there is one."""
    ports = [{"port": f"{m.container_port}/{m.protocol}", "host": host_address(m)}
             for m in state.ports if m.host_port]
    container = json.dumps({"id": state.id, "ports": ports}, ensure_ascii=False)
    data = {CONTAINER_MIME: container, **summary_bundle(state, name_given=name_given)}
    if widget_data and WIDGET_VIEW_MIME in widget_data:
        data[WIDGET_VIEW_MIME] = widget_data[WIDGET_VIEW_MIME]
    return data


def compact_bundle(state: ContainerState, exit_status: int, duration: float) -> dict:
    """A finished foreground ``--rm`` run: its compact HTML and its summary text."""
    return {
        "text/html": compact_html(state, exit_status, duration),
        "text/plain": summary_text(state, exit_status=exit_status),
    }
