"""Live panels for the containers the magics start, with stable summaries beside them.

- ``show_panel``: a container was created (the runner's ``on_created``): its live panel,
  and the summary that stands in for it where widgets don't render.
- ``show_compact``: a foreground ``--rm`` run ended: its compact form and summary.
- ``panel_for``: the live panel of a ContainerHandle (what ``handle.panel`` returns).

The pure parts: ``model`` (a container's state from inspect and events), ``masking``,
``phrases``, ``sections`` (the panel's HTML) and ``summary``. ``panel`` holds the
widgets and is imported only when a panel is made, so ``DockerRun.panels = False``
never loads ipywidgets.
"""

from runmagic.display.model import state_from_create
from runmagic.display.summary import summary_bundle


def show_panel(engine, container_id: str, *, name_given: bool) -> None:
    """Display the live panel of a just-created container, then its summary.
    ``name_given``: the run named the container (a generated name differs every run,
    so only a given one goes into the summary)."""
    from IPython.display import display

    from runmagic.display.panel import open_panel

    panel = open_panel(engine, container_id)
    display(panel)
    display(summary_bundle(panel.state, name_given=name_given), raw=True)


def show_compact(create_body: dict, exit_status: int, duration: float) -> None:
    """Display the compact form of a finished foreground ``--rm`` run, from its create
    request (the container is gone), then its summary."""
    from IPython.display import display

    from runmagic.display.panel import CompactRunPanel

    state = state_from_create(create_body)
    display(CompactRunPanel(state, exit_status, duration))
    display(summary_bundle(state, exit_status=exit_status), raw=True)


def panel_for(handle):
    """The live panel of ``handle``'s container (a ContainerHandle), opened if needed."""
    from runmagic.display.panel import open_panel

    return open_panel(handle.engine, handle.id)
