"""How runmagic reaches an engine that is not a local socket: TLS and ssh.

TLS (``tcp://`` with certificates) is :mod:`runmagic.engine.tls`.

ssh (``ssh://[user@]host[:port]``): as the docker CLI does, each connection is
``ssh -o ConnectTimeout=30 -T [-l user] [-p port] -- host docker system dial-stdio``
whose stdin and stdout are one end of a socket pair, so the connection is a socket
like a unix one (half-close included: shutting our side's writes closes the remote
stdin, which is how a cell's EOF reaches the container). It is ssh itself, so
``~/.ssh/config`` (ProxyJump, IdentityFile, ...) applies. HTTP keep-alive reuses
connections through a pool; new connections (hijacked attach streams need their
own) ride one ssh master connection (``ControlMaster``), so only the first pays
the ssh handshake.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass

import requests.adapters
import urllib3.connection
import urllib3.connectionpool

from docker.constants import DEFAULT_MAX_POOL_SIZE

from runmagic.engine.endpoint import Endpoint
from runmagic.engine.tls import TLSAdapter, ssl_context
from runmagic.errors import EngineUnreachable

#: Seconds an idle ssh master connection outlives its last use.
SSH_MASTER_PERSIST = 120


# -- ssh -------------------------------------------------------------------------


class SSHFailure(ConnectionError):
    """ssh could not give us a connection to the remote engine; the message names the host."""


def ssh_target(host: str) -> tuple[str | None, str, str | None]:
    """(user, host, port) of ``ssh://[user@]host[:port]``, refused as docker refuses."""
    parsed = urllib.parse.urlsplit(host)
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        raise EngineUnreachable(f"extra path after the host: {parsed.path!r}"
                                if parsed.path not in ("", "/") else
                                f"ssh host connection is not valid: {host}")
    if parsed.password is not None:
        raise EngineUnreachable("plain-text password is not supported")
    if not parsed.hostname:
        raise EngineUnreachable("no host specified")
    return parsed.username, parsed.hostname, str(parsed.port) if parsed.port else None


