"""The engine's container events, for the live panels: one watcher per engine client.

One thread reads one ``GET /events`` stream, filtered to the containers that
have a panel, and hands each event to the handlers of its container: a
kernel with twenty panels has one connection and no pollers, and is not woken
by other containers' events. It starts with the first handler and stops with
the last (closing the stream unblocks its read); while nothing happens it
sits in a blocking socket read and costs no CPU. A new container reconnects
the stream with the wider filter; when the engine goes away (a restart) the
stream ends and the watcher reconnects as soon as the engine answers. Either
way it asks for the events since the last one it saw (``since``); after the
engine went away it also asks every handler to resynchronise, since the
engine's backlog of events did not survive its restart.

Handlers run in the watcher's thread: they must not print (output would land in
whatever cell runs then) and update widgets through their traits instead.

``ContainerControl`` holds the other engine calls a panel makes.
"""

import calendar
import logging
import threading
import time

from runmagic.engine.session import demultiplex
from runmagic.errors import DaemonResponse, DockerError

log = logging.getLogger(__name__)

#: The actions that change what a panel shows (attach and detach: a TTY container's
#: terminal); exec, resize... don't.
WATCHED_ACTIONS = ("start", "restart", "die", "pause", "unpause", "rename", "update", "oom", "destroy",
                   "attach", "detach")
#: Podman's names for some of them (what the filter must name, and what a handler is given).
PODMAN_ACTIONS = {"died": "die", "remove": "destroy"}


def docker_event(event: dict) -> dict:
    """An event in Docker's words: Podman says ``died`` (and ``remove``) in places, and
    names a dead container's status ``containerExitCode`` where Docker says ``exitCode``."""
    action = event.get("Action")
    if action in PODMAN_ACTIONS:
        event = {**event, "Action": PODMAN_ACTIONS[action]}
        if event.get("status") == action:
            event["status"] = PODMAN_ACTIONS[action]
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    if "exitCode" not in attributes and "containerExitCode" in attributes:
        event = {**event, "Actor": {**actor, "Attributes": {**attributes,
                                                            "exitCode": attributes["containerExitCode"]}}}
    return event


#: Podman's container states that Docker has no name for, as Docker would name them:
#: "stopped" is an exit not yet cleaned up (also between two policy restarts, where Docker
#: says "restarting", and with the exit code known), "stopping" a stop signal sent.
PODMAN_STATUSES = {"stopped": "exited", "stopping": "running"}


def docker_inspect(info: dict) -> dict:
    """A container's inspect with its status in Docker's words."""
    state = info.get("State") or {}
    status = state.get("Status")
    if status not in PODMAN_STATUSES:
        return info
    return {**info, "State": {**state, "Status": PODMAN_STATUSES[status]}}


#: Seconds between attempts to reach an engine that went away.
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)


def engine_nanos(engine_time: str) -> int:
    """An RFC 3339 time of the engine (a container's ``Created``) in nanoseconds since
    the epoch, the precision of the events' ``timeNano``."""
    date_time, _, fraction = engine_time.rstrip("Z").partition(".")
    seconds = calendar.timegm(time.strptime(date_time, "%Y-%m-%dT%H:%M:%S"))
    return seconds * 10**9 + int(fraction[:9].ljust(9, "0"))


def since_for_connect(last_seen: int | None, subscriptions, streamed_ids) -> int | None:
    """Where a new stream must start for no event to be missed: at the last event seen
    (events in flight when a stream ends are later), and, for a container the last
    stream didn't cover, at its own ``since``; None (now) when nothing says otherwise."""
    candidates = [last_seen] if last_seen is not None else []
    for subscription in subscriptions:
        if subscription.since is not None and (last_seen is None or subscription.container_id not in streamed_ids):
            candidates.append(subscription.since)
    return min(candidates, default=None)


def _since_parameter(nanos: int | None) -> str | None:
    return None if nanos is None else f"{nanos // 10**9}.{nanos % 10**9:09d}"


class Subscription:
    def __init__(self, watcher: "EventWatcher", container_id: str, handler, since: int | None = None):
        self.watcher = watcher
        self.container_id = container_id
        self.handler = handler
        self.since = since

    def cancel(self) -> None:
        self.watcher._remove(self)


