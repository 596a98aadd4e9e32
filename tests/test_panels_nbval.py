"""A notebook with panels, executed by nbclient (which saves widget state, as the course
build does), passes nbval when run again: the summaries in the panels' outputs are the same
in both runs but for container IDs, host ports and run times, which the course's sanitizer masks. nbclient applies
the update made at the end of a cell (the saved output holds the host port the engine
picked); nbval compares the first display ("random" before the container started)."""

import json
import pathlib
import re
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

from tests.support.engine import NODE_LABEL

# The course's own sanitizer: the panels must be stable under exactly what the notebooks use.
SANITIZE = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "sanitize.cfg"


def test_panel_outputs_are_stable_for_nbval(tmp_path, labels, docker_client):
    cells = [
        f"%load_ext runmagic\n%config DockerRun.labels = {labels!r}",
        "%docker_run --rm --network none -v /data busybox echo hi",
        "h = %docker_run -d -p 127.0.0.1::80 -e DB_PASSWORD=hunter22 --restart on-failure:2 busybox sleep 300",
        "h.remove(force=True)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "panels.ipynb"
    (tmp_path / "sanitize.cfg").write_text(SANITIZE.read_text())
    try:
        NotebookClient(notebook, timeout=120, kernel_name="python3", store_widget_state=True).execute()
        nbformat.write(notebook, path)
        check = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
             "--nbval-sanitize-with", "sanitize.cfg", path.name],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    finally:  # the last cell removes the container; not if an earlier one failed
        for container in docker_client.api.containers(
                all=True, filters={"label": f"{NODE_LABEL}={labels[NODE_LABEL]}"}):
            docker_client.api.remove_container(container["Id"], force=True, v=True)

    outputs = json.dumps([cell.outputs for cell in notebook.cells], ensure_ascii=False)
    widget_state = json.dumps(notebook.metadata["widgets"], ensure_ascii=False)
    assert "busybox echo hi: exit status 0" in outputs
    panel = notebook.cells[2].outputs[0]
    port = re.search(r"80/tcp → 127\.0\.0\.1:(\d+)", panel["data"]["text/plain"])
    assert port, panel["data"]["text/plain"]  # the saved output holds the real host port
    assert json.loads(panel["data"]["application/vnd.runmagic.container"])["ports"] == [
        {"port": "80/tcp", "host": f"127.0.0.1:{port[1]}"}]
    assert "DB_PASSWORD=••••••" in widget_state
    assert "hunter22" not in outputs + widget_state
    assert check.returncode == 0, check.stdout[-5000:] + check.stderr[-2000:]
