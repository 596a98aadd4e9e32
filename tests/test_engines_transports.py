"""runmagic's Engine over real remote transports on 127.0.0.1: TLS (socat in front of the
engine's socket, certificates made here) and ssh (Debian's sshd, a key made here, the
docker CLI as the remote ``docker system dial-stdio``).

A container's whole life goes through each transport: create, attach (a hijacked
stream, stdin with EOF), start, wait, remove; and an image export, read off the
connection as the explorer reads it.
"""

from __future__ import annotations

import select

import pytest

from runmagic.engine import client, transports
from runmagic.engine.endpoint import TLS, Endpoint
from runmagic.errors import EngineUnreachable
from runmagic.explore.archive import read_archive
from tests.support.sinks import RecordingSink
from tests.support.transports import Certificates, SSHServer, TLSProxy


def run_through(engine, labels, command, stdin: bytes | None = None,
                answered_first: bool = False) -> tuple[int, dict]:
    """create → attach → start → wait → remove, as the run command does; with
    ``answered_first``, stdin ends while the container's first output waits unread."""
    body = {"Image": "busybox:latest", "Cmd": command, "Labels": labels, "AttachStdout": True,
            "AttachStderr": True, "AttachStdin": stdin is not None, "OpenStdin": stdin is not None,
            "StdinOnce": stdin is not None, "HostConfig": {"NetworkMode": "none"}}
    created = engine.create_container(body)["Id"]
    try:
        session = engine.attach(created, tty=False, stdin=stdin is not None)
        wait = engine.open_wait(created, "next-exit")
        engine.start(created)
        if stdin is not None:
            if answered_first:
                assert select.select([session], [], [], 20)[0], "no output from the container"
            session.send_and_close(stdin)
        sink = RecordingSink()
        session.pump(sink)
        session.close()
        status = wait.status()
        wait.close()
        return status, sink.streams
    finally:
        engine.remove_container(created, force=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return Certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def mutual_tls(certificates):
    proxy = TLSProxy(certificates, client_certificates=True)
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def server_only_tls(certificates):
    proxy = TLSProxy(certificates, client_certificates=False)
    yield proxy
    proxy.stop()


def test_mutual_tls_runs_a_container(mutual_tls, certificates, labels):
    tls = TLS(str(certificates.ca), str(certificates.client), str(certificates.client_key))
    engine = client.connect(Endpoint(mutual_tls.host, "tls-test", tls=tls), timeout=20)
    try:
        status, streams = run_through(engine, labels, ["sh", "-c", "echo out; echo err >&2; exit 3"])
    finally:
        engine.close()
    assert (status, streams) == (3, {"stdout": b"out\n", "stderr": b"err\n"})


def test_ca_only_and_skip_verify(server_only_tls, certificates, labels):
    for tls in (TLS(str(certificates.ca)), TLS(verify=False)):
        engine = client.connect(Endpoint(server_only_tls.host, "tls-test", tls=tls), timeout=20)
        try:
            assert run_through(engine, labels, ["echo", "hi"]) == (0, {"stdout": b"hi\n", "stderr": b""})
        finally:
            engine.close()


def test_requests_ca_bundle_in_the_environment_does_not_replace_the_context_ca(
        mutual_tls, certificates, monkeypatch):
    """The reason docker-py fails here: requests swaps its CA for REQUESTS_CA_BUNDLE."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.other_ca))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(certificates.other_ca))
    tls = TLS(str(certificates.ca), str(certificates.client), str(certificates.client_key))
    engine = client.connect(Endpoint(mutual_tls.host, "tls-test", tls=tls), timeout=20)
    try:
        assert engine.version()["ApiVersion"]
    finally:
        engine.close()


def test_wrong_ca_is_refused_naming_the_engine(mutual_tls, certificates):
    tls = TLS(str(certificates.other_ca), str(certificates.client), str(certificates.client_key))
    with pytest.raises(EngineUnreachable) as caught:
        client.connect(Endpoint(mutual_tls.host, "wrong-ca", tls=tls), timeout=20)
    message = caught.value.message
    assert message.startswith(f"error during connect: {mutual_tls.host} (context 'wrong-ca'): "
                              "tls: failed to verify certificate:")
    assert str(certificates.other_ca) in message and "\n" not in message


def test_missing_client_certificate_is_refused_clearly(mutual_tls, certificates):
    with pytest.raises(EngineUnreachable) as caught:
        client.connect(Endpoint(mutual_tls.host, "ca-only", tls=TLS(str(certificates.ca))), timeout=20)
    assert caught.value.message.startswith(f"error during connect: {mutual_tls.host} (context 'ca-only'): tls:")
    assert "no client certificate was offered" in caught.value.message


# -- ssh -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = SSHServer(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture
def ssh_path(sshd, monkeypatch):
    """ssh is looked up on PATH, as the docker CLI does: the wrapper gives it the test's config."""
    monkeypatch.setenv("PATH", sshd.environ()["PATH"])


def test_ssh_runs_a_container_with_stdin(sshd, ssh_path, labels):
    engine = client.connect(Endpoint(sshd.url(), "ssh-test"), timeout=30)
    try:
        status, streams = run_through(engine, labels, ["sh", "-c", "cat; echo err >&2; exit 5"],
                                      stdin=b"from the cell\n")
    finally:
        engine.close()
    assert (status, streams) == (5, {"stdout": b"from the cell\n", "stderr": b"err\n"})


def test_ssh_connections_are_reused(sshd, ssh_path, monkeypatch):
    started = []
    original = transports.SSHConnection.connect

    def counting_connect(self):
        started.append(self)
        original(self)

    monkeypatch.setattr(transports.SSHConnection, "connect", counting_connect)
    engine = client.connect(Endpoint(sshd.url(), "ssh-test"), timeout=30)
    try:
        for _ in range(5):
            engine.containers(all=True)
            engine.version()
    finally:
        engine.close()
    assert len(started) == 1


def test_ssh_keeps_connections_started_ahead_once_the_engine_answered(sshd, ssh_path):
    """A run's attach consumes a connection: the next one comes from ssh processes started
    ahead (none before the first answer, so they share the master connection), and closing
    the engine ends them all."""
    handshakes = sshd.handshakes()
    engine = client.connect(Endpoint(sshd.url(), "ssh-test"), timeout=30)
    dialer = engine._api.get_adapter(transports.SSH_BASE_URL).pool.dialer
    try:
        engine.version()
        ready = list(dialer._ready)
        assert len(ready) == transports.SSHDialer.READY
        assert all(started.process.poll() is None for started in ready)
        taken = dialer.dial()
        assert taken is ready[0] and len(dialer._ready) == transports.SSHDialer.READY  # refilled
        taken.discard()
        engine.containers(all=True)
        assert sshd.handshakes() <= handshakes + 1  # the master's only: spares share it
    finally:
        engine.close()
    for started in ready:
        assert started.process.wait(timeout=10) is not None
    assert dialer._ready == []


@pytest.mark.parametrize("problem", ["unknown host key", "refused login", "no remote docker"])
def test_ssh_failures_are_one_line_naming_the_host(sshd, ssh_path, problem):
    url = {"unknown host key": f"ssh://{sshd.user}@localhost:{sshd.port}",  # not in known_hosts
           "refused login": f"ssh://no-such-user@127.0.0.1:{sshd.port}",
           "no remote docker": sshd.url(sshd.no_docker_port)}[problem]
    with pytest.raises(EngineUnreachable) as caught:
        client.connect(Endpoint(url, "ssh-test"), timeout=30)
    message = caught.value.message
    assert message.startswith(f"{url}: ") and "\n" not in message
    expected = {"unknown host key": "ssh does not know the host key of localhost",
                "refused login": "ssh refused the login to 127.0.0.1 (",
                "no remote docker": "no docker command on 127.0.0.1"}[problem]
    assert expected in message


def test_tls_delivers_stdin_and_its_end(mutual_tls, certificates, labels):
    tls = TLS(str(certificates.ca), str(certificates.client), str(certificates.client_key))
    engine = client.connect(Endpoint(mutual_tls.host, "tls-test", tls=tls), timeout=20)
    try:
        status, streams = run_through(engine, labels, ["sh", "-c", "cat; echo done"], stdin=b"body\n")
        # Output already received when the input ends (close_notify) is still read.
        answered = run_through(engine, labels, ["sh", "-c", "echo early; cat; echo done"],
                               stdin=b"body\n", answered_first=True)
    finally:
        engine.close()
    assert (status, streams["stdout"]) == (0, b"body\ndone\n")
    assert answered == (0, {"stdout": b"early\nbody\ndone\n", "stderr": b""})


def export_entries(engine) -> list:
    """Every entry of busybox's export as the explorer reads it, checksums included."""
    stream = engine.export_image("busybox:latest")
    try:
        archive = read_archive(stream)
    finally:
        stream.close()
    return sorted(node.info.as_tuple() for tree in archive.ordered_trees() for node in tree.nodes()
                  if node.info.path)


@pytest.mark.parametrize("transport", ["tls", "ssh"])
def test_an_image_export_reads_the_same_through_each_transport(transport, request, certificates):
    if transport == "tls":
        tls = TLS(str(certificates.ca), str(certificates.client), str(certificates.client_key))
        endpoint = Endpoint(request.getfixturevalue("mutual_tls").host, "tls-test", tls=tls)
    else:
        request.getfixturevalue("ssh_path")
        endpoint = Endpoint(request.getfixturevalue("sshd").url(), "ssh-test")
    local, remote = client.connect(), client.connect(endpoint, timeout=30)
    try:
        expected = export_entries(local)
        assert len(expected) > 100 and export_entries(remote) == expected
    finally:
        local.close()
        remote.close()
