"""The local_registry fixture serves a real registry the engine can push to and pull from."""

import io
import json
import urllib.request
import uuid

import docker.errors

from tests.support.engine import NODE_LABEL, TEST_LABEL


def _push(client, repository, tag):
    events = list(client.images.push(repository, tag=tag, stream=True, decode=True))
    errors = [e for e in events if "error" in e or "errorDetail" in e]
    assert not errors, errors
    digests = [e["aux"]["Digest"] for e in events if "Digest" in e.get("aux", {})]
    assert digests, events
    return digests[-1]


def test_push_then_pull_a_labelled_image(docker_client, local_registry, labels):
    repository = f"{local_registry}/runmagic-test/roundtrip"
    tag = uuid.uuid4().hex[:12]
    ref = f"{repository}:{tag}"
    # A layer of its own (not only busybox's) so that the push uploads and the pull downloads it.
    dockerfile = f"FROM busybox:latest\nRUN echo {tag} > /roundtrip\n".encode()
    image, _ = docker_client.images.build(fileobj=io.BytesIO(dockerfile), tag=ref, labels=labels,
                                          pull=False, rm=True, forcerm=True)
    try:
        digest = _push(docker_client, repository, tag)
        with urllib.request.urlopen(f"http://{local_registry}/v2/runmagic-test/roundtrip/tags/list",
                                    timeout=10) as reply:
            assert tag in json.load(reply)["tags"]

        docker_client.images.remove(image.id, force=True)
        try:
            docker_client.images.get(ref)
            raise AssertionError(f"{ref} still exists locally before the pull")
        except docker.errors.ImageNotFound:
            pass

        pulled = docker_client.images.pull(repository, tag=tag)
        assert pulled.id == image.id
        assert f"{repository}@{digest}" in pulled.attrs["RepoDigests"]
        assert pulled.labels[TEST_LABEL] == "1"
        assert pulled.labels[NODE_LABEL] == labels[NODE_LABEL]
        out = docker_client.containers.run(ref, ["cat", "/roundtrip"], labels=labels,
                                           network_mode="none", remove=True)
        assert out.decode().strip() == tag
    finally:
        try:
            docker_client.images.remove(image.id, force=True)
        except docker.errors.ImageNotFound:
            pass
