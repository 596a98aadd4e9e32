"""The JupyterLab extension (labextension/): its build, its TypeScript unit tests, and UI tests
with Playwright in headless Debian chromium against a real JupyterLab and the real engine.

* The build: ``npm ci`` from the committed lockfile (skipped while labextension/node_modules
  matches it), then ``npm run build`` (flag table JSON from runmagic/flags.py, tsc,
  @jupyter/builder) into runmagic/labextension.
* ``npm test``: the pure helpers (magic-line tokenizer, shell tokenizer, completion, formats)
  under node's test runner.
* UI tests (labextension/ui-tests/*.test.mjs, one pytest test each): a JupyterLab started here
  on 127.0.0.1 with a token, this checkout's extension first on its labextensions path and the
  runmagic server extension enabled; stopped by its PID. Containers the notebooks start carry
  this test's labels (passed as RUNMAGIC_LABELS) and are removed after each test.
  explorer.test.mjs also gets an image built here (labelled, and a stopped container made
  from it, so that removing it is refused), named in RUNMAGIC_EXPLORER_IMAGE; both are
  removed after it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import docker.errors
import pytest

from tests.support import engine

ROOT = Path(__file__).resolve().parent.parent
LABEXT = ROOT / "labextension"
BUILT = ROOT / "runmagic" / "labextension"
UI_TESTS = sorted(p.name for p in (LABEXT / "ui-tests").glob("*.test.mjs"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOTEBOOK_LABEL = "org.runmagic.notebook"

pytestmark = pytest.mark.timeout(600)


def _run(args: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, cwd=LABEXT, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout, check=False, **kwargs)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(args)} took over {timeout:.0f} s\n{exc.stdout or ''}{exc.stderr or ''}",
                    pytrace=False)


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} failed (exit status {result.returncode}):\n"
                    f"{result.stdout[-20000:]}\n{result.stderr[-20000:]}", pytrace=False)


@pytest.fixture(scope="session")
def built_labextension() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed to build the labextension (Node >= 20.19)",
                    pytrace=False)
    _check(_run(["node", "scripts/npm.js", "install"], 400), "npm ci (labextension)")
    _check(_run(["node", "scripts/npm.js", "run", "build"], 300), "npm run build (labextension)")
    assert (BUILT / "package.json").is_file()
    assert list((BUILT / "static").glob("remoteEntry.*.js"))
    return BUILT


def test_typescript_unit_tests(built_labextension):
    result = _run(["node", "scripts/npm.js", "test"], 300)
    print(result.stdout[-5000:])
    _check(result, "npm test (labextension unit tests)")
    assert "ℹ fail 0" in result.stdout


def test_built_extension_metadata(built_labextension):
    meta = json.loads((built_labextension / "package.json").read_text())
    assert meta["name"] == "runmagic"
    assert meta["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")
    schema = json.loads((built_labextension / "schemas" / "runmagic" / "panels.json").read_text())
    assert set(schema["properties"]) == {"refreshInterval", "defaultFilter"}
    assert schema["properties"]["defaultFilter"]["enum"] == ["notebook", "all"]
    # Generated from runmagic/flags.py, never edited by hand.
    from runmagic.grammar import export as flag_table_json
    generated = (LABEXT / "src" / "generated" / "flag-table.json").read_text()
    assert generated == flag_table_json.dumps()


# ------------------------------------------------------------------ JupyterLab + UI tests


def _free_port() -> int:
    return engine.free_port()


@pytest.fixture(scope="module")
def jupyterlab(built_labextension, tmp_path_factory):
    """A JupyterLab on 127.0.0.1 with a token; yields (base URL, token, log path)."""
    yield from _jupyterlab(built_labextension, tmp_path_factory.mktemp("jupyterlab"), {})


@pytest.fixture
def jupyterlab_without_engine(built_labextension, tmp_path):
    """A JupyterLab whose server looks for the engine at a socket nobody listens on (the
    shared engine keeps running: an outage as the server sees it)."""
    address = f"unix://{tmp_path}/no-engine-here.sock"
    for lab in _jupyterlab(built_labextension, tmp_path / "lab", {"DOCKER_HOST": address}):
        yield (*lab, address)


def _jupyterlab(built_labextension, home: Path, extra_env: dict):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh` (Debian's chromium)",
                    pytrace=False)
    home.mkdir(parents=True, exist_ok=True)
    for sub in ("root", "config", "data", "runtime", "settings", "workspaces", "labext"):
        (home / sub).mkdir()
    (home / "labext" / "runmagic").symlink_to(built_labextension, target_is_directory=True)
    port, token = _free_port(), secrets.token_hex(16)
    config = {
        "ServerApp": {
            "ip": "127.0.0.1", "port": port, "port_retries": 0, "open_browser": False,
            "root_dir": str(home / "root"), "allow_root": True,
            "jpserver_extensions": {"runmagic.server": True},
        },
        "IdentityProvider": {"token": token},
        "LabApp": {
            "extra_labextensions_path": [str(home / "labext")],
            "expose_app_in_browser": True,
            "user_settings_dir": str(home / "settings"),
            "workspaces_dir": str(home / "workspaces"),
            "news_url": None,
            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "extension_manager": "readonly",
        },
    }
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps(config))
    # No "get notified about Jupyter news?" toast over the page.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        # The kernels import this checkout's runmagic; IPYTHONDIR (tests/conftest.py) labels
        # their containers with this session's labels.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        **extra_env,
    })
    log_path = home / "jupyterlab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterlab"], cwd=home / "root", env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyterlab exited with {proc.returncode}:\n{log_path.read_text()[-5000:]}",
                            pytrace=False)
            try:
                request = urllib.request.Request(url + "api/status",
                                                 headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyterlab did not answer within 90 s:\n{log_path.read_text()[-5000:]}",
                            pytrace=False)
            time.sleep(0.3)
        yield url, token, log_path
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server (it shuts its kernels down), then SIGKILL to its process group
    (the server and any kernel it left) if it lingers. The group is the one started here."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(10)


@pytest.fixture
def remove_test_containers(docker_client, labels):
    """Remove every container labelled with this test's node id, whatever the UI test left."""
    yield labels
    node = labels[engine.NODE_LABEL]
    for c in docker_client.api.containers(all=True, filters={"label": f"{engine.NODE_LABEL}={node}"}):
        try:
            docker_client.api.remove_container(c["Id"], force=True, v=True)
        except docker.errors.NotFound:
            pass


