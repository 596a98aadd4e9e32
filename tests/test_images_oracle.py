"""The image commands print what the docker CLI prints for the same images.

Each case runs one line through runmagic's command layer (what the magics call)
and through ``docker`` on the same engine, and compares stdout, stderr and the
exit status. The images are built here from busybox and carry the test labels.
"""

from __future__ import annotations

import uuid

import pytest

from runmagic.commands import image_list, image_manage
from runmagic.engine import client as engine_client
from runmagic.grammar import command_flags as tables
from tests.support.oracle import assert_same, comparable, docker_cli, runmagic_run
from tests.support.engine import dockerfile_context, session_labels

GROUP_LABEL = "org.runmagic.test.group"

DOCKERFILE = """\
FROM busybox:latest
ENV SECRET_TOKEN=hunter2 PLAIN=x
RUN mkdir /app && echo hello > /app/a && head -c 4000 /dev/urandom > /app/b
RUN rm /app/b && echo 'tab\there' > /app/c
EXPOSE 8080/tcp 53/udp
VOLUME /data
WORKDIR /app
USER 1000
LABEL role=oracle
HEALTHCHECK --interval=5s CMD true
STOPSIGNAL SIGINT
CMD ["sh", "-c", "echo hi"]
"""


@pytest.fixture(scope="module")
def engine():
    connected = engine_client.connect()
    yield connected
    connected.close()


@pytest.fixture(scope="module")
def image(docker_client):
    """An image with two tags in one repository, and a container made from it."""
    group = uuid.uuid4().hex[:10]
    repo = f"runmagic-test/oracle-{group}"
    context = dockerfile_context(DOCKERFILE)
    labels = {**session_labels(), GROUP_LABEL: group}
    built, _ = docker_client.images.build(fileobj=context, custom_context=True, labels=labels,
                                          tag=f"{repo}:one", rm=True, network_mode="none")
    built.tag(repo, "two")
    container = docker_client.containers.create(built.id, ["sh", "-c", "touch /app/new; rm /app/a"],
                                                labels=labels, network_disabled=True)
    container.start()
    container.wait()
    try:
        yield {"id": built.id, "repo": repo, "group": group, "container": container.id}
    finally:
        container.remove(force=True, v=True)  # the image's VOLUME made an anonymous volume
        docker_client.images.remove(built.id, force=True)


def mine(image) -> str:
    return f"--filter label={GROUP_LABEL}={image['group']}"


@pytest.mark.parametrize("options", [
    "",
    "-q",
    "--no-trunc",
    "--digests",
    "-a --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}} {{.Containers}}'",
    "--format 'table {{.Repository}}\\t{{.Tag}}\\t{{.CreatedAt}}\\t{{.VirtualSize}}'",
    "--format '{{json .}}'",
    "--format json",
    "--format '{{.Nope}}'",
    "--format '{{.ID'",
    "--format raw",
    "--filter dangling=true --format '{{.ID}}'",
])
@pytest.mark.parametrize("command, action", [(tables.IMAGES, image_list.list_images),
                                             (tables.IMAGE_LS, image_list.list_images)])
def test_images(engine, image, options, command, action):
    if "-a" not in options.split():
        assert_same(engine, command, f"{mine(image)} {options}", action)
        return
    # With -a the build's intermediate image is listed too. The engine sorts images by their
    # creation second with an unstable sort, so an intermediate made in the same second as the
    # final image comes before or after it from one request to the next, for docker as for
    # runmagic: the lines are compared, and their order where the engine does not fix it.
    line = f"{mine(image)} {options}"
    expected = comparable(docker_cli(f"{command.name} {line}"))
    got = runmagic_run(engine, command, line, action)
    assert (got[0], sorted(got[1].splitlines()), got[2]) == \
        (expected[0], sorted(expected[1].splitlines()), expected[2])


def test_images_by_reference(engine, image):
    assert_same(engine, tables.IMAGES, f"{image['repo']}:two --format '{{{{.Tag}}}}'",
                image_list.list_images)
    assert_same(engine, tables.IMAGES, "inspect", image_list.list_images)


@pytest.mark.parametrize("options", [
    "",
    "-H=false",
    "--no-trunc",
    "-q",
    "--format '{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}'",
    "--format 'table {{.ID}}\\t{{.CreatedAt}}'",
    "-H=false --format '{{.CreatedSince}} {{.Size}}'",
    "--format '{{json .}}'",
    "--format '{{.Bad}}'",
])
def test_history(engine, image, options):
    assert_same(engine, tables.HISTORY, f"{options} {image['repo']}:one", image_list.history)


def test_history_errors(engine):
    assert_same(engine, tables.HISTORY, "no-such-image-runmagic", image_list.history)
    assert_same(engine, tables.HISTORY, "a b", image_list.history)


def test_diff(engine, image):
    assert_same(engine, tables.DIFF, image["container"], image_manage.diff)
    assert_same(engine, tables.DIFF, "no-such-container-runmagic", image_manage.diff)


def test_tag_and_rmi(engine, image):
    target = f"{image['repo']}:extra"
    assert_same(engine, tables.TAG, f"{image['repo']}:one {target}", image_manage.tag)
    assert_same(engine, tables.RMI, target, image_manage.remove)
    assert_same(engine, tables.TAG, f"{image['repo']}:one Bad:Name", image_manage.tag)
    assert_same(engine, tables.TAG, f"nope-runmagic-x {target}", image_manage.tag)
    assert_same(engine, tables.RMI, "nope-runmagic-x", image_manage.remove)
    assert_same(engine, tables.RMI, "-f nope-runmagic-x", image_manage.remove)
    # the image is in use by the container: docker's conflict message
    assert_same(engine, tables.RMI, image["id"], image_manage.remove)
