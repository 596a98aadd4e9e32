"""``%%docker_build`` against the engine's classic builder, beside ``DOCKER_BUILDKIT=0 docker build``.

All from busybox:latest (nothing can be pulled); every image carries the test labels
(``--label``) and is removed by the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid

import pytest

from runmagic.commands import build
from runmagic.commands.context import Context
from runmagic.engine import client as engine_client
from runmagic.errors import CommandError
from runmagic.grammar import command_flags as tables
from runmagic.grammar import parser as cli

MULTI_STAGE = """\
FROM busybox:latest AS base
ARG GREETING=unset
RUN echo "greeting=$GREETING" > /greeting
COPY . /ctx/
FROM base AS test
RUN ls /ctx | sort > /listing && cat /listing
FROM base AS final
RUN echo final
"""


@pytest.fixture
def engine():
    connected = engine_client.connect()
    yield connected
    connected.close()


@pytest.fixture
def made(docker_client):
    images = []
    yield images
    for image in images:
        try:
            docker_client.images.remove(image, force=True)
        except Exception:  # already gone with another tag
            pass


def label_flags(labels: dict) -> str:
    return " ".join(f"--label {k}={v}" for k, v in labels.items())


def run_build(engine, line: str, body: str | None):
    out, err = [], []
    ctx = Context(engine, out.append, err.append)
    parsed = cli.parse_args(cli.split_line(line), tables.BUILD)
    status = 0
    try:
        image = build.build(ctx, parsed, body)
    except CommandError as exc:
        image, status, err = None, exc.exit_status, [*err, str(exc)]
    return image, "".join(out), "".join(err), status


def context_dir(tmp_path):
    (tmp_path / "keep.txt").write_text("k")
    (tmp_path / "skip.log").write_text("s")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x").write_text("x")
    (tmp_path / ".dockerignore").write_text("*.log\nsub\n")
    return tmp_path


def test_multi_stage_target_build_arg_dockerignore(engine, made, labels, tmp_path):
    tag = f"runmagic-test/build:{uuid.uuid4().hex[:8]}"
    ctx_dir = context_dir(tmp_path)
    image, out, err, status = run_build(
        engine, f"-t {tag} --target test --build-arg GREETING=hello {label_flags(labels)} "
        f"--network none {ctx_dir}", MULTI_STAGE)
    made += [image, tag]
    assert status == 0, err
    assert re.search(r"^Step 1/\d+ : FROM busybox:latest AS base$", out, re.M)
    assert "RUN echo final" not in out  # stages after the target are not built
    listing = out.split("cat /listing\n")[1]
    assert "keep.txt" in listing and "skip.log" not in listing and "sub" not in listing
    assert ".dockerfile." not in listing  # the cell body's Dockerfile is not in the context
    assert re.search(rf"^Successfully built {image[7:19]}$", out, re.M)
    assert f"Successfully tagged {tag}\n" in out
    greeting = subprocess.run(["docker", "run", "--rm", *label_flags(labels).split(), "--network",
                               "none", tag, "cat", "/greeting"],
                              capture_output=True, text=True).stdout
    assert greeting == "greeting=hello\n"


def test_same_transcript_as_the_cli(engine, made, labels, tmp_path):
    """The classic CLI's stdout for the same build (IDs aside, the CLI's context line aside)."""
    ctx_dir = context_dir(tmp_path)
    (ctx_dir / "Dockerfile").write_text("FROM busybox:latest\nRUN echo step-output\nCMD [\"true\"]\n")
    tag = f"runmagic-test/build:{uuid.uuid4().hex[:8]}"
    image, out, err, status = run_build(engine, f"--no-cache -t {tag} {label_flags(labels)} "
                                        f"--network none {ctx_dir}", None)
    made += [image, tag]
    done = subprocess.run(["docker", "build", "--no-cache", "-t", tag, *label_flags(labels).split(),
                           "--network", "none", str(ctx_dir)], capture_output=True, text=True,
                          env={**os.environ, "DOCKER_BUILDKIT": "0"})
    assert done.returncode == 0 == status

    def normal(text):
        text = re.sub(r"[0-9a-f]{12}", "ID", text.replace("\r", ""))
        # the context tar's size differs by the tar writers' padding
        text = re.sub(r"(Sending build context to Docker daemon  )\S+", r"\1SIZE", text)
        return [line for line in text.splitlines() if line]
    assert normal(out) == normal(done.stdout)


def test_quiet_and_iidfile(engine, made, labels, tmp_path):
    iid = tmp_path / "iid"
    image, out, err, status = run_build(
        engine, f"-q --iidfile {iid} {label_flags(labels)} {tmp_path}",
        "FROM busybox:latest\nRUN true\n")
    made.append(image)
    assert status == 0 and re.fullmatch(r"sha256:[0-9a-f]{64}\n", out)
    assert iid.read_text() == out


@pytest.fixture
def marker(docker_client):
    """A word put in a build's RUN steps. The classic builder keeps a failed
    step's container; it carries the base image's labels, not the test's, so
    the suite's leak guard cannot see it: every container whose command holds
    the word is removed here, with its anonymous volumes."""
    word = f"runmagic-test-{uuid.uuid4().hex[:10]}"
    yield word
    for container in docker_client.api.containers(all=True):
        if word in container["Command"]:
            docker_client.api.remove_container(container["Id"], force=True, v=True)


def remove_step_images(docker_client, output: str) -> None:
    """The images of the steps a failed build finished (``---> ID``) stay as untagged cache,
    without the test's labels (the builder labels only the last image): removed here."""
    base = docker_client.images.get("busybox:latest").id
    for step in re.findall(r"^ ---> ([0-9a-f]{12})$", output, re.M):
        image = docker_client.images.get(step)
        if image.id != base and not image.tags:
            docker_client.images.remove(image.id)


