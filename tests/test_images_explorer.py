"""The image explorer: its model on an image built here, and ``%docker_image inspect IMAGE``
in a real kernel (progress, then the explorer in three forms)."""

from __future__ import annotations

import json
import uuid

import pytest

from runmagic.display.explorer import EXPLORER_MIME, explorer_html, explorer_text
from runmagic.engine import client as engine_client
from runmagic.explore.analysis import AnalysisCache, analyse_stream
from runmagic.explore.report import MASK, explorer_model, run_line, tree_children
from tests.test_images_dive import build

EXPLORED = """\
FROM busybox:latest
ENV API_TOKEN=hunter2-secret PLAIN=visible
RUN mkdir /app && head -c 3000 /dev/urandom > /app/big && echo one > /app/keep
RUN head -c 5000 /dev/urandom > /app/big && rm /app/keep && echo added > /app/new
EXPOSE 8080 53/udp
VOLUME /data
WORKDIR /app
CMD ["sh"]
"""


@pytest.fixture(scope="module")
def explored(docker_client):
    from tests.support.engine import session_labels

    tag = f"runmagic-test/explored:{uuid.uuid4().hex[:8]}"
    image_id = build(docker_client, EXPLORED, session_labels(), tag)
    try:
        yield {"id": image_id, "tag": tag}
    finally:
        docker_client.images.remove(image_id, force=True)


def model_of(image: dict) -> dict:
    engine = engine_client.connect()
    try:
        inspect = engine.inspect_image(image["tag"])
        reported = []
        analysis = analyse_stream(image["id"], lambda: engine.export_image(image["id"]),
                                  reported.append, cache=AnalysisCache())
        assert reported and reported[-1] == analysis.bytes_read > 0
        return explorer_model(image["tag"], inspect, analysis), analysis
    finally:
        engine.close()


def find(nodes: list[dict], path: str) -> dict:
    head, _, rest = path.strip("/").partition("/")
    node = next(n for n in nodes if n["name"] == head)
    return find(node["children"], rest) if rest else node


def test_model_layers_tree_waste_and_config(explored):
    model, analysis = model_of(explored)
    layers = model["layers"]
    top = len(layers) - 1  # busybox's layers, then the two RUN steps
    first_run, second_run = layers[-2], layers[-1]
    assert first_run["command"].startswith("mkdir /app")
    assert {c["path"] for c in first_run["added"]["items"]} >= {"/app", "/app/big", "/app/keep"}
    assert [c["path"] for c in second_run["modified"]["items"]] == ["/app/big"]
    assert [c["path"] for c in second_run["removed"]["items"]] == ["/app/keep"]
    assert [c["path"] for c in second_run["added"]["items"]] == ["/app/new"]
    assert all(layer["digest"].startswith("sha256:") for layer in layers)
    # The merged tree: each file with the layer that put it there, folders with what they hold.
    tree = model["tree"]
    assert tree["whole"]
    assert find(tree["children"], "/app/big") == {"name": "big", "size": 5000, "layer": top,
                                                  "kind": "file"}
    assert find(tree["children"], "/app/new")["layer"] == top
    assert find(tree["children"], "/app")["layer"] == top  # its entry is in the last layer too
    assert find(tree["children"], "/app")["size"] == 5000 + len("added\n")
    with pytest.raises(StopIteration):
        find(tree["children"], "/app/keep")
    assert find(tree["children"], "/bin/sh")["kind"] in ("file", "link")
    assert [n["name"] for n in tree_children(analysis, "/app")] == ["big", "new"]
    assert tree_children(analysis, "/nope") is None
    # Waste as dive counts it: /app/big twice, /app/keep deleted.
    waste = model["waste"]
    assert waste["wasted_bytes"] == analysis.wasted_bytes >= 8000
    assert {f["path"]: f["count"] for f in waste["files"]}["/app/big"] == 2
    assert 0 < waste["efficiency"] < 1
    config = model["config"]
    assert ["API_TOKEN", MASK] in config["env"] and ["PLAIN", "visible"] in config["env"]
    assert config["exposed_ports"] == ["53/udp", "8080/tcp"]
    assert config["volumes"] == ["/data"] and config["working_dir"] == "/app"
    assert "hunter2" not in json.dumps(model)
    assert model["lines"]["shell"] == f"%docker_run -it --rm {explored['tag']} sh"
    assert model["lines"]["run"] == (f"%docker_run --rm -p 127.0.0.1::53/udp -p 127.0.0.1::8080 "
                                     f"-v explored-data:/data {explored['tag']}")
    text, html = explorer_text(model), explorer_html(model)
    for form in (text, html):
        assert "hunter2" not in form and model["lines"]["run"] in form
        assert "/app/big" in form and "efficiency" in form


def test_run_line_without_ports_or_volumes():
    assert run_line("busybox:latest", {"Config": {}}) == "%docker_run --rm busybox:latest"
    assert run_line("reg:5000/team/db@sha256:ab", {"Config": {"Volumes": {"/var/lib/x y": {}}}}) == (
        "%docker_run --rm -v db-var-lib-x-y:/var/lib/x y reg:5000/team/db@sha256:ab")


def test_image_inspect_magic_shows_the_explorer(kernel, explored):
    done = kernel.run(f"r = %docker_image inspect {explored['tag']}\nr.model['layers'][-1]['size']",
                      timeout=120)
    assert done.error is None, done.error
    # The progress bar first (the explorer replaces it through its display handle).
    [progress] = [c for _, t, c in done.outputs if t == "display_data"]
    assert progress["data"]["text/plain"].startswith(f"Reading the layers of {explored['tag']}: ")
    assert "<progress " in progress["data"]["text/html"]
    assert progress["transient"]["display_id"]
    result = next(c for _, t, c in done.outputs if t == "execute_result")
    # Shown again in a later cell: the explorer, as the renderer, HTML and text.
    done = kernel.run("r")
    [shown] = [c["data"] for _, t, c in done.outputs if t == "display_data"]
    model = json.loads(shown[EXPLORER_MIME])
    assert model["id"] == explored["id"] and "Wasted space:" in shown["text/plain"]
    assert "runmagic-image-explorer" in shown["text/html"]
    assert result["data"]["text/plain"] == str(model["layers"][-1]["size"])
    # With --format (or several images) the magic prints docker's output only.
    done = kernel.run(f"%docker_image inspect -f '{{{{.Id}}}}' {explored['tag']}")
    assert done.stream("stdout") + "".join(
        c["data"]["text/plain"] for _, t, c in done.outputs if t == "execute_result") \
        == explored["id"]
