"""The server extension's engine calls (runmagic.server.containers) against the fake engine:
thousands of containers listed a page at a time, container references validated before
any engine call, an engine that goes away answered as an outage."""

import logging

import pytest

from runmagic.engine import contexts
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


def test_the_server_follows_the_engine_docker_would_reach(tmp_path, monkeypatch):
    """A `docker context use` while the server runs moves the panels to that engine; a
    current context that disappears is an outage the panels retry, naming the cause."""
    config = tmp_path / "docker-config"
    store = contexts.Store(str(config))
    for variable in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    with FakeEngine() as first, FakeEngine() as second:
        for fake, index in ((first, 1), (second, 2)):
            fake.on("GET", "/containers/json", reply(200, [summary(index)]))
            store.create(f"engine-{index}", fake.url, "", False, None)
        store.set_current_context("engine-1")
        server_engine = Engine(log=logging.getLogger("runmagic.test"))
        listing = server_engine.containers("all")
        assert [c["name"] for c in listing["containers"]] == ["c1"]
        assert listing["engine"] == {"description": f"{first.url} (context 'engine-1')", "default": False}

        store.set_current_context("engine-2")
        listing = server_engine.containers("all")
        assert [c["name"] for c in listing["containers"]] == ["c2"]
        assert listing["engine"]["description"] == f"{second.url} (context 'engine-2')"
        assert len(first.requests_to("GET", "/containers/json")) == 1

        store.remove("engine-2")
        with pytest.raises(EngineDown) as caught:
            server_engine.containers("all")
        assert caught.value.status == 503
        assert caught.value.message.startswith('unable to resolve docker endpoint: context "engine-2"')
        server_engine.close()