def kept_container(docker_client, output: str) -> dict:
    """The container of the step the builder ran last (``---> Running in ID``)."""
    ran = re.findall(r"^ ---> Running in ([0-9a-f]{12})$", output, re.M)
    assert ran, output
    return docker_client.api.inspect_container(ran[-1])


def test_failing_run_keeps_output_and_status(docker_client, engine, labels, marker, tmp_path):
    dockerfile = f"FROM busybox:latest\nRUN echo {marker} && exit 3\n"
    image, out, err, status = run_build(
        engine, f"--no-cache {label_flags(labels)} --network none {tmp_path}", dockerfile)
    assert status == 3
    assert f"{marker}\n" in out
    assert err == f"The command '/bin/sh -c echo {marker} && exit 3' returned a non-zero code: 3"
    # Without --force-rm the failed step's container stays, as with docker build.
    assert kept_container(docker_client, out)["State"]["ExitCode"] == 3
    done = subprocess.run(["docker", "build", "--no-cache", "--network", "none", "-"],
                          input=dockerfile, capture_output=True, text=True,
                          env={**os.environ, "DOCKER_BUILDKIT": "0"})
    assert done.returncode == status and done.stderr.strip().endswith(err)
    assert kept_container(docker_client, done.stdout)["State"]["ExitCode"] == 3


def test_failing_run_with_force_rm_leaves_no_container(docker_client, engine, labels, marker,
                                                      tmp_path):
    image, out, err, status = run_build(
        engine, f"--no-cache --force-rm {label_flags(labels)} --network none {tmp_path}",
        f"FROM busybox:latest\nVOLUME /scratch\nRUN echo {marker} && exit 4\n")
    remove_step_images(docker_client, out)
    assert status == 4 and f"{marker}\n" in out
    ran = re.findall(r"^ ---> Running in ([0-9a-f]{12})$", out, re.M)[-1]
    assert not docker_client.api.containers(all=True, filters={"id": ran})
    assert not [c for c in docker_client.api.containers(all=True) if marker in c["Command"]]


def test_missing_base_image_offline(engine, tmp_path):
    image, out, err, status = run_build(engine, f"{tmp_path}",
                                        "FROM runmagic-test/not-here-anywhere:1\n")
    assert status == 1 and image is None
    done = subprocess.run(["docker", "build", "-"], input="FROM runmagic-test/not-here-anywhere:1\n",
                          capture_output=True, text=True, env={**os.environ, "DOCKER_BUILDKIT": "0"})
    assert done.returncode == 1 and err in done.stderr


def test_body_and_file_together_refused(engine, tmp_path):
    image, out, err, status = run_build(engine, f"-f Dockerfile {tmp_path}", "FROM busybox\n")
    assert status == 1 and "the cell body is the Dockerfile" in err
