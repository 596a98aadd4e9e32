"""The panels as a notebook gets them: display data from the magics in a real kernel, and
widget updates from the watcher thread arriving as comm messages after the cell ended."""

import json
import queue
import re
import time

import docker.errors
import pytest


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CONTAINER = "application/vnd.runmagic.container"


@pytest.fixture
def created(docker_client):
    """IDs of containers a test made; force-removed after it."""
    ids: list[str] = []
    yield ids
    for container_id in ids:
        try:
            docker_client.api.remove_container(container_id, force=True, v=True)
        except docker.errors.NotFound:
            pass


def displays(execution) -> list[dict]:
    return [content["data"] for _, kind, content in execution.outputs if kind == "display_data"]


def kinds(execution) -> list[str]:
    """Output kinds in order; a display's kind names what it shows: a container's panel
    (widget, ID and summary in one bundle), or the compact form of a finished run."""
    names = []
    for _, kind, content in execution.outputs:
        if kind == "display_data":
            data = content["data"]
            kind = "panel" if CONTAINER in data else "compact"
        if not names or names[-1] != kind:
            names.append(kind)
    return names


def test_detached_run_shows_its_panel_and_a_stable_summary(kernel, created):
    execution = kernel.run("h = %docker_run -d --network none -e API_TOKEN=tok-123456 busybox sleep 300")
    container_id = execution.stream("stdout").strip()
    created.append(container_id)
    assert kinds(execution) == ["panel", "stream"]  # the panel comes before start
    (panel,) = displays(execution)
    assert set(panel) == {WIDGET_VIEW, CONTAINER, "text/html", "text/plain"}
    assert json.loads(panel[CONTAINER]) == {"id": container_id, "ports": []}
    assert panel["text/plain"] == "busybox sleep 300\n  env      API_TOKEN=••••••"
    assert '<div class="runmagic-summary">' in panel["text/html"]
    for text in (panel["text/plain"], panel["text/html"]):
        assert container_id[:12] not in text
    assert "tok-123456" not in str(panel)


def test_identical_runs_give_identical_outputs(kernel, created):
    line = "%docker_run -d --network none -v /data -e PASSWORD=pw-987654 --restart on-failure:2 busybox sleep 300"
    outputs = []
    for _ in range(2):
        execution = kernel.run(line)
        created.append(execution.stream("stdout").strip())
        outputs.append([{k: v for k, v in data.items() if k not in (WIDGET_VIEW, CONTAINER)}
                        for data in displays(execution)])
    assert outputs[0] == outputs[1]
    assert "volume (anonymous) → /data" in outputs[0][0]["text/plain"]


def test_foreground_run_shows_the_panel_before_its_output(kernel, created):
    execution = kernel.run("r = %docker_run --network none busybox echo hello\nprint(r.id)")
    created.append(execution.stream("stdout").split()[-1])
    assert kinds(execution) == ["panel", "stream"]
    assert execution.stream("stdout").startswith("hello\n")


def test_foreground_rm_run_gets_the_compact_form(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox echo hi")
    assert kinds(execution) == ["stream", "compact"]
    (compact,) = displays(execution)
    # Plain HTML and text: nothing that needs a kernel (or a widget manager) to show.
    assert set(compact) == {"text/html", "text/plain"}
    assert compact["text/plain"] == "busybox echo hi: exit status 0"
    assert "exit status 0" in compact["text/html"]


def test_compact_form_of_a_failed_run_comes_before_its_error(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox sh -c 'exit 3'")
    assert kinds(execution) == ["compact", "error"]
    assert displays(execution)[0]["text/plain"] == "busybox sh -c 'exit 3': exit status 3"


def test_panels_can_be_turned_off(kernel, created):
    kernel.run("%config DockerRun.panels = False")
    try:
        rm_run = kernel.run("%docker_run --rm --network none busybox echo hi")
        detached = kernel.run("%docker_run -d --network none busybox sleep 300")
        created.append(detached.stream("stdout").strip())
    finally:
        kernel.run("%config DockerRun.panels = True")
    assert kinds(rm_run) == ["stream"] and kinds(detached) == ["stream"]


def test_updates_reach_the_frontend_after_the_cell_ended(kernel, created, docker_client):
    """The watcher thread sets widget traits; ipywidgets sends them as comm messages,
    which the frontend routes by comm ID, not by the cell that runs."""
    execution = kernel.run("%docker_run -d --network none busybox sleep 300")
    container_id = execution.stream("stdout").strip()
    created.append(container_id)
    docker_client.api.kill(container_id)
    deadline = time.monotonic() + 20
    while True:
        try:
            msg = kernel.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("no widget update after the kill") from None
        value = (msg["content"].get("data") or {}).get("state", {}).get("value", "")
        if msg["msg_type"] == "comm_msg" and re.search(r'data-status="exited"[^>]*>exited \(137\)<', value):
            break
