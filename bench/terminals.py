"""Live terminals, measured side by side in one browser page against JupyterLab's own terminal.

A JupyterLab (this checkout's extension and server extension, as tests/test_labextension.py
starts it) and headless Debian chromium (bench/terminals.mjs, playwright-core): one busybox sh
container run by ``%docker_run -it`` in a cell; JupyterLab's terminal (terminado) beside it runs
``docker exec -it`` into the same container, the fair peer. Alternating rounds:

- keystroke-to-echo latency over 200 keys (xterm ``input`` to the next parsed write), median
  and p95, and the ratio runmagic / JupyterLab (goal <= 1.2);
- ``seq 1 200000`` until its last line is on screen, with the page's longest event-loop gap
  (responsiveness), ratio (goal <= 1.5);
- the kernel's CPU time over 10 s while the idle terminal is open (goal: none measurable).

Needs the built extension (npm run build in labextension/). Run: ``python3 bench/terminals.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import test_labextension as lab  # noqa: E402  (the JupyterLab the UI tests use)
from tests.support import engine  # noqa: E402


def p95(values):
    return sorted(values)[int(len(values) * 0.95) - 1]


def kernel_pid(url: str, token: str) -> int | None:
    request = urllib.request.Request(url + "api/kernels", headers={"Authorization": f"token {token}"})
    kernels = json.load(urllib.request.urlopen(request))
    ids = {k["id"] for k in kernels}
    for proc in psutil.process_iter(["cmdline"]):
        if any(kernel_id in " ".join(proc.info["cmdline"] or ()) for kernel_id in ids):
            return proc.pid
    return None


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="runmagic-bench-terminals-"))
    labels = engine.session_labels()
    name = f"rm-bench-term-{uuid.uuid4().hex[:8]}"
    lab_run = lab._jupyterlab(lab.BUILT, home, {})
    url, token, _log = next(lab_run)
    client = engine.connect()
    try:
        env = dict(os.environ, RUNMAGIC_LAB_URL=url, RUNMAGIC_LAB_TOKEN=token,
                   RUNMAGIC_LABELS=json.dumps(labels), BENCH_NAME=name)
        browser = subprocess.Popen(["node", str(ROOT / "bench" / "terminals.mjs")], env=env,
                                   stdout=subprocess.PIPE, text=True, cwd=ROOT / "labextension")
        # The kernel's CPU while the terminal sits idle at its prompt, before the rounds start.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.api.containers(filters={"name": name}):
            time.sleep(0.5)
        time.sleep(2)
        pid = kernel_pid(url, token)
        idle_cpu = None
        if pid is not None:
            kernel = psutil.Process(pid)
            before = kernel.cpu_times()
            time.sleep(2.5)  # the rounds start ~3 s after the terminal connects
            after = kernel.cpu_times()
            idle_cpu = (after.user + after.system) - (before.user + before.system)
        stdout, _ = browser.communicate(timeout=900)
        if browser.returncode != 0:
            raise SystemExit(f"bench/terminals.mjs failed ({browser.returncode})")
        data = json.loads(stdout.strip().splitlines()[-1])
    finally:
        for c in client.api.containers(all=True, filters={"name": name}):
            client.api.remove_container(c["Id"], force=True)
        client.close()
        next(lab_run, None)
    keys, seq = data["keys"], data["seq"]
    print(f"keystroke-to-echo over {len(keys['runmagic'])} keys (ms):")
    for which in ("runmagic", "jupyterlab"):
        print(f"  {which:10s} median {statistics.median(keys[which]):6.1f}  p95 {p95(keys[which]):6.1f}")
    print(f"  ratio runmagic/jupyterlab: median "
          f"{statistics.median(keys['runmagic']) / statistics.median(keys['jupyterlab']):.2f}, "
          f"p95 {p95(keys['runmagic']) / p95(keys['jupyterlab']):.2f}   (goal <= 1.2)")
    print("seq 1 200000 (s, best of 2; longest page event-loop gap in ms):")
    best = {w: min(seq[w], key=lambda r: r["seconds"]) for w in seq}
    for which in ("runmagic", "jupyterlab"):
        print(f"  {which:10s} {best[which]['seconds']:6.2f} s  gap {best[which]['maxGapMs']:6.0f} ms")
    print(f"  ratio runmagic/jupyterlab: {best['runmagic']['seconds'] / best['jupyterlab']['seconds']:.2f}"
          "   (goal <= 1.5)")
    if idle_cpu is not None:
        print(f"kernel CPU while the idle terminal is open: {idle_cpu * 1000:.0f} ms over 2.5 s")


if __name__ == "__main__":
    main()
