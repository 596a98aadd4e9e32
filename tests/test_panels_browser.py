"""The panel in a real browser: JupyterLab on 127.0.0.1 in Debian's headless Chromium,
driven by playwright-core (tests/browser/panel.mjs; never a downloaded browser)."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from runmagic.display.panel import proxy_base
from tests.support.engine import NODE_LABEL, free_port

BROWSER_DIR = Path(__file__).parent / "browser"
CHROMIUM = "/usr/bin/chromium"
PAGE = "hello-from-a-panel"
# --init: httpd as PID 1 ignores SIGTERM, so Stop would wait out the 10 s stop timeout.
HTTPD_CELL = (f"%docker_run -d --init -p 127.0.0.1::80 busybox sh -c "
              f"'mkdir /www && echo {PAGE} > /www/index.html && exec httpd -f -p 80 -h /www'")


def _notebook(labels: dict) -> dict:
    def cell(source):
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}

    return {
        "cells": [cell(f"%load_ext runmagic\n%config DockerRun.labels = {labels!r}"), cell(HTTPD_CELL)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


class JupyterLab:
    """``jupyter lab`` on a free 127.0.0.1 port with a token, its state in ``home``."""

    def __init__(self, home: Path):
        self.home = home
        self.root = home / "notebooks"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = home / "jupyter.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.root.mkdir(parents=True)
        # Never ask about, nor fetch, Jupyter's news and update checks: no off-machine requests.
        settings = self.home / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.home / "config"),
                   JUPYTER_DATA_DIR=str(self.home / "data"), JUPYTER_RUNTIME_DIR=str(self.home / "runtime"))
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                 f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", "--ServerApp.allow_root=True",
                 f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                 f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
                 f"--LabApp.user_settings_dir={self.home / 'settings'}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer on {self.url}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the server's PID: it shuts its kernels down, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def jupyter_lab(tmp_path):
    lab = JupyterLab(tmp_path / "lab")
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def playwright_installed():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh` (Debian's chromium)", pytrace=False)
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER_DIR, check=True,
                       env=dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1"), timeout=300)


def test_panel_in_jupyterlab(playwright_installed, jupyter_lab, labels, docker_client, tmp_path):
    (jupyter_lab.root / "panel.ipynb").write_text(json.dumps(_notebook(labels)))
    screenshots = tmp_path / "screenshots"
    screenshots.mkdir()
    env = dict(os.environ, JUPYTER_URL=jupyter_lab.url, JUPYTER_TOKEN=jupyter_lab.token, NOTEBOOK="panel.ipynb",
               EXPECTED_PAGE=PAGE, SCREENSHOT_DIR=str(screenshots))
    try:
        driver = subprocess.run(["node", "panel.mjs"], cwd=BROWSER_DIR, env=env, capture_output=True, text=True,
                                timeout=150, check=False)
        made = docker_client.api.containers(all=True, filters={"label": f"{NODE_LABEL}={labels[NODE_LABEL]}"})
        assert driver.returncode == 0, (
            f"{driver.stdout}\n{driver.stderr}\nscreenshots: {screenshots}\njupyter log:\n{jupyter_lab.log_tail()}")
        # With jupyter-server-proxy installed the link goes through the Jupyter server.
        link_start = f"{jupyter_lab.url}/proxy/" if proxy_base() else "http://127.0.0.1:"
        assert f"fetched {link_start}" in driver.stdout and PAGE in driver.stdout, driver.stdout
        assert [c["State"] for c in made] == ["exited"]
    finally:
        for container in docker_client.api.containers(
                all=True, filters={"label": f"{NODE_LABEL}={labels[NODE_LABEL]}"}):
            docker_client.api.remove_container(container["Id"], force=True, v=True)
    shutil.rmtree(screenshots)
