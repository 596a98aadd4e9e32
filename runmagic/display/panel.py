"""The widgets: a live panel per container, a compact form per finished ``--rm`` run.

The only module that imports ipywidgets. A panel is a VBox of an HTML widget
whose value comes from sections.py, and of action buttons; every widget costs
comm messages when it is made, so there are few. The event watcher
calls ``_on_event`` in its own thread; the panel re-inspects the container
and sets widget values, which ipywidgets sends as comm messages to the
output the panel lives in, whichever cell runs at the time. Actions run in a
thread of their own so that a slow stop (a PID 1 that ignores SIGTERM waits
out its stop timeout) never blocks the kernel.
"""

import importlib.util
import os
import threading
from html import escape

import ipywidgets as widgets

from runmagic.engine import watcher as events
from runmagic.display import model, sections
from runmagic.display.model import ContainerState
from runmagic.display.phrases import engine_host

#: The logs view shows at most this many last lines, and at most this many bytes of them.
LOG_TAIL_LINES = 200
LOG_TAIL_BYTES = 64 * 1024

_HIDDEN = "none"
_STOPPABLE = ("running", "restarting", "paused")


def proxy_base() -> str | None:
    """The server's base URL when jupyter-server-proxy is installed (its ``/proxy/<port>/``
    reaches ports on the server's host, also on JupyterHub and Binder), else None."""
    if importlib.util.find_spec("jupyter_server_proxy") is None:
        return None
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    return prefix if prefix.endswith("/") else prefix + "/"


def network_default_ip(control, info: dict) -> str:
    """Where the container's network binds ports published without an address
    (``com.docker.network.bridge.host_binding_ipv4``, or the daemon's ``--ip``); "" for
    every interface, and for networks that publish nothing (none, host, container:...)."""
    mode = (info.get("HostConfig") or {}).get("NetworkMode") or "default"
    if mode in ("none", "host") or mode.startswith("container:"):
        return ""
    return model.default_host_ip(control.network("bridge" if mode == "default" else mode))


def _error_html(text: str) -> str:
    return f'<span style="color:#c62828">{escape(text)}</span>'


