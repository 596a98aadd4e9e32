"""Pulls from a real registry (the ``local_registry`` fixture) with real progress.

An image with a layer of its own (a few MB of random data, FROM busybox) is built
and pushed once; each test removes the local copy first, so the engine really
downloads that layer. Errors are compared with the docker CLI's.
"""

import io
import shlex
import subprocess
import uuid

import docker.errors
import pytest

from runmagic.grammar import parser as cli
from runmagic.engine import client as engine
from runmagic.commands import images
from runmagic.grammar import command_flags as tables
from runmagic.commands.context import Context
from runmagic.errors import DockerError
from runmagic.commands.pull import pull_image
from tests.support.engine import session_labels

DOCKER = "/usr/local/bin/docker"


def docker_cli(line: str) -> tuple[int, str, str]:
    done = subprocess.run([DOCKER, *shlex.split(line)], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def pushed(docker_client, local_registry):
    """``repository`` with tags ``one`` and ``two`` in the registry; not present locally."""
    repository = f"{local_registry}/runmagic-test/pull-{uuid.uuid4().hex[:8]}"
    dockerfile = b"FROM busybox:latest\nRUN head -c 3000000 /dev/urandom > /random.bin\n"
    image, _ = docker_client.images.build(fileobj=io.BytesIO(dockerfile), tag=f"{repository}:one",
                                          labels=session_labels(), pull=False, rm=True, forcerm=True)
    try:
        image.tag(repository, "two")
        for tag in ("one", "two"):
            events = list(docker_client.images.push(repository, tag=tag, stream=True, decode=True))
            assert not [e for e in events if "error" in e], events
        layer = image.attrs["RootFS"]["Layers"][-1]
        yield {"repository": repository, "image_id": image.id, "layer": layer}
    finally:
        forget(docker_client, image.id)


def forget(docker_client, image_id: str) -> None:
    try:
        docker_client.images.remove(image_id, force=True)
    except docker.errors.ImageNotFound:
        pass


@pytest.fixture
def absent(docker_client, pushed):
    """The pushed image is not local before the test, and not left behind after it."""
    forget(docker_client, pushed["image_id"])
    yield pushed
    forget(docker_client, pushed["image_id"])


@pytest.fixture(scope="module")
def api():
    client = engine.connect()
    yield client
    client.close()


def run_pull(api, line: str) -> tuple[int, str, str]:
    out, err = [], []
    ctx = Context(api, out.append, err.append)
    try:
        images.pull(ctx, cli.parse_args(cli.split_line(line), tables.PULL))
    except DockerError as exc:
        return exc.exit_status, "".join(out), "".join(err) + f"{exc}\n"
    return 0, "".join(out), "".join(err)


def test_pull_magic_shows_live_progress_then_the_reference(kernel, absent, docker_client):
    ref = f"{absent['repository']}:one"
    execution = kernel.run(f"%docker_pull {ref}", timeout=120)
    assert execution.error is None, execution.error
    assert execution.stream("stdout") == f"{ref}\n"
    [display] = [content for _, kind, content in execution.outputs if kind == "display_data"]
    assert display["data"]["text/plain"].startswith("one: Pulling from runmagic-test/pull-")
    assert "<progress" in display["data"]["text/html"] or "Pulling" in display["data"]["text/html"]
    assert docker_client.images.get(ref).id == absent["image_id"]


def test_quiet_pull_prints_only_the_reference(kernel, absent):
    ref = f"{absent['repository']}:two"
    execution = kernel.run(f"%docker_pull -q {ref}", timeout=120)
    assert execution.error is None, execution.error
    assert [kind for _, kind, _ in execution.outputs] == ["stream"]
    assert execution.stream("stdout") == f"{ref}\n"


def test_docker_run_pulls_with_the_plain_text_transcript(kernel, absent):
    ref = f"{absent['repository']}:one"
    execution = kernel.run(f"%docker_run --rm --network none {ref} cat /random.bin", timeout=120)
    assert execution.error is None, execution.error
    stderr = execution.stream("stderr")
    assert f"Unable to find image '{ref}' locally\n" in stderr
    assert "one: Pulling from runmagic-test/pull-" in stderr
    assert ": Pull complete\n" in stderr and "Digest: sha256:" in stderr
    assert f"Status: Downloaded newer image for {ref}\n" in stderr
    assert "\x1b[" not in stderr  # no cursor movement
    # (display_data here is the display layer's run summary, never pull progress)
    assert not [c for _, kind, c in execution.outputs
                if kind == "display_data" and "Pulling" in c["data"].get("text/plain", "")]


def test_live_view_is_updated_in_place_and_ends_with_dockers_transcript(api, absent):
    shown, updates = [], []

    def show_live(view):
        shown.append(view.text())
        return lambda: updates.append((view.finished, view.text(), view.html()))

    progress = pull_image(api, f"{absent['repository']}:one", show_live=show_live)
    assert len(shown) == 1 and shown[0].startswith("one: Pulling from")
    finished, text, html = updates[-1]
    assert finished and text == progress.transcript()
    layer_lines = [line for line in text.splitlines() if line.endswith(": Pull complete")]
    assert layer_lines, text
    assert "Pulling fs layer" in text and "Status: Downloaded newer image" in text
    assert "<table>" in html


def test_all_tags(api, absent, docker_client):
    status, out, err = run_pull(api, f"-a {absent['repository']}")
    assert (status, err) == (0, "")
    assert out.endswith(f"Status: Downloaded newer image for {absent['repository']}\n{absent['repository']}\n")
    for tag in ("one", "two"):
        assert docker_client.images.get(f"{absent['repository']}:{tag}").id == absent["image_id"]
    assert run_pull(api, f"-a {absent['repository']}:one") == docker_cli(f"pull -a {absent['repository']}:one")


@pytest.mark.parametrize("ref", ["{repository}:no-such-tag", "{registry}/runmagic-test/never-pushed",
                                 "127.0.0.1:9/runmagic/absent:latest", "Not/Lowercase"])
def test_pull_errors_in_dockers_words(api, pushed, local_registry, ref):
    ref = ref.format(repository=pushed["repository"], registry=local_registry)
    assert run_pull(api, ref) == docker_cli(f"pull {ref}")
