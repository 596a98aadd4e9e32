"""Real remote transports on 127.0.0.1 for the engine tests: a TLS proxy and an sshd.

Both front the machine's own engine (/var/run/docker.sock): socat terminates TLS and
forwards to the socket; sshd runs the local docker CLI as ``docker system dial-stdio``.
Every process is started here and stopped by its PID.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ENGINE_SOCKET = "/var/run/docker.sock"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started, and the children it forked (socat's per-connection ones)."""
    if process.poll() is not None:
        return
    children = _children(process.pid)
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for child in children:
        try:
            os.kill(child, signal.SIGTERM)
        except ProcessLookupError:
            pass


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-key.pem",
             "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN=runmagic test {name}", cwd=folder)
    return folder / f"{name}.pem", folder / f"{name}-key.pem"


def make_cert(folder: Path, ca: tuple[Path, Path], name: str, server: bool) -> tuple[Path, Path]:
    """A certificate signed by ``ca``: a server's for 127.0.0.1, or a client's."""
    extensions = folder / f"{name}.ext"
    extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                          if server else "extendedKeyUsage=clientAuth\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-key.pem", "-out",
             f"{name}.csr", "-subj", f"/CN={name}", cwd=folder)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", str(ca[0]), "-CAkey", str(ca[1]),
             "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", str(extensions),
             cwd=folder)
    return folder / f"{name}.pem", folder / f"{name}-key.pem"


class Certificates:
    """A CA, a server certificate for 127.0.0.1, a client certificate, and an unrelated CA."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ca, ca_key = make_ca(folder, "ca")
        self.server, self.server_key = make_cert(folder, (self.ca, ca_key), "server", server=True)
        self.client, self.client_key = make_cert(folder, (self.ca, ca_key), "client", server=False)
        self.other_ca, _ = make_ca(folder, "other-ca")
        self.server_pem = folder / "server-full.pem"  # socat wants key and certificate in one file
        self.server_pem.write_bytes(self.server.read_bytes() + self.server_key.read_bytes())

    def cert_path(self, name: str, files: dict[str, Path]) -> Path:
        """A DOCKER_CERT_PATH-style folder holding ``files`` as ca.pem/cert.pem/key.pem."""
        folder = self.folder / name
        folder.mkdir(exist_ok=True)
        for target, source in files.items():
            (folder / target).write_bytes(source.read_bytes())
        return folder


class TLSProxy:
    """socat terminating TLS on 127.0.0.1:PORT in front of an engine's socket (Docker's
    unless ``engine_socket`` names another); ``client_certificates``: mutual TLS (a client
    certificate signed by the CA is required)."""

    def __init__(self, certificates: Certificates, client_certificates: bool,
                 engine_socket: str = ENGINE_SOCKET):
        self.port = free_port()
        verify = f"cafile={certificates.ca},verify=1" if client_certificates else "verify=0"
        self.process = subprocess.Popen(
            # -t: after the client's half-close (a cell body's EOF), keep forwarding the
            # container's output for as long as it runs.
            ["socat", "-t", "3600", f"OPENSSL-LISTEN:{self.port},bind=127.0.0.1,fork,reuseaddr,"
                      f"cert={certificates.server_pem},{verify}", f"UNIX-CONNECT:{engine_socket}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for_port(self.port, self.process, "socat")

    @property
    def host(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.process)


class SSHServer:
    """Debian's sshd on 127.0.0.1:PORT for the current user, a key made here, and an
    ``ssh`` wrapper (first on PATH) that gives the client this test's ssh config: OpenSSH
    reads ~/.ssh/config from the password database's home, not from $HOME.

    ``no_docker_port``: a second port whose sessions cannot find docker (as on a host
    without it). ``docker_host``: the engine the remote docker CLI reaches (its
    ``DOCKER_HOST``; the machine's Docker engine by default)."""

    def __init__(self, folder: Path, docker_host: str = ""):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        os.makedirs("/run/sshd", exist_ok=True)
        self.port, self.no_docker_port = free_port(), free_port()
        self.user = os.environ.get("USER") or "root"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key")],
                       check=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "id_test")],
                       check=True)
        (folder / "authorized_keys").write_text((folder / "id_test.pub").read_text())
        (folder / "sshd_config").write_text(
            f"Port {self.port}\nPort {self.no_docker_port}\nListenAddress 127.0.0.1\n"
            f"HostKey {folder / 'host_key'}\nAuthorizedKeysFile {folder / 'authorized_keys'}\n"
            f"PidFile {folder / 'sshd.pid'}\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nLogLevel INFO\n"
            + (f"SetEnv DOCKER_HOST={docker_host}\n" if docker_host else "") +
            f"Match LocalPort {self.no_docker_port}\n"
            "    ForceCommand /nonexistent/bin/docker system dial-stdio\n")
        host_key = (folder / "host_key.pub").read_text().split()
        self.known_hosts = folder / "known_hosts"
        self.known_hosts.write_text(
            f"[127.0.0.1]:{self.port},[127.0.0.1]:{self.no_docker_port} {host_key[0]} {host_key[1]}\n")
        self.client_config = folder / "ssh_config"
        self.write_client_config(self.known_hosts)
        self.bin = folder / "bin"
        self.bin.mkdir()
        wrapper = self.bin / "ssh"
        wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/ssh -F "{self.client_config}" "$@"\n')
        wrapper.chmod(0o755)
        self.log = folder / "sshd.log"
        self.process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(folder / "sshd_config")],
                                        stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"),
                                        start_new_session=True)
        wait_for_port(self.port, self.process, "sshd")

    def write_client_config(self, known_hosts: Path) -> None:
        self.client_config.write_text(
            f"Host *\n  IdentityFile {self.folder / 'id_test'}\n  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {known_hosts}\n  GlobalKnownHostsFile /dev/null\n"
            "  StrictHostKeyChecking yes\n  LogLevel ERROR\n")

    def handshakes(self) -> int:
        """Logins sshd has accepted so far: one per ssh handshake (sessions multiplexed
        over a master connection log none)."""
        return self.log.read_text(errors="replace").count("Accepted publickey")

    def url(self, port: int | None = None) -> str:
        return f"ssh://{self.user}@127.0.0.1:{port or self.port}"

    def environ(self, **extra: str) -> dict[str, str]:
        """An environment whose ``ssh`` is the wrapper."""
        return {**os.environ, "PATH": f"{self.bin}:{os.environ.get('PATH', '')}", **extra}

    def stop(self) -> None:
        stop(self.process)