class ContainerPanel(widgets.VBox):
    """What ``docker ps``, ``port``, ``inspect`` and ``events`` tell about one container,
    kept current, with Stop, Restart, Remove and Logs."""

    def __init__(self, control: events.ContainerControl, state: ContainerState, *, image_env=(),
                 proxy_base: str | None = None, default_ip: str = ""):
        super().__init__()
        self.add_class("runmagic-panel")
        self._control = control
        self._image_env = list(image_env)
        self._default_ip = default_ip
        self._proxy_base = proxy_base
        self._lock = threading.Lock()
        self._subscription: events.Subscription | None = None
        # The text/plain repr goes into notebooks and nbval compares it: what was run, nothing live.
        self._title = state.command_line
        self.state = state

        self.info = widgets.HTML()
        self.stop_button = widgets.Button(description="Stop", icon="stop", tooltip="docker stop")
        self.restart_button = widgets.Button(description="Restart", icon="refresh", tooltip="docker restart")
        self.remove_button = widgets.Button(description="Remove", icon="trash", tooltip="docker rm -f")
        self.logs_button = widgets.Button(
            description="Logs", icon="align-left", tooltip=f"docker logs --tail {LOG_TAIL_LINES}")
        self.confirm_remove_button = widgets.Button(description="Remove", button_style="danger")
        self.cancel_remove_button = widgets.Button(description="Cancel")
        self.confirm_row = widgets.HBox([
            widgets.HTML("Remove this container? A running one is killed; its anonymous volumes stay."),
            self.confirm_remove_button, self.cancel_remove_button,
        ], layout=widgets.Layout(display=_HIDDEN))
        self.message = widgets.HTML()
        self.logs = widgets.HTML(layout=widgets.Layout(display=_HIDDEN))

        self.stop_button.on_click(lambda _: self._act("stop", control.stop))
        self.restart_button.on_click(lambda _: self._act("restart", control.restart))
        self.remove_button.on_click(lambda _: self._ask_to_remove())
        self.confirm_remove_button.on_click(lambda _: self._remove())
        self.cancel_remove_button.on_click(lambda _: self._hide(self.confirm_row))
        self.logs_button.on_click(lambda _: self._toggle_logs())

        self.actions = widgets.HBox([self.stop_button, self.restart_button, self.remove_button, self.logs_button])
        self.children = [self.info, self.actions, self.confirm_row, self.message, self.logs]
        self._show(state)

    def __repr__(self) -> str:
        return f"ContainerPanel({self._title})"

    # -- live state ------------------------------------------------------------

    def watch_events(self, watcher: events.EventWatcher) -> None:
        """Keep the panel current from ``watcher``'s events until the container is gone."""
        if self.state.status == "removed":
            return
        self._subscription = watcher.watch(
            self._control.container_id, self._on_event,
            since=events.engine_nanos(self.state.created_at) if self.state.created_at else None)

    @property
    def live(self) -> bool:
        return self._subscription is not None

    def refresh(self) -> None:
        """Inspect the container now, rather than when its next event arrives."""
        self._on_event(None)

    def _on_event(self, event: dict | None) -> None:
        action = (event or {}).get("Action")
        if action == "destroy":
            self._show(model.removed(self.state))
            return
        died_with = None
        if action == "die":
            died_with = int(event["Actor"]["Attributes"].get("exitCode", 0))
        info = self._control.inspect()
        if info is None:
            self._show(model.removed(self.state))
        else:
            self._show(model.follow(
                self.state, model.state_from_inspect(info, self._image_env, self._default_ip), died_with,
                action))

    def _show(self, state: ContainerState) -> None:
        with self._lock:
            self.state = state
            endpoint = self._control.engine.endpoint
            self.info.value = sections.panel_html(state, self._proxy_base, engine_host(endpoint.host),
                                                  endpoint.note)
            gone = state.status in ("removed", "removing")
            self.stop_button.disabled = state.status not in _STOPPABLE
            self.restart_button.disabled = gone
            self.remove_button.disabled = gone
            self.logs_button.disabled = gone
            if gone:
                self._hide(self.confirm_row)
                self._hide(self.logs)
                self.logs_button.description = "Logs"
        if state.status == "removed":
            self._stop_following()

    @staticmethod
    def _hide(widget) -> None:
        widget.layout.display = _HIDDEN

    def _stop_following(self) -> None:
        subscription, self._subscription = self._subscription, None
        if subscription is not None:
            subscription.cancel()
        _forget(self)

    def close(self) -> None:
        self._stop_following()
        for child in [*self.children, *self.actions.children, *self.confirm_row.children]:
            child.close()
        super().close()

    # -- actions ---------------------------------------------------------------

    def _act(self, verb: str, action) -> None:
        """Run ``action`` in a thread; the watcher shows its effect, the message its failure."""
        self.message.value = f"{escape(verb)}…"

        def run():
            try:
                action()
            except Exception as exc:  # whatever the engine refuses is the user's to read
                self.message.value = _error_html(f"{verb} failed: {events.action_error(exc)}")
            else:
                self.message.value = ""

        threading.Thread(target=run, name=f"runmagic-{verb}", daemon=True).start()

    def _ask_to_remove(self) -> None:
        self.confirm_row.layout.display = "flex"

    def _remove(self) -> None:
        self._hide(self.confirm_row)
        self._act("remove", self._control.remove)

    def _toggle_logs(self) -> None:
        if self.logs.layout.display != _HIDDEN:
            self._hide(self.logs)
            self.logs_button.description = "Logs"
            return

        def fetch():
            text = self._control.logs_tail(LOG_TAIL_LINES, LOG_TAIL_BYTES)
            self.logs.value = sections.logs_html(self.state.redact(text), LOG_TAIL_LINES)
            self.logs.layout.display = None
            self.logs_button.description = "Hide logs"

        self._act("logs", fetch)


class CompactRunPanel(widgets.HTML):
    """A finished foreground ``--rm`` run: exit status, duration, ports and mounts."""

    def __init__(self, state: ContainerState, exit_status: int, duration: float):
        super().__init__(value=sections.compact_html(state, exit_status, duration))
        self.add_class("runmagic-panel")
        self._title = f"{state.command_line}: exit status {exit_status}"

    def __repr__(self) -> str:
        return f"CompactRunPanel({self._title})"


# The live panel of each container, so that a handle's ``panel`` is the one shown.
_panels: dict[str, ContainerPanel] = {}
_panels_lock = threading.Lock()


def _forget(panel: ContainerPanel) -> None:
    with _panels_lock:
        if _panels.get(panel._control.container_id) is panel:
            del _panels[panel._control.container_id]


def open_panel(engine, container_id: str) -> ContainerPanel:
    """The container's live panel: the one already open, else a new one that follows
    the engine's events."""
    with _panels_lock:
        panel = _panels.get(container_id)
        if panel is not None:
            return panel
        control = events.ContainerControl(engine, container_id)
        info = control.inspect()
        if info is None:
            raise LookupError(f"No such container: {container_id}")
        image_env = control.image_env(info.get("Image") or "")
        default_ip = network_default_ip(control, info)
        panel = ContainerPanel(control, model.state_from_inspect(info, image_env, default_ip),
                               image_env=image_env, proxy_base=proxy_base(), default_ip=default_ip)
        _panels[container_id] = panel
    panel.watch_events(events.watcher_for(engine))
    return panel
