"""A wheel built from this checkout ships the prebuilt JupyterLab extension and enables the
server extension: `jupyter labextension list` shows runmagic enabled and OK.

The wheel is built without build isolation (hatchling, hatch-jupyter-builder and
jupyter-builder come with the test extra) so no download is needed; the hook runs
``npm ci`` (skipped while labextension/node_modules is current) and ``npm run build:prod``.
It is installed into a throw-away venv (with this environment's packages visible, so
JupyterLab is there) and inspected with that venv's interpreter.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = "runmagic-0.1.0.data/data/"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.timeout(600)


def run(args, **kwargs) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SKIP_JUPYTER_BUILDER"}
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            env=env, check=False, **kwargs)
    out = ANSI.sub("", result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited with {result.returncode}:\n{out[-20000:]}",
                    pytrace=False)
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(out)], timeout=540)
    wheels = list(out.glob("runmagic-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    ext = DATA + "share/jupyter/labextensions/runmagic/"
    for name in ("package.json", "install.json", "static/style.js",
                 "schemas/runmagic/panels.json"):
        assert ext + name in names, name
    assert any(re.fullmatch(re.escape(ext) + r"static/remoteEntry\.[0-9a-f]+\.js", n) for n in names)
    assert DATA + "etc/jupyter/jupyter_server_config.d/runmagic.json" in names
    for module in ("runmagic/server/__init__.py", "runmagic/server/handlers.py",
                   "runmagic/server/containers.py", "runmagic/grammar/export.py"):
        assert module in names, module
    # Shipped once, as shared data: not a second copy inside the package.
    assert not [n for n in names if n.startswith("runmagic/labextension/")]


def test_installed_wheel_is_enabled(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
         "--disable-pip-version-check", "-q", str(wheel)])
    isolated = {"cwd": tmp_path}
    listing = run([python, "-m", "jupyterlab.labextensions", "list"], **isolated)
    assert re.search(rf"{re.escape(str(venv))}/share/jupyter/labextensions\n\s+runmagic v0\.1\.0 "
                     r"enabled\s+OK \(python, runmagic\)", listing), listing
    servers = run([python, "-m", "jupyter_server.extension.serverextension", "list"], **isolated)
    assert re.search(r"runmagic\.server enabled", servers), servers
    assert re.search(r"runmagic\.server\s+OK", servers), servers
