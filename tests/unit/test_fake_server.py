"""The server extension's engine calls (runmagic.server.containers) against the fake engine:
thousands of containers listed a page at a time, container references validated before
any engine call, an engine that goes away answered as an outage."""

import pytest

from runmagic.server.containers import MAX_PAGE_SIZE, PAGE_SIZE, Engine, EngineDown, EngineError
from tests.support.fake_engine import FakeEngine, reply
from tests.unit.engine_doubles import engine_of

MANY = 5000


def summary(index: int) -> dict:
    return {"Id": f"{index:064x}", "Names": [f"/c{index}"], "Image": "busybox", "Command": "true",
            "Created": 1_700_000_000 - index, "State": "exited", "Status": "Exited (0)",
            "Ports": [{"PrivatePort": 80, "Type": "tcp"}], "Labels": {"org.runmagic.notebook": "1"}}


@pytest.fixture
def fake():
    with FakeEngine() as engine:
        engine.on("GET", "/containers/json", reply(200, [summary(i) for i in range(MANY)]))
        yield engine


@pytest.fixture
def server_engine(fake):
    return Engine(lambda: engine_of(fake), address=fake.url)


def test_thousands_of_containers_come_a_page_at_a_time(fake, server_engine):
    first = server_engine.containers("all")
    assert (first["total"], first["offset"], first["limit"]) == (MANY, 0, PAGE_SIZE)
    assert [c["name"] for c in first["containers"]] == [f"c{i}" for i in range(PAGE_SIZE)]
    last = server_engine.containers("notebook", offset=MANY - 10, limit=MAX_PAGE_SIZE)
    assert [c["name"] for c in last["containers"]] == [f"c{i}" for i in range(MANY - 10, MANY)]
    assert server_engine.containers("all", offset=MANY)["containers"] == []
    # One engine call per page; the notebook filter is the engine's, not a Python loop.
    calls = fake.requests_to("GET", "/containers/json")
    assert len(calls) == 3
    assert calls[1].query["filters"] == '{"label": {"org.runmagic.notebook": true}}'


@pytest.mark.parametrize("ident", ["", "../x", "a/b", "-rf", "x" * 300, "a b", "é"])
def test_container_references_are_checked_before_any_engine_call(fake, server_engine, ident):
    for call in (server_engine.state, server_engine.stop, server_engine.remove, server_engine.logs,
                 server_engine.panel, server_engine.restart):
        with pytest.raises(EngineError) as caught:
            call(ident)
        assert caught.value.status == 404 and caught.value.message == f"No such container: {ident}"
    assert fake.calls() == []


def test_an_engine_that_goes_away_is_an_outage(fake, server_engine):
    server_engine.containers("all")
    fake.die()
    with pytest.raises(EngineDown) as caught:
        server_engine.containers("all")
    assert (caught.value.status, caught.value.message) == (503, f"no Docker engine answers at {fake.url}")