def _control_dir() -> str:
    folder = os.path.join(tempfile.gettempdir(), f"runmagic-ssh-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def ssh_command(host: str, environ=os.environ) -> list[str]:
    """The docker CLI's ssh helper command, plus: no prompts (a kernel has no terminal
    to answer them) and a shared master connection."""
    user, hostname, port = ssh_target(host)
    executable = shutil.which("ssh", path=environ.get("PATH")) or "ssh"
    command = [executable, "-o", "ConnectTimeout=30", "-T", "-o", "BatchMode=yes",
               "-o", "ControlMaster=auto", "-o", f"ControlPath={_control_dir()}/%C",
               "-o", f"ControlPersist={SSH_MASTER_PERSIST}"]
    if user:
        command += ["-l", user]
    if port:
        command += ["-p", port]
    return command + ["--", hostname, "docker", "system", "dial-stdio"]


def explain_ssh_failure(host: str, status: int | None, stderr: str) -> str:
    """One line, naming the host, for what ssh printed when it gave up."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = lines[-1] if lines else f"ssh exited with status {status}"
    _, hostname, _ = ssh_target(host)
    if any("Host key verification failed" in line for line in lines):
        return (f"{host}: ssh does not know the host key of {hostname} (Host key verification "
                f"failed): add it to known_hosts (connect once with ssh) and try again")
    if any("Permission denied" in line for line in lines):
        return f"{host}: ssh refused the login to {hostname} ({said})"
    if status == 127 or any(("docker" in line and "not found" in line) for line in lines):
        return (f"{host}: no docker command on {hostname}: the remote side must be able to run "
                f"`docker system dial-stdio` ({said})")
    return f"{host}: ssh to {hostname} failed ({said})"


class _Children:
    """The ssh processes of closed connections, reaped when they have exited."""

    def __init__(self):
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen] = []

    def add(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.append(process)
            self._processes = [p for p in self._processes if p.poll() is None]


_children = _Children()


@dataclass
class _Dialled:
    """One started ``ssh ... docker system dial-stdio``: our end of its stdio, and its stderr
    (read only when ssh gives up)."""

    sock: socket.socket
    process: subprocess.Popen
    stderr: object

    def discard(self) -> None:
        self.sock.close()  # ssh sees EOF and leaves; reaped later
        _children.add(self.process)
        self.stderr.close()


class SSHDialer:
    """Starts the ssh processes of one engine's connections, keeping ``READY`` of them started
    ahead of need once the engine has answered through ssh. A new ssh (a client of the master
    connection, a remote session, a remote docker CLI that connects to the engine) takes tens
    of milliseconds to carry its first byte; a run consumes one for its attach (a hijacked
    connection never returns to the pool), so without spares every run would wait for one.
    None is started before the first answer: the master connection must exist first, or each
    spare would make a full ssh handshake of its own."""

    READY = 2

    def __init__(self, host: str, command: list[str]):
        self.host = host
        self._command = command
        self._lock = threading.Lock()
        self._ready: list[_Dialled] = []
        self._answered = False
        self._closed = False

    def _start(self) -> _Dialled:
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()
        try:
            # Its own session: a kernel interrupt signals the kernel's process group,
            # and must not cut the engine connection under the interrupt ladder.
            process = subprocess.Popen(self._command, stdin=theirs, stdout=theirs, stderr=stderr,
                                       start_new_session=True)
        except OSError as exc:
            ours.close()
            stderr.close()
            raise SSHFailure(f"{self.host}: cannot run ssh ({exc.strerror})") from None
        finally:
            theirs.close()
        return _Dialled(ours, process, stderr)

    def dial(self) -> _Dialled:
        """A started ssh for a new connection: a ready one that still runs, else a new one."""
        taken = None
        with self._lock:
            while self._ready and taken is None:
                candidate = self._ready.pop(0)
                if candidate.process.poll() is None:
                    taken = candidate
                else:  # it gave up meanwhile (the engine or the host went away)
                    candidate.discard()
        if taken is None:
            taken = self._start()
        self._refill()
        return taken

    def answered(self) -> None:
        """An answer came through ssh: the master connection is up, spares may start."""
        if not self._answered:
            self._answered = True
            self._refill()

    def _refill(self) -> None:
        with self._lock:
            missing = 0 if (self._closed or not self._answered) else self.READY - len(self._ready)
        for _ in range(missing):
            try:
                started = self._start()
            except SSHFailure:
                return  # the next dial reports it
            with self._lock:
                if self._closed:
                    started.discard()
                    return
                self._ready.append(started)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            ready, self._ready = self._ready, []
        for started in ready:
            started.discard()


class SSHConnection(urllib3.connection.HTTPConnection):
    """One HTTP connection over one ``ssh ... docker system dial-stdio``."""

    def __init__(self, dialer: SSHDialer, timeout):
        super().__init__("localhost", timeout=timeout)
        self._dialer = dialer
        self._ssh_host = dialer.host
        self._process: subprocess.Popen | None = None
        self._last: subprocess.Popen | None = None
        self._stderr = None

    def connect(self):
        dialled = self._dialer.dial()
        self._process, self._stderr = dialled.process, dialled.stderr
        if isinstance(self.timeout, (int, float)):
            dialled.sock.settimeout(self.timeout)
        self.sock = dialled.sock

    def failure(self) -> SSHFailure | None:
        """ssh's reason, once it has given up (None while it still runs). http.client
        closes the connection before its error leaves, hence ``_last``."""
        process = self._process or self._last
        if process is None or self._stderr is None:
            return None
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None
        if status == 0:
            return None
        self._stderr.seek(0)
        said = self._stderr.read(64 * 1024).decode("utf-8", errors="replace")
        return SSHFailure(explain_ssh_failure(self._ssh_host, status, said))

    def request(self, *args, **kwargs):
        try:
            return super().request(*args, **kwargs)
        except OSError as exc:
            raise self.failure() or exc

    def getresponse(self, *args, **kwargs):
        try:
            response = super().getresponse(*args, **kwargs)
        except Exception as exc:  # RemoteDisconnected, a reset, ...
            failure = self.failure()
            if failure is not None:
                raise failure from exc
            raise
        self._dialer.answered()
        return response

    def close(self):
        super().close()
        if self._process is not None:
            # Our end is closed: ssh sees EOF and leaves; reap it later.
            _children.add(self._process)
            self._last, self._process = self._process, None


class SSHConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, host: str, command: list[str], timeout, maxsize: int):
        super().__init__("localhost", timeout=timeout, maxsize=maxsize)
        self.dialer = SSHDialer(host, command)

    def _new_conn(self):
        return SSHConnection(self.dialer, self.timeout.connect_timeout)

    def close(self):
        super().close()
        self.dialer.close()


class SSHAdapter(requests.adapters.HTTPAdapter):
    """Every request to the engine through the one pool of ssh connections."""

    def __init__(self, host: str, command: list[str], timeout: float):
        super().__init__()
        self.pool = SSHConnectionPool(host, command, timeout, DEFAULT_MAX_POOL_SIZE)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        return self.pool

    def get_connection(self, url, proxies=None):
        return self.pool

    def request_url(self, request, proxies):
        return request.path_url

    def close(self):
        self.pool.close()
        super().close()


#: The URL prefix of ssh engines in requests (docker-py keys some paths on its own prefixes).
SSH_BASE_URL = "http+runmagicssh://engine"


def mount(api, endpoint: Endpoint, timeout: float, environ=os.environ) -> None:
    """Point docker-py's client ``api`` at ``endpoint`` through our adapters (TLS, ssh);
    plain tcp and unix sockets keep docker-py's own."""
    if endpoint.scheme == "ssh":
        api.mount(SSH_BASE_URL, SSHAdapter(endpoint.host, ssh_command(endpoint.host, environ), timeout))
        api.base_url = SSH_BASE_URL
    elif endpoint.tls is not None and endpoint.scheme == "tcp":
        api.mount("https://", TLSAdapter(ssl_context(endpoint.tls)))
        api.base_url = "https://" + api.base_url.partition("://")[2]
