"""The Images view's routes (runmagic.server.images) against the real engine: the list with
the containers using each image, the explorer, tag, remove (refused while in use, with
docker's words), and "Copy a file out". Images and containers carry the test labels."""

from __future__ import annotations

import uuid

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F401,F403  fixtures, scoped to this module

from tests.test_images_explorer import EXPLORED
from tests.test_images_dive import build
from tests.test_server import fetch, jp_server_config  # noqa: F401  (fixtures)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def image(docker_client, labels):
    repo = f"runmagic-test/served-{uuid.uuid4().hex[:8]}"
    image_id = build(docker_client, EXPLORED, labels, f"{repo}:one")
    container = docker_client.containers.create(image_id, ["true"], labels=labels,
                                                network_disabled=True, name=f"served-{uuid.uuid4().hex[:8]}")
    yield {"id": image_id, "repo": repo, "container": container}
    container.remove(force=True, v=True)
    docker_client.images.remove(image_id, force=True)


def test_list_explore_tag_remove_copy(fetch, image, docker_client, jp_root_dir):
    status, data = fetch("images", params={"name": image["repo"]})
    assert status == 200
    [listed] = data["images"]
    assert listed["tags"] == [f"{image['repo']}:one"] and listed["containers"] == [image["container"].name]
    assert listed["size"] > 0 and listed["created"] > 0

    status, model = fetch("images", image["id"], "explore")
    assert status == 200 and model["id"] == image["id"] and model["ref"] == f"{image['repo']}:one"
    assert model["waste"]["wasted_bytes"] > 0 and model["layers"][-1]["added"]["items"]
    status, data = fetch("images", image["id"], "tree", params={"path": "/app"})
    assert [c["name"] for c in data["children"]] == ["big", "new"]
    assert fetch("images", image["id"], "tree", params={"path": "/nope"})[0] == 404

    second = f"{image['container'].name}:two"  # no "/": the test client quotes path parts again
    status, data = fetch("images", image["id"], "tag", method="POST", body=f'{{"target": "{second}"}}')
    assert status == 200 and data["tag"] == second
    status, data = fetch("images", image["id"], "tag", method="POST", body='{"target": "Bad:Name"}')
    assert status == 400 and "is not a valid repository/tag" in data["message"]

    # In use by a container: docker's refusal, nothing removed.
    status, data = fetch("images", image["id"], method="DELETE")
    assert status == 409, data
    assert data["message"].startswith("conflict: unable to delete") and "must be forced" in data["message"]
    assert docker_client.images.get(image["id"])
    # A tag alone goes.
    status, data = fetch("images", second, method="DELETE")
    assert status == 200 and data["removed"] == [{"Untagged": f"{second}"}]

    (jp_root_dir / "notebooks").mkdir()
    status, data = fetch("images", image["id"], "copy", method="POST",
                         body='{"path": "/app/new", "dir": "notebooks"}')
    assert status == 200 and data["path"] == "notebooks/new"
    assert (jp_root_dir / "notebooks" / "new").read_text() == "added\n"
    status, data = fetch("images", image["id"], "copy", method="POST",
                         body='{"path": "/app/new", "dir": "notebooks"}')
    assert status == 409 and "already exists" in data["message"]
    status, data = fetch("images", image["id"], "copy", method="POST",
                         body='{"path": "/app/new", "dir": "../.."}')
    assert status == 400
    assert not docker_client.containers.list(all=True, filters={"label": "org.runmagic.copy"})
