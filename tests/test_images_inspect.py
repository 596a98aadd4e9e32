"""``docker image inspect`` and ``docker inspect IMAGE`` with templates, beside the docker CLI:
the image Go types (``image.InspectResponse``) decide what ``{{json .Config}}`` prints."""

from __future__ import annotations

import shlex

import pytest

from runmagic.commands import inspect
from runmagic.grammar import command_flags as tables
from tests.test_images_oracle import assert_same, engine, image  # noqa: F401  (fixtures)


@pytest.mark.parametrize("template", [
    "{{json .Config}}",
    "{{.Config}}",
    "{{.Config.Env}} {{.Config.ExposedPorts}} {{.Config.Volumes}} {{.Config.WorkingDir}}",
    "{{json .Config.Healthcheck}} {{.Config.StopSignal}} {{.Config.User}}",
    "{{.RootFS}} {{.Metadata}} {{json .GraphDriver}}",
    "{{.Os}}/{{.Architecture}} {{.Size}} {{.RepoTags}}",
    "{{json .}}",
    "{{.ContainerConfig}}",
    "{{.Nope}}",
])
@pytest.mark.parametrize("command, action", [(tables.IMAGE_INSPECT, inspect.inspect_images),
                                             (tables.INSPECT, inspect.inspect)])
def test_inspect_image_templates(engine, image, template, command, action):  # noqa: F811
    assert_same(engine, command, f"-f {shlex.quote(template)} {image['repo']}:one", action)


def test_inspect_image_plain_and_missing(engine, image):  # noqa: F811
    assert_same(engine, tables.IMAGE_INSPECT, f"{image['repo']}:one", inspect.inspect_images)
    assert_same(engine, tables.IMAGE_INSPECT, "no-such-image-runmagic", inspect.inspect_images)
