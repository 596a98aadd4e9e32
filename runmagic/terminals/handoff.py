"""An exec session's output, handed from the Jupyter server to the kernel for its transcript.

In the terminal mode the browser's terminal talks to the Jupyter server, which
starts the exec and so holds its only output stream: unlike a container, an
exec cannot be attached to a second time. The kernel waits for the exec's end
but sees none of its output. So the server leaves the session's last bytes and
the terminal's size in a file under Jupyter's runtime directory (the user's
own, shared by a server and the kernels it starts), and the kernel takes the
file once the exec has ended. A kernel that does not share the directory (a
remote one) finds nothing and says where the output was shown.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir

#: Bytes of a session kept for its transcript (the end of it).
TRANSCRIPT_LIMIT = 2 * 1024 * 1024
#: A terminal's size when the browser never gave one.
DEFAULT_SIZE = (24, 80)
#: Seconds a file nobody took is kept (its kernel was interrupted, or is elsewhere).
_STALE_AFTER = 3600.0
_EXEC_ID = re.compile(r"[0-9a-f]{64}")


@dataclass
class HandedOutput:
    data: bytes
    size: tuple[int, int]


def _folder() -> Path:
    return Path(jupyter_runtime_dir()) / "runmagic-terminals"


def _file(exec_id: str) -> Path | None:
    """Where an exec's output goes; None for anything but an engine's exec ID."""
    return _folder() / f"exec-{exec_id}" if _EXEC_ID.fullmatch(exec_id) else None


class Recorder:
    """The server's copy of an exec session's output (its end) and the terminal's size."""

    def __init__(self, exec_id: str):
        self.exec_id = exec_id
        self.data = bytearray()
        self.size = DEFAULT_SIZE

    def feed(self, data: bytes) -> None:
        self.data += data
        if len(self.data) > TRANSCRIPT_LIMIT * 2:
            del self.data[:-TRANSCRIPT_LIMIT]

    def leave(self) -> None:
        """Write the file the kernel takes (whole or not at all), and drop stale ones."""
        path = _file(self.exec_id)
        if path is None:
            return
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_stale(path.parent)
        header = json.dumps({"rows": self.size[0], "cols": self.size[1]}).encode() + b"\n"
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(header + bytes(self.data[-TRANSCRIPT_LIMIT:]))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - _STALE_AFTER
    for entry in folder.iterdir():
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
        except OSError:  # another server removed it first
            pass


def take(exec_id: str, timeout: float) -> HandedOutput | None:
    """The output the server left for ``exec_id``, waiting up to ``timeout`` seconds for
    it; the file is removed. None when none came."""
    path = _file(exec_id)
    if path is None:
        return None
    deadline = time.monotonic() + timeout
    while True:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)
            continue
        path.unlink(missing_ok=True)
        header, _, data = raw.partition(b"\n")
        try:
            fields = json.loads(header)
            size = (int(fields["rows"]), int(fields["cols"]))
        except (ValueError, KeyError, TypeError):
            return None
        return HandedOutput(data, size)
