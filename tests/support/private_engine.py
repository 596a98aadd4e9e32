"""A dockerd of the test's own, to kill and restart (never the shared engine).

Its own --data-root, --exec-root, pid file and unix socket under a temporary folder, its own
bridge interface and no iptables rules: containers run with ``--network none``. busybox:latest
is copied in from the shared engine. Only the processes started here are ever signalled.

Never ``--bridge=none``: a dockerd told so DELETES the interface ``docker0`` at start-up,
which is the shared engine's default bridge (same network namespace).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time

import docker

BRIDGE_ADDRESS = "10.213.77.1/24"
STALE_PIDFILE = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "stale-pidfile.sh")


class PrivateEngine:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="runmagic-dockerd-")
        self.socket = os.path.join(self.root, "sock")
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen | None = None
        #: Its own bridge interface (made here, removed at stop), named after its folder.
        self.bridge = "rmt" + os.path.basename(self.root)[-8:].replace("_", "").replace("-", "")[:8]

    @property
    def _containerd_pidfile(self) -> str:
        return os.path.join(self.root, "exec", "containerd", "containerd.pid")

    def start(self, timeout: float = 60) -> None:
        self._remove_stale_pidfiles()
        if subprocess.run(["ip", "link", "show", self.bridge], capture_output=True).returncode:
            subprocess.run(["ip", "link", "add", "name", self.bridge, "type", "bridge"], check=True)
            # An address of its own, so that dockerd picks none that the shared engine uses.
            subprocess.run(["ip", "addr", "add", BRIDGE_ADDRESS, "dev", self.bridge], check=True)
        log = open(os.path.join(self.root, "dockerd.log"), "ab")
        self.process = subprocess.Popen(
            ["dockerd", "--data-root", os.path.join(self.root, "data"),
             "--exec-root", os.path.join(self.root, "exec"), "--pidfile", os.path.join(self.root, "pid"),
             "-H", self.url, f"--bridge={self.bridge}", "--iptables=false", "--ip6tables=false",
             "--ip-masq=false"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.client().ping()
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the private dockerd did not start: see {self.root}/dockerd.log")
                time.sleep(0.2)

    def client(self) -> docker.APIClient:
        return docker.APIClient(base_url=self.url, version="auto", timeout=30)

    def load_busybox(self, shared: docker.DockerClient) -> None:
        for _ in self.client().load_image(b"".join(shared.api.get_image("busybox:latest"))):
            pass  # the answer streams: read it to its end

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer does (dockerd is reaped here; the containerd
        it started may stay a zombie, as on a real machine)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def _own_processes(self) -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if self.root.encode() in open(f"/proc/{entry}/cmdline", "rb").read():
                        found.append(int(entry))
                except OSError:
                    pass
        return found

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            text = open(f"/proc/{pid}/task/{pid}/children").read()
        except OSError:
            return []
        return [int(child) for child in text.split()]

    def _remove_stale_pidfiles(self) -> None:
        """What scripts/setup.sh does before it starts dockerd: pid files left by a killed
        daemon (naming nothing, or a zombie) would stop the next one from starting."""
        for pidfile, name in ((os.path.join(self.root, "pid"), "dockerd"),
                              (self._containerd_pidfile, "containerd")):
            if os.path.exists(pidfile) and subprocess.run(
                    ["bash", STALE_PIDFILE, pidfile, name], capture_output=True).returncode == 0:
                os.remove(pidfile)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # What this dockerd started (its containerd, container shims and their containers)
        # can outlive a SIGKILLed dockerd: every process whose command line names this
        # engine's folder, and its children.
        for pid in self._own_processes():
            for child in [pid, *self._children(pid)]:
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass
        # dockerd bind-mounts its data root and mounts layers under it: unmount, deepest first.
        mounts = [line.split()[1] for line in open("/proc/self/mounts")
                  if line.split()[1].startswith(self.root + "/")]
        for mount in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", mount], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
        subprocess.run(["ip", "link", "delete", self.bridge, "type", "bridge"], capture_output=True)
