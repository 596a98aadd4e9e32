"""The magics in a real kernel over remote engines: contexts chosen as docker chooses them,
ssh (sshd on 127.0.0.1, the docker CLI as the remote dial-stdio) and TLS (socat in front
of the engine's socket). The remote engines are this machine's engine, so the test's
docker client sees what they create."""

from __future__ import annotations

import json
import re

import pytest

from runmagic.engine import contexts
from tests.support.engine import SESSION_ID, SESSION_LABEL
from tests.support.kernel import KernelSession
from tests.support.transports import Certificates, SSHServer, TLSProxy


def labelled_containers(docker_client):
    return docker_client.api.containers(all=True, filters={"label": f"{SESSION_LABEL}={SESSION_ID}"})


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    certificates = Certificates(folder / "certs")
    proxy = TLSProxy(certificates, client_certificates=True)
    sshd = SSHServer(folder / "sshd")
    config = folder / "docker-config"
    store = contexts.Store(str(config))
    store.create("over-ssh", sshd.url())
    store.create("over-tls", proxy.host, tls={
        "ca.pem": certificates.ca.read_bytes(), "cert.pem": certificates.client.read_bytes(),
        "key.pem": certificates.client_key.read_bytes()})
    store.create("nowhere", "unix:///tmp/runmagic-no-engine-here.sock")
    try:
        yield {"sshd": sshd, "proxy": proxy, "config": config}
    finally:
        proxy.stop()
        sshd.stop()


@pytest.fixture(scope="module")
def kernel(servers):
    """A kernel whose docker config is the test's and whose ssh is the test's wrapper."""
    path = servers["sshd"].environ()["PATH"]
    session = KernelSession(extra_setup=(
        f"import os\nos.environ['DOCKER_CONFIG'] = {str(servers['config'])!r}\n"
        f"os.environ['PATH'] = {path!r}\nos.environ.pop('DOCKER_HOST', None)\n"
        "os.environ.pop('DOCKER_CONTEXT', None)\n"))
    yield session
    session.close()


def use(kernel, name: str) -> None:
    assert kernel.run(f"%config DockerRun.context = {name!r}").error is None


@pytest.mark.parametrize("context", ["over-ssh", "over-tls"])
def test_run_streams_and_exits_over_the_transport(kernel, docker_client, context):
    use(kernel, context)
    try:
        execution = kernel.run("%%docker_run --rm --network none busybox sh -c "
                               "'cat; echo first; sleep 1; echo err >&2; exit 3'\nbody line\n")
        assert execution.stream("stdout") == "body line\nfirst\n"
        assert execution.stream("stderr") == "err\n"
        assert execution.first_output_time("first") < execution.outputs[-1][0] - 0.5  # live
        assert execution.error["traceback"] == ["Container exited with status 3"]
        assert not labelled_containers(docker_client)
    finally:
        use(kernel, "")


def test_interrupt_over_ssh(kernel, docker_client):
    use(kernel, "over-ssh")
    try:
        execution = kernel.submit(
            "%%docker_run --rm --stop-timeout 1 --network none busybox sh\n"
            "trap '' INT TERM\necho ready\nwhile true; do sleep 1; done\n")
        kernel.wait_for_output(execution, "ready")
        kernel.interrupt()
        kernel.collect(execution, timeout=30)
        assert execution.error["traceback"][0].startswith("Interrupted: the container exited with status 137")
        assert not labelled_containers(docker_client)
        assert kernel.run("print(1 + 1)").stream("stdout") == "2\n"
    finally:
        use(kernel, "")


def test_detach_and_logs_over_ssh(kernel, docker_client):
    use(kernel, "over-ssh")
    try:
        execution = kernel.run("h = %docker_run -d --network none busybox sh -c 'echo from-ssh; sleep 30'\n"
                               "print(h.id)")
        container_id = execution.stream("stdout").splitlines()[-1]
        assert re.fullmatch(r"[0-9a-f]{64}", container_id)
        logs = kernel.run(f"%docker_logs {container_id}")
        assert "from-ssh" in logs.stream("stdout")
        kernel.run(f"%docker_rm -f {container_id}")
        assert not labelled_containers(docker_client)
    finally:
        use(kernel, "")


def test_contexts_in_the_kernel(kernel, servers):
    shown = kernel.run("%docker_context show")
    assert shown.stream("stdout") == "default\n"
    use(kernel, "over-ssh")
    try:
        assert kernel.run("%docker_context show").stream("stdout") == "over-ssh\n"
        listing = kernel.run("_l = %docker_context ls\nprint(_l)").stream("stdout")
        assert re.search(r"^over-ssh \*\s+ssh://", listing, re.M)
    finally:
        use(kernel, "")
    config_json = servers["config"] / "config.json"
    assert not config_json.exists(), "the kernel setting wrote the user's config"


def test_errors_name_the_engine(kernel):
    use(kernel, "nowhere")
    try:
        execution = kernel.run("%docker_run --rm busybox true")
        [line] = execution.error["traceback"]
        assert "unix:///tmp/runmagic-no-engine-here.sock (context 'nowhere')" in line
        listing = kernel.run("%docker_ps")
        assert "(context 'nowhere')" in listing.error["traceback"][0]
    finally:
        use(kernel, "")
    use(kernel, "no-such-context")
    try:
        [line] = kernel.run("%docker_run --rm busybox true").error["traceback"]
        assert 'context "no-such-context": context not found' in line
    finally:
        use(kernel, "")


def test_unknown_host_key_over_ssh_is_one_line(kernel, servers):
    sshd = servers["sshd"]
    store = contexts.Store(str(servers["config"]))
    store.create("unknown-key", f"ssh://{sshd.user}@localhost:{sshd.port}")
    use(kernel, "unknown-key")
    try:
        [line] = kernel.run("%docker_run --rm busybox true").error["traceback"]
        assert f"ssh://{sshd.user}@localhost:{sshd.port}: ssh does not know the host key of localhost" in line
    finally:
        use(kernel, "")
        store.remove("unknown-key")


def test_context_json_listing(kernel):
    out = kernel.run("_l = %docker_context ls --format json\nprint(_l)").stream("stdout")
    names = [json.loads(line)["Name"] for line in out.splitlines() if line.startswith("{")]
    assert {"default", "over-ssh", "over-tls", "nowhere"} <= set(names)
