"""Live panels for the containers the magics start, with stable summaries in the same output.

- ``show_panel``: a container was created (the runner's ``on_created``): one output whose
  bundle holds the live panel (an ipywidget), the container's ID for runmagic's JupyterLab
  renderer, and the summary (text/html, text/plain) that stands in wherever the widget can't
  live: exported HTML, a reopened notebook whose kernel is gone, nbval. At the end of the
  cell the output is updated to the state then (the host ports the engine picked).
- ``show_compact``: a foreground ``--rm`` run ended: its compact form, plain HTML and text.
- ``panel_for``: the live panel of a ContainerHandle (what ``handle.panel`` returns).

The pure parts: ``model`` (a container's state from inspect and events), ``masking``,
``phrases``, ``sections`` (the panel's HTML), ``summary`` and ``bundle``. ``panel`` holds the
widgets and is imported only when a panel is made, so ``DockerRun.panels = False``
never loads ipywidgets.
"""

from runmagic.display.bundle import compact_bundle, container_bundle
from runmagic.display.model import state_from_create
from runmagic.errors import DockerError


def show_panel(engine, container_id: str, *, name_given: bool) -> None:
    """Display the live panel of a just-created container with its summary, and update that
    output once the cell ends, when the engine has bound the ports it picked.
    ``name_given``: the run named the container (a generated name differs every run,
    so only a given one goes into the summary)."""
    from IPython import get_ipython
    from IPython.display import display

    from runmagic.display.panel import open_panel

    panel = open_panel(engine, container_id)

    def bundle():
        return container_bundle(panel.state, panel._repr_mimebundle_(), name_given=name_given)

    handle = display(bundle(), raw=True, display_id=True)
    shell = get_ipython()
    if shell is None or handle is None:
        return

    def at_cell_end(*_):
        shell.events.unregister("post_run_cell", at_cell_end)
        # The start event may still be on its way to the watcher: the ports the engine
        # bound are read now, so the saved summary has them.
        try:
            panel.refresh()
        except DockerError:
            pass  # the engine went away: the summary keeps what was known
        handle.update(bundle(), raw=True)

    shell.events.register("post_run_cell", at_cell_end)


def show_compact(create_body: dict, exit_status: int, duration: float) -> None:
    """Display the compact form of a finished foreground ``--rm`` run, from its create
    request (the container is gone): no widget, nothing that needs a kernel to show."""
    from IPython.display import display

    display(compact_bundle(state_from_create(create_body), exit_status, duration), raw=True)


def panel_for(handle):
    """The live panel of ``handle``'s container (a ContainerHandle), opened if needed."""
    from runmagic.display.panel import open_panel

    return open_panel(handle.engine, handle.id)
