"""Where Podman 4.3's Docker-compatible API answers otherwise than Docker, the engine layer
makes it answer as Docker: pinned against the fake engine, answering as Podman does."""

import pytest

from runmagic.commands.pull import pull_image
from runmagic.errors import CommandError, DaemonResponse
from tests.support.fake_engine import FakeEngine, refuse, reply, stream
from tests.unit.engine_doubles import engine_of

PODMAN_VERSION = {"ApiVersion": "1.41", "MinAPIVersion": "1.24", "Os": "linux", "Version": "4.3.1",
                  "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]}


@pytest.fixture
def podman():
    with FakeEngine() as fake:
        fake.on("GET", "/version", reply(200, PODMAN_VERSION))
        yield fake


@pytest.fixture
def docker():
    with FakeEngine() as fake:
        yield fake


def test_a_container_created_without_a_stop_timeout_gets_dockers_ten_seconds(podman, docker):
    for fake in (podman, docker):
        fake.on("POST", "/containers/create", reply(201, {"Id": "c1", "Warnings": []}))
        engine = engine_of(fake)
        engine.create_container({"Image": "busybox"})
        engine.create_container({"Image": "busybox", "StopTimeout": 3})
    assert [r.json.get("StopTimeout") for r in podman.requests_to("POST", "/containers/create")] == [10, 3]
    assert [r.json.get("StopTimeout") for r in docker.requests_to("POST", "/containers/create")] == [None, 3]


def test_a_restart_without_a_timeout_waits_the_containers_stop_timeout(podman, docker):
    podman.on("GET", "/containers/c1/json", reply(200, {"Id": "c1", "Config": {"StopTimeout": 7}}))
    for fake in (podman, docker):
        fake.on("POST", "/containers/c1/restart", reply(204))
        engine_of(fake).restart("c1")
        engine_of(fake).restart("c1", timeout=2)
    assert [r.query for r in podman.requests_to("POST", "/containers/c1/restart")] == [{"t": "7"}, {"t": "2"}]
    assert [r.query for r in docker.requests_to("POST", "/containers/c1/restart")] == [{}, {"t": "2"}]
    assert docker.calls() == [("POST", "/containers/c1/restart")] * 2


@pytest.mark.parametrize("path, podman_words, docker_words", [
    ("/containers/nope/json", 'no container with name or ID "nope" found: no such container',
     "No such container: nope"),
    ("/images/nope/json", "failed to find image nope: docker.io/library/nope: No such image",
     "No such image: nope"),
    ("/images/127.0.0.1:9/app:1/json", "no such image: 127.0.0.1:9/app:1: image not known",
     "No such image: 127.0.0.1:9/app:1"),
    ("/networks/nope", "unable to find network with name or ID nope: network not found",
     "network nope not found"),
    ("/volumes/nope", "volume with name nope not found: no such volume", "get nope: no such volume"),
    ("/exec/abc/json", "no exec session with ID abc found: no such exec session",
     "No such exec instance: abc"),
])
def test_a_missing_object_is_named_in_dockers_words(podman, path, podman_words, docker_words):
    podman.on("GET", path, refuse(404, podman_words))
    with pytest.raises(DaemonResponse) as caught:
        engine_of(podman).get_json(path)
    assert (caught.value.message, caught.value.not_found) == (docker_words, True)


def test_only_a_404_is_reworded(podman):
    words = 'no container with name or ID "nope" found: no such container'
    podman.on("GET", "/containers/nope/json", refuse(500, words))
    with pytest.raises(DaemonResponse) as caught:
        engine_of(podman).inspect_container("nope")
    assert caught.value.message == words


def test_a_pull_failing_before_any_progress_is_the_engines_refusal(podman):
    # Docker refuses such a pull with an error status; Podman answers 200, then the error.
    error = ('initializing source docker://127.0.0.1:9/app:latest: pinging container registry '
             '127.0.0.1:9: Get "https://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused')
    podman.on("POST", "/images/create", stream({"progressDetail": {}, "errorDetail": {"message": error},
                                                "error": error}))
    with pytest.raises(CommandError) as caught:
        pull_image(engine_of(podman), "127.0.0.1:9/app", write=lambda line: None)
    assert type(caught.value) is DaemonResponse
    assert str(caught.value) == f"Error response from daemon: {error}"
