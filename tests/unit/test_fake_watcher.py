"""The panels' event watcher when the engine goes away and comes back (fake engine)."""

import threading
import time

from runmagic.engine.watcher import EventWatcher
from tests.support.fake_engine import FakeEngine, Until, stream
from tests.unit.engine_doubles import engine_of

CID = "ab" * 32


def event(action: str, nanos: int) -> dict:
    return {"Type": "container", "Action": action, "Actor": {"ID": CID}, "timeNano": nanos}


def test_the_watcher_reconnects_and_asks_panels_to_resynchronise(tmp_path):
    path = str(tmp_path / "engine.sock")
    seen, resynced = [], threading.Event()
    first_seen = threading.Event()

    def handler(item):
        if item is None:
            resynced.set()
        else:
            seen.append(item["Action"])
            first_seen.set()

    hold = threading.Event()
    with FakeEngine(path) as fake:
        fake.on("GET", "/events", stream(event("start", 10**18), Until(hold)))
        engine = engine_of(fake)
        watcher = EventWatcher(engine, retry_delays=(0.05,))
        subscription = watcher.watch(CID, handler)
        assert first_seen.wait(5)
        fake.die()  # the engine restarts: the stream breaks, connections are refused
    with FakeEngine(path) as back:
        back.on("GET", "/events", stream(event("die", 10**18 + 5), Until(hold)))
        assert resynced.wait(5), "the panels were not asked to inspect again"
        deadline = time.monotonic() + 5
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert seen == ["start", "die"]
        request = back.requests_to("GET", "/events")[0]
        # It asks for what happened since the last event it saw, for its containers only.
        assert request.query["since"] == "1000000000.000000000"
        assert '"container": {"' + CID + '": true}' in request.query["filters"]
        subscription.cancel()  # the last panel goes: the watcher stops
        deadline = time.monotonic() + 5
        while watcher.running and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not watcher.running
        hold.set()