class EventWatcher:
    """Container events of one engine, dispatched to per-container handlers.

    ``handler(event)`` gets each event of its container (a decoded /events
    object), and ``handler(None)`` when the watcher reconnected after losing the
    engine: "inspect again, you may have missed something".
    """

    def __init__(self, engine, retry_delays=RETRY_DELAYS):
        self.engine = engine
        self.retry_delays = retry_delays
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = []
        self._thread: threading.Thread | None = None
        self._stream = None
        self._streamed_ids: set[str] = set()  # the containers the last stream was filtered to
        self._last_seen: int | None = None  # engine nanoseconds of the last event read
        self._wake = threading.Event()  # cuts a retry delay short when the last handler goes

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    @property
    def thread_id(self) -> int | None:
        """The watcher thread's native ID (for measuring its CPU time)."""
        thread = self._thread
        return thread.native_id if thread is not None else None

    def watch(self, container_id: str, handler, since: int | None = None) -> Subscription:
        """Deliver ``container_id``'s events to ``handler`` from now on, and those since
        ``since`` (engine nanoseconds, see ``engine_nanos``): a container started just
        after its panel was made has none missed."""
        subscription = Subscription(self, container_id, handler, since)
        stale_stream = None
        with self._lock:
            self._subscriptions.append(subscription)
            self._wake.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="runmagic-events", daemon=True)
                self._thread.start()
            elif container_id not in self._streamed_ids:
                stale_stream, self._stream = self._stream, None
        if stale_stream is not None:
            stale_stream.close()  # the thread reconnects, filtered to this container too
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)
            if self._subscriptions:
                return
            stream, self._stream = self._stream, None
            self._wake.set()
        if stream is not None:
            stream.close()

    def _handlers_of(self, container_id: str | None) -> list:
        with self._lock:
            return [s.handler for s in self._subscriptions if container_id is None or s.container_id == container_id]

    def _deliver(self, handlers, event) -> None:
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # one broken panel must not stop the others' updates
                log.exception("runmagic: a panel failed to handle a container event")

    def _open(self, container_ids, since: int | None):
        try:
            return self.engine.events(
                since=_since_parameter(since),
                filters={"type": "container", "event": [*WATCHED_ACTIONS, *PODMAN_ACTIONS], "container": sorted(container_ids)})
        except Exception as exc:  # whatever the engine (or its absence) does, retry
            log.debug("runmagic: engine events unavailable: %s", exc)
            return None

    def _read(self, stream) -> bool:
        """Until the stream ends; True when the engine ended it, False when it was closed
        here (to stop, or to reconnect with another filter)."""
        try:
            for event in map(docker_event, stream):
                nanos = int(event.get("timeNano") or 0)
                with self._lock:
                    self._last_seen = max(self._last_seen or 0, nanos)
                self._deliver(self._handlers_of((event.get("Actor") or {}).get("ID")), event)
        except Exception as exc:  # a broken stream is an ended one: reconnect
            log.debug("runmagic: engine event stream broke: %s", exc)
        with self._lock:
            ended_by_engine = self._stream is stream
            if ended_by_engine:
                self._stream = None
        return ended_by_engine

    def _run(self) -> None:
        failures = 0
        resync = False
        while True:
            with self._lock:
                container_ids = {s.container_id for s in self._subscriptions}
                if not container_ids:
                    self._thread = None
                    self._last_seen = None
                    self._streamed_ids = set()
                    return
                since = since_for_connect(self._last_seen, self._subscriptions, self._streamed_ids)
            stream = self._open(container_ids, since)
            if stream is None:
                resync = True
                self._wake.wait(self.retry_delays[min(failures, len(self.retry_delays) - 1)])
                failures += 1
                continue
            with self._lock:
                wanted = {s.container_id for s in self._subscriptions}
                current = bool(wanted) and wanted <= container_ids
                if current:
                    self._stream = stream
                    self._streamed_ids = container_ids
            if not current:  # the containers changed while connecting
                stream.close()
                continue
            failures = 0
            if resync:
                self._deliver(self._handlers_of(None), None)
            resync = self._read(stream)


_watchers: dict[int, EventWatcher] = {}
_watchers_lock = threading.Lock()


def watcher_for(engine) -> EventWatcher:
    """The watcher of this engine client: one per client, so one per engine in a kernel."""
    with _watchers_lock:
        watcher = _watchers.get(id(engine))
        if watcher is None or watcher.engine is not engine:
            watcher = _watchers[id(engine)] = EventWatcher(engine)
        return watcher


class ContainerControl:
    """The engine calls of one container's panel."""

    def __init__(self, engine, container_id: str):
        self.engine = engine
        self.container_id = container_id

    def inspect(self) -> dict | None:
        """``docker inspect``, or None once the container is gone."""
        try:
            return docker_inspect(self.engine.inspect_container(self.container_id))
        except DaemonResponse as refusal:
            if refusal.not_found:
                return None
            raise

    def image_env(self, image: str) -> list[str]:
        try:
            return (self.engine.inspect_image(image).get("Config") or {}).get("Env") or []
        except DaemonResponse as refusal:
            if refusal.not_found:
                return []
            raise

    def network(self, name: str) -> dict:
        """``docker network inspect``, or {} when the network is gone or the engine refuses."""
        try:
            return self.engine.get_json("/networks/{0}", name)
        except DaemonResponse:
            return {}

    def stop(self) -> None:
        self.engine.stop(self.container_id)

    def restart(self) -> None:
        self.engine.restart(self.container_id)

    def remove(self) -> None:
        self.engine.remove_container(self.container_id, force=True)

    def logs_tail(self, lines: int, max_bytes: int) -> str:
        """The last ``lines`` lines of both streams, at most ``max_bytes`` of them."""
        tty = bool(((self.inspect() or {}).get("Config") or {}).get("Tty"))
        data = self.engine.logs(self.container_id, {"stdout": 1, "stderr": 1, "tail": lines})
        return demultiplex(data, tty)[-max_bytes:].decode("utf-8", errors="replace")


def action_error(exc: Exception) -> str:
    """What went wrong with a panel's action, in the engine's words."""
    if isinstance(exc, DockerError):
        return exc.message
    return str(exc) or type(exc).__name__
