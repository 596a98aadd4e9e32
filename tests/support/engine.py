"""The Docker engine as the tests see it: labels, leak accounting, a local registry.

Every Docker object a test creates (container, volume, network, image) must carry
``TEST_LABEL=1``; the ``labels`` fixture (tests/conftest.py) gives the full set, which also
names the pytest session and the test that made the object, so the leak report at the end
of the session can say who left what behind.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors

TEST_LABEL = "org.runmagic.test"  # value "1": the object was made by a test
SESSION_LABEL = "org.runmagic.test.session"  # "<host>:<pid>:<random>" of the pytest session
NODE_LABEL = "org.runmagic.test.node"  # pytest node id of the test that made it
FIXTURE_LABEL = "org.runmagic.fixture"  # scripts/setup.sh's local images (never removed by tests)



def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (/proc/PID/stat field 22)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


# Same in every copy of this module within one process; a reused PID has another start time.
SESSION_ID = f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid()) or uuid.uuid4().hex[:8]}"

KINDS = ("container", "network", "volume", "image")  # removal order: containers first


def session_labels() -> dict[str, str]:
    """Labels for objects made outside a test function (session/module fixtures, kernels)."""
    return {TEST_LABEL: "1", SESSION_LABEL: SESSION_ID}


def make_labels(nodeid: str | None = None) -> dict[str, str]:
    labels = session_labels()
    if nodeid:
        labels[NODE_LABEL] = nodeid
    return labels


class EngineUnavailable(RuntimeError):
    pass


def connect(timeout: int = 60) -> docker.DockerClient:
    """A docker-py client from the environment (DOCKER_HOST...) that has answered a ping."""
    where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:  # docker.errors.DockerException, requests' ConnectionError, ...
        raise EngineUnavailable(
            f"no Docker engine answers at {where} ({type(exc).__name__}: {exc}); "
            "run `bash scripts/setup.sh`, which starts dockerd and builds the local images"
        ) from None
    return client


# ------------------------------------------------------------------ leak accounting


@dataclass(frozen=True)
class DockerObject:
    kind: str  # one of KINDS
    id: str
    name: str
    labels: dict = field(hash=False, compare=False)
    detail: str = field(default="", hash=False, compare=False)

    @property
    def session(self) -> str | None:
        return self.labels.get(SESSION_LABEL)

    def describe(self) -> str:
        made_by = self.labels.get(NODE_LABEL) or self.session or "no session label"
        extra = f" {self.detail}" if self.detail else ""
        return f"{self.kind} {self.id[:12]} {self.name}{extra} (made by {made_by})"


def labelled_objects(client: docker.DockerClient, label: str = TEST_LABEL) -> list[DockerObject]:
    """Every container (running or not), network, volume and image carrying ``label``."""
    flt = {"label": label}
    found: list[DockerObject] = []
    for c in client.api.containers(all=True, filters=flt):
        name = (c.get("Names") or ["?"])[0].lstrip("/")
        found.append(DockerObject("container", c["Id"], name, c.get("Labels") or {},
                                  f"image={c.get('Image')} state={c.get('State')}"))
    for n in client.api.networks(filters=flt):
        found.append(DockerObject("network", n["Id"], n.get("Name", "?"), n.get("Labels") or {}))
    for v in client.api.volumes(filters=flt).get("Volumes") or []:
        found.append(DockerObject("volume", v["Name"], v["Name"], v.get("Labels") or {}))
    for i in client.api.images(all=False, filters=flt):
        tags = [t for t in i.get("RepoTags") or [] if t != "<none>:<none>"]
        found.append(DockerObject("image", i["Id"].split(":")[-1], ",".join(tags) or "<untagged>",
                                  i.get("Labels") or {}))
    return found


def remove_objects(client: docker.DockerClient, objects: list[DockerObject]) -> list[str]:
    """Force-remove by ID (containers with their anonymous volumes); returns the failures."""
    errors: list[str] = []
    order = sorted(objects, key=lambda o: KINDS.index(o.kind))
    pending = order
    for _attempt in range(3):  # images with labelled children need their children gone first
        failed = []
        for obj in pending:
            try:
                if obj.kind == "container":
                    client.api.remove_container(obj.id, force=True, v=True)
                elif obj.kind == "network":
                    client.api.remove_network(obj.id)
                elif obj.kind == "volume":
                    client.api.remove_volume(obj.id, force=True)
                else:
                    client.api.remove_image(obj.id, force=True)
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as exc:
                failed.append((obj, exc))
        if not failed:
            return errors
        pending = [obj for obj, _ in failed]
    errors.extend(f"{obj.describe()}: {exc.explanation or exc}" for obj, exc in failed)
    return errors


def anonymous_dangling_volumes(client: docker.DockerClient) -> set[str]:
    """Volumes no container uses whose names are IDs (made by a container's ``-v /path`` or its
    image's VOLUME): they carry no label, so only their appearance during a session tells
    whose they are."""
    found = client.api.volumes(filters={"dangling": True}).get("Volumes") or []
    return {v["Name"] for v in found if len(v["Name"]) == 64 and all(c in "0123456789abcdef" for c in v["Name"])}


def session_is_alive(session: str) -> bool:
    """Whether the pytest session that labelled an object still runs (on this host)."""
    try:
        host, pid, started = session.split(":", 2)
        pid_n = int(pid)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True  # another machine's session: not ours to judge
    return _start_time(pid_n) == started


def _ppid(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def other_pytest_sessions() -> list[int]:
    """PIDs of pytest processes on this host that are neither this one, its ancestors nor its
    descendants: other developers' or agents' test runs sharing the engine."""
    me = os.getpid()
    ancestors, pid = set(), me
    while pid and pid not in ancestors:
        ancestors.add(pid)
        pid = _ppid(pid)
    others = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in ancestors:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"pytest" not in cmdline and b"py.test" not in cmdline:
            continue
        chain, pid = set(), int(entry.name)
        while pid and pid not in chain and pid != me:
            chain.add(pid)
            pid = _ppid(pid)
        if pid != me:  # not a descendant of this session
            others.append(int(entry.name))
    return sorted(others)


def classify(objects: list[DockerObject], unattributed_before: set[str], alone: bool):
    """Split labelled objects into (this session's, stale, not ours to touch).

    Objects with this session's label are this session's. Objects of a dead session are stale.
    Objects without a session label cannot be attributed: when no other pytest session runs on
    this host (``alone``), those that appeared during this session (not in
    ``unattributed_before``) are this session's and the older ones stale; otherwise they are
    left alone.
    """
    mine, stale, foreign = [], [], []
    for obj in objects:
        session = obj.session
        if session == SESSION_ID:
            mine.append(obj)
        elif session is None:
            if not alone:
                foreign.append(obj)
            else:
                (stale if obj.id in unattributed_before else mine).append(obj)
        elif session_is_alive(session):
            foreign.append(obj)
        else:
            stale.append(obj)
    return mine, stale, foreign


# ------------------------------------------------------------------ local registry

REGISTRY_BINARY = "/usr/bin/docker-registry"  # Debian package docker-registry (distribution 2.8)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalRegistry:
    """Debian's docker-registry serving plain HTTP on 127.0.0.1:<free port>.

    The engine treats 127.0.0.0/8 registries as insecure-allowed, so push and pull work
    without TLS or daemon configuration. Storage lives in ``workdir``.
    """

    def __init__(self, workdir: Path, binary: str = REGISTRY_BINARY):
        self.workdir = Path(workdir)
        self.binary = binary
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.log_path = self.workdir / "registry.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _config(self, port: int) -> Path:
        config = {
            "version": 0.1,
            "log": {"level": "warn", "accesslog": {"disabled": True}},
            "storage": {
                "filesystem": {"rootdirectory": str(self.workdir / "storage")},
                "delete": {"enabled": True},
            },
            "http": {"addr": f"127.0.0.1:{port}"},
        }
        path = self.workdir / "config.yml"
        path.write_text(json.dumps(config, indent=2))  # JSON is YAML
        return path

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"

    def start(self, timeout: float = 20.0) -> str:
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"{self.binary} is missing: run `bash scripts/setup.sh` "
                               "(it installs Debian's docker-registry)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # a free port can be taken between probe and bind
            port = free_port()
            config = self._config(port)
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [self.binary, "serve", str(config)], stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.port = port
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(f"http://{self.address}/v2/", timeout=2) as r:
                        if r.status == 200:
                            return self.address
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.1)
            if self.process.poll() is None:
                self.stop()
                raise RuntimeError(f"docker-registry did not answer on {self.address} within "
                                   f"{timeout:.0f} s; log:\n{self._log_tail()}")
            if "address already in use" not in self._log_tail():
                break
        raise RuntimeError(f"docker-registry exited with {self.process.returncode}; "
                           f"log:\n{self._log_tail()}")

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def dockerfile_context(dockerfile: str):
    """A build context holding only ``dockerfile`` (as ``Dockerfile``), for ``images.build``."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as archive:
        data = dockerfile.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    context.seek(0)
    return context
