"""Podman (Debian's 4.3) as a second engine for the tests: ``podman system service`` on a
socket of its own, with private storage, and busybox:latest loaded into that storage from
the Docker engine's (the same image scripts/setup.sh builds from Debian's busybox-static).

Started and stopped by PID; the storage folder goes with it. Anything labelled
``org.runmagic.test`` still on it at the end is reported and removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.support import engine as test_engine

#: Podman's compat API resolves the short name "busybox" to docker.io/library/busybox.
IMAGE_NAMES = ("busybox:latest", "docker.io/library/busybox:latest")


class PodmanUnavailable(RuntimeError):
    pass


class PodmanService:
    def __init__(self, folder: Path):
        if shutil.which("podman") is None:
            raise PodmanUnavailable("podman is not installed (Debian package podman, see scripts/setup.sh)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        conf = folder / "containers.conf"
        # Podman 4.3's default ulimits exceed what this machine's containers may raise.
        conf.write_text("[containers]\ndefault_ulimits = []\n")
        self.environ = {**os.environ, "CONTAINERS_CONF": str(conf)}
        self.socket = folder / "podman.sock"
        self.options = ["--root", str(folder / "storage"), "--runroot", str(folder / "run"),
                        "--storage-driver", "vfs"]
        self._load_busybox()
        self.process = subprocess.Popen(
            ["podman", *self.options, "system", "service", "--time=0", f"unix://{self.socket}"],
            env=self.environ, stdout=subprocess.DEVNULL, stderr=open(folder / "service.log", "wb"),
            start_new_session=True)
        deadline = time.monotonic() + 20
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise PodmanUnavailable("podman system service did not start: "
                                        + (folder / "service.log").read_text()[-500:])
            time.sleep(0.05)

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def podman(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["podman", *self.options, *args], env=self.environ, capture_output=True,
                              check=True, **kwargs)

    def _load_busybox(self) -> None:
        saved = subprocess.run(["docker", "save", "busybox:latest"], capture_output=True, check=True).stdout
        self.podman("load", input=saved)
        for name in IMAGE_NAMES:
            self.podman("tag", "localhost/busybox:latest", name)

    def leftovers(self) -> list[str]:
        listed = self.podman("ps", "-a", "--filter", f"label={test_engine.TEST_LABEL}", "--format", "json")
        return [c.get("Id", "") for c in json.loads(listed.stdout or b"[]")]

    def stop(self) -> list[str]:
        """Stop the service; the labelled containers that were left behind (then removed)."""
        left: list[str] = []
        if self.process.poll() is None:
            try:
                left = self.leftovers()
                for container in left:
                    self.podman("rm", "-f", container)
            finally:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        return left
