"""Kill foreground containers when their kernel dies, however it dies.

A kernel that is shut down or restarted while a cell streams a container is
usually ended by SIGTERM or SIGKILL, so no atexit handler of its own runs.
Instead, one small helper process per engine watches a pipe from the kernel:
the runner registers each foreground container on it and unregisters it when
the run ends. When the pipe closes (the kernel is gone), the helper kills
every container still registered; the engine then removes those run with
--rm, and the others are left stopped, as an interrupt leaves them.

Run as ``python -m runmagic.engine.reaper``; the environment selects the engine.
"""

import subprocess
import sys
import threading


class Reaper:
    """The kernel's side: starts the helper lazily and talks to it."""

    def __init__(self, environ):
        self._environ = dict(environ)
        self._process = None
        self._lock = threading.Lock()

    def _send(self, line: str) -> None:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "runmagic.engine.reaper"],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    env=self._environ, close_fds=True, start_new_session=True,
                )
            try:
                self._process.stdin.write(line.encode() + b"\n")
                self._process.stdin.flush()
            except OSError:  # the helper died; the next registration starts another
                self._process = None

    def register(self, container_id: str) -> None:
        self._send(f"+{container_id}")

    def unregister(self, container_id: str) -> None:
        self._send(f"-{container_id}")


def _watch(lines, kill) -> None:
    """Track registrations until the pipe closes, then kill what is left."""
    running: set[str] = set()
    for raw in lines:
        line = raw.strip().decode()
        if line.startswith("+"):
            running.add(line[1:])
        elif line.startswith("-"):
            running.discard(line[1:])
    for container_id in running:
        kill(container_id)


def main() -> None:
    # Imported here: the kernel imports this module for Reaper only.
    from runmagic.engine.client import connect
    from runmagic.errors import DockerError

    engine = connect()

    def kill(container_id: str) -> None:
        try:
            engine.kill(container_id)
        except DockerError:  # already exited or removed, or the engine is gone with it
            pass

    _watch(sys.stdin.buffer, kill)


if __name__ == "__main__":
    main()