@pytest.fixture
def explorer_image(docker_client, labels):
    """A small image with files added, overwritten and removed across layers, exposed ports
    and a volume (tests/test_images_explorer.py's), and a container using it."""
    from tests.test_images_dive import build
    from tests.test_images_explorer import EXPLORED

    suffix = secrets.token_hex(4)
    ref = f"runmagic-test/explorer-{suffix}:ui"
    image_id = build(docker_client, EXPLORED, labels, ref)
    try:
        docker_client.api.create_container(image_id, ["true"], labels=labels,
                                           name=f"explorer-user-{suffix}", network_disabled=True)
        yield {"id": image_id, "ref": ref, "container": f"explorer-user-{suffix}"}
    finally:
        for c in docker_client.api.containers(all=True, filters={"ancestor": image_id}):
            docker_client.api.remove_container(c["Id"], force=True, v=True)
        docker_client.images.remove(image_id, force=True)


@pytest.mark.parametrize("ui_test", UI_TESTS)
def test_ui(jupyterlab, ui_test, remove_test_containers, request):
    url, token, log_path = jupyterlab
    env = dict(os.environ, RUNMAGIC_LAB_URL=url, RUNMAGIC_LAB_TOKEN=token, CHROMIUM=CHROMIUM,
               RUNMAGIC_LABELS=json.dumps(remove_test_containers))
    if ui_test == "explorer.test.mjs":
        env["RUNMAGIC_EXPLORER_IMAGE"] = json.dumps(request.getfixturevalue("explorer_image"))
    result = _run(["node", "--test", "--test-reporter=spec", f"ui-tests/{ui_test}"], 300, env=env)
    print(result.stdout[-10000:])
    if result.returncode != 0:
        pytest.fail(f"UI test {ui_test} failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
                    f"\n--- jupyterlab log (tail) ---\n{log_path.read_text(errors='replace')[-4000:]}",
                    pytrace=False)


def test_side_panel_during_an_engine_outage(jupyterlab_without_engine):
    """One line in the side panel, one line in the server log however often it polls."""
    url, token, log_path, address = jupyterlab_without_engine
    env = dict(os.environ, RUNMAGIC_LAB_URL=url, RUNMAGIC_LAB_TOKEN=token, CHROMIUM=CHROMIUM,
               RUNMAGIC_ENGINE_ADDRESS=address)
    result = _run(["node", "--test", "--test-reporter=spec", "ui-tests/outage.mjs"], 300, env=env)
    print(result.stdout[-10000:])
    log = log_path.read_text(errors="replace")
    if result.returncode != 0:
        pytest.fail(f"UI test outage.mjs failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
                    f"\n--- jupyterlab log (tail) ---\n{log[-4000:]}", pytrace=False)
    assert log.count(f"runmagic: no Docker engine answers at {address}") == 1, log[-4000:]
    # The polls answered during the outage are debug lines: none at the server's log level.
    assert "Traceback" not in log and "/runmagic/containers" not in log, log[-4000:]
