"""``docker image inspect`` and ``docker inspect IMAGE`` with templates, beside the docker CLI:
the image Go types (``image.InspectResponse``) decide what ``{{json .Config}}`` prints."""

from __future__ import annotations

import re
import shlex

import pytest

from runmagic.commands import inspect
from runmagic.grammar import command_flags as tables
from tests.support.oracle import assert_same, docker_cli, runmagic_run
from tests.test_images_oracle import engine, image  # noqa: F401  (fixtures)

_ADDRESS = re.compile(r"0xc[0-9a-f]{9}")


@pytest.mark.parametrize("template", [
    "{{json .Config}}",
    "{{.Config.Env}} {{.Config.ExposedPorts}} {{.Config.Volumes}} {{.Config.WorkingDir}}",
    "{{json .Config.Healthcheck}} {{.Config.StopSignal}} {{.Config.User}}",
    "{{.RootFS}} {{.Metadata}} {{json .GraphDriver}}",
    "{{.Os}}/{{.Architecture}} {{.Size}} {{.RepoTags}}",
    "{{json .}}",
    "{{json .ContainerConfig}}",
    "{{.Nope}}",
])
@pytest.mark.parametrize("command, action", [(tables.IMAGE_INSPECT, inspect.inspect_images),
                                             (tables.INSPECT, inspect.inspect)])
def test_inspect_image_templates(engine, image, template, command, action):  # noqa: F811
    assert_same(engine, command, f"-f {shlex.quote(template)} {image['repo']}:one", action)


def test_inspect_image_plain_and_missing(engine, image):  # noqa: F811
    assert_same(engine, tables.IMAGE_INSPECT, f"{image['repo']}:one", inspect.inspect_images)
    assert_same(engine, tables.IMAGE_INSPECT, "no-such-image-runmagic", inspect.inspect_images)


@pytest.mark.parametrize("template", ["{{.Config}}", "{{.ContainerConfig}}"])
@pytest.mark.parametrize("command, action", [(tables.IMAGE_INSPECT, inspect.inspect_images),
                                             (tables.INSPECT, inspect.inspect)])
def test_whole_image_configs_print_as_go_structs(engine, template, command, action):  # noqa: F811
    # busybox:latest (a shared fixture, only read) has no healthcheck: every
    # pointer in its configs is nil, so Go prints them whole, as runmagic does.
    got = assert_same(engine, command, f"-f {shlex.quote(template)} busybox:latest", action)
    assert got[1].startswith("{") and "<nil>" in got[1]


@pytest.mark.parametrize("template", ["{{.Config}}", "{{.ContainerConfig}}"])
def test_a_healthcheck_pointer_in_a_whole_config_is_refused(engine, image, template):  # noqa: F811
    # Go prints the healthcheck pointer as a memory address (0xc000...), a
    # value no other program can reproduce: runmagic refuses and says how to
    # print it instead of printing an invented address.
    line = f"-f {shlex.quote(template)} {image['repo']}:one"
    status, stdout, _ = docker_cli(f"image inspect {line}")
    assert status == 0 and _ADDRESS.search(stdout)
    got = runmagic_run(engine, tables.IMAGE_INSPECT, line, inspect.inspect_images)
    assert got == (1, "", "runmagic: Go prints a pointer inside this value as a memory address; "
                          "print its fields, or use {{json ...}}\n")
    fields = template.replace("}}", ".Healthcheck.Test}}")
    assert_same(engine, tables.IMAGE_INSPECT, f"-f {shlex.quote(fields)} {image['repo']}:one",
                inspect.inspect_images)
