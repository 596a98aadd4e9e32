"""The core run tests and the panel tests again, against Podman 4.3 (Debian's
``podman system service``, its own socket and storage, busybox loaded into it), and
a container's life through Podman behind TLS and ssh.

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
from runmagic.engine.endpoint import TLS, Endpoint
from tests import test_docker_run as core
from tests import test_panels as panels
from tests.support.kernel import KernelSession
from tests.support.podman import PodmanService, PodmanUnavailable
from tests.support.transports import Certificates, SSHServer, TLSProxy
from tests.test_engines_transports import run_through

#: Tests of the suite that are about something Podman does not have, and why.
NOT_ON_PODMAN = {
    # They start their own kernel or registry against the Docker engine.
    "test_kernel_death_kills_a_foreground_container": "starts its own kernel on the default engine",
    "test_missing_image_is_pulled_from_a_registry_and_run": "the local registry is Docker's fixture",
    "test_watcher_reconnects_after_an_engine_restart": "restarts a dockerd of its own",
    # Podman itself refuses (a clear error, status 125): its k8s-file log driver (conmon's,
    # in json-file's place) has no tag, and journald needs systemd's journal.
    "test_line_expansion_keeps_go_templates": "Podman 4.3 refuses --log-opt tag (write child: broken pipe)",
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


@pytest.fixture(autouse=True)
def _kernel_stays_on_podman(request, podman):
    """After a test that used the kernel, its DOCKER_HOST is still Podman's: a test that
    moved it elsewhere would make the module's later tests run on Docker unnoticed."""
    yield
    if "kernel" in request.fixturenames:
        shown = request.getfixturevalue("kernel").run("import os\nprint(os.environ.get('DOCKER_HOST'))")
        assert shown.stream("stdout").strip() == podman.host, "the test moved the kernel off Podman"


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


# -- Podman behind the remote transports (the same code as Docker's) -------------------


def test_podman_over_mutual_tls(podman, tmp_path, labels):
    certificates = Certificates(tmp_path / "certs")
    proxy = TLSProxy(certificates, client_certificates=True, engine_socket=str(podman.socket))
    tls = TLS(str(certificates.ca), str(certificates.client), str(certificates.client_key))
    try:
        engine = engine_client.connect(Endpoint(proxy.host, "tls-podman", tls=tls), timeout=20)
        try:
            assert engine.is_podman()
            plain = run_through(engine, labels, ["sh", "-c", "echo out; echo err >&2; exit 3"])
            answered = run_through(engine, labels, ["sh", "-c", "echo early; cat; echo done"],
                                   stdin=b"body\n", answered_first=True)
        finally:
            engine.close()
    finally:
        proxy.stop()
    assert plain == (3, {"stdout": b"out\n", "stderr": b"err\n"})
    assert answered == (0, {"stdout": b"early\nbody\ndone\n", "stderr": b""})


def test_podman_over_ssh(podman, tmp_path, labels, monkeypatch):
    server = SSHServer(tmp_path / "sshd", docker_host=podman.host)
    monkeypatch.setenv("PATH", server.environ()["PATH"])
    try:
        engine = engine_client.connect(Endpoint(server.url(), "ssh-podman"), timeout=30)
        try:
            assert engine.is_podman()
            status, streams = run_through(engine, labels, ["sh", "-c", "cat; echo err >&2; exit 5"],
                                          stdin=b"from the cell\n")
        finally:
            engine.close()
    finally:
        server.stop()
    assert (status, streams) == (5, {"stdout": b"from the cell\n", "stderr": b"err\n"})
