"""runmagic over each transport, measured side by side in one real kernel.

Transports, all on this machine and all fronting its one engine: the unix socket,
tcp + mutual TLS (socat in front of the socket, certificates made here), ssh (Debian's
sshd on a loopback port, a key made here, the docker CLI as the remote
``docker system dial-stdio``). Each has a docker context in a temporary DOCKER_CONFIG.

For each transport, alternating round by round:

- floor: the raw Engine API over the same transport, with no client library (create with
  AutoRemove, attach, start, read to the end, wait until removed: what ``docker run --rm``
  asks of the engine), keeping its plain connections (and TLS settings) open
  between runs as any client may; over ssh, the same ``ssh ... docker system
  dial-stdio`` connections with the same shared master connection;
- magic: ``%docker_run --rm --network none busybox true`` with the kernel's
  ``DockerRun.context`` naming the transport's context;
- cli: ``!docker --context X run --rm --network none busybox true``.

Printed: medians of the lifecycle of ``true`` and of the time to first output, the
ratios magic/floor and magic/cli, and, over ssh, how many ssh handshakes a second
and later runs paid (target: none). Run: ``python3 bench/engines.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run_overhead import Kernel, ratio_line, report  # noqa: E402
from runmagic.engine import contexts  # noqa: E402
from tests.support.transports import Certificates, SSHServer, TLSProxy  # noqa: E402

FLOOR_CODE = textwrap.dedent(r'''
    import http.client, json, os, socket, ssl, subprocess, sys, tempfile

    _contexts = {}

    def _open(transport):
        kind = transport[0]
        if kind == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(transport[1])
            return sock
        if kind == "tls":
            _, port, ca, cert, key = transport
            context = _contexts.get(transport)
            if context is None:
                context = _contexts[transport] = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.load_verify_locations(ca)
                context.load_cert_chain(cert, key)
            return context.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                                       server_hostname="127.0.0.1")
        ours, theirs = socket.socketpair()
        subprocess.Popen(transport[1], stdin=theirs, stdout=theirs, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        theirs.close()
        return ours

    class _Connection(http.client.HTTPConnection):
        def __init__(self, transport):
            super().__init__("localhost")
            self.transport = transport
        def connect(self):
            self.sock = _open(self.transport)

    _kept = {}

    def _conn(transport, role):
        key = (tuple(map(str, transport)), role)
        if key not in _kept:
            _kept[key] = _Connection(transport)
        return _kept[key]

    def _call(conn, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status >= 400:
            raise RuntimeError(data)
        return json.loads(data) if data else None

    def floor_run(transport, cmd, show_first=False):
        conn = _conn(transport, "calls")
        created = _call(conn, "POST", "/v1.41/containers/create", {
            "Image": "busybox:latest", "Cmd": cmd, "AttachStdout": True, "AttachStderr": True,
            "Labels": {"org.runmagic.bench": "1"},
            "HostConfig": {"NetworkMode": "none", "AutoRemove": True}})
        cid = created["Id"]
        attach = _open(transport)
        attach.sendall((f"POST /v1.41/containers/{cid}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                        "Host: localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += attach.recv(4096)
        waiter = _conn(transport, "wait")
        waiter.request("POST", f"/v1.41/containers/{cid}/wait?condition=removed")
        _call(conn, "POST", f"/v1.41/containers/{cid}/start")
        buffer = bytearray(65536)
        first = True
        while True:
            count = attach.recv_into(buffer)
            if not count:
                break
            if first and show_first:
                sys.stdout.write(bytes(buffer[8:count]).decode(errors="replace"))
                sys.stdout.flush()
            first = False
        attach.close()
        waiter.getresponse().read()  # --rm: the engine removes it, and then answers
''')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--only", choices=("unix", "tls", "ssh"), action="append",
                        help="measure this transport (repeatable; all three by default)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="runmagic-bench-engines-"))
    certificates = Certificates(work / "certs")
    proxy = TLSProxy(certificates, client_certificates=True)
    sshd = SSHServer(work / "sshd")
    config = work / "docker-config"
    store = contexts.Store(str(config))
    store.create("bench-unix", "unix:///var/run/docker.sock")
    store.create("bench-tls", proxy.host, tls={
        "ca.pem": certificates.ca.read_bytes(), "cert.pem": certificates.client.read_bytes(),
        "key.pem": certificates.client_key.read_bytes()})
    store.create("bench-ssh", sshd.url())
    ssh_command_code = ("from runmagic.engine import transports as _tr\n"
                        f"_ssh_command = _tr.ssh_command({sshd.url()!r})")
    transports = {
        "unix": ("bench-unix", "('unix', '/var/run/docker.sock')"),
        "tls": ("bench-tls", f"('tls', {proxy.port}, {str(certificates.ca)!r}, "
                             f"{str(certificates.client)!r}, {str(certificates.client_key)!r})"),
        "ssh": ("bench-ssh", "('ssh', _ssh_command)"),
    }
    saved = {k: os.environ.get(k) for k in ("DOCKER_CONFIG", "PATH")}
    os.environ["DOCKER_CONFIG"] = str(config)  # the kernel inherits these
    os.environ["PATH"] = sshd.environ()["PATH"]
    kernel = Kernel()
    try:
        kernel.execute("%load_ext runmagic\n%config DockerRun.labels = {'org.runmagic.bench': '1'}\n"
                       "%config DockerRun.panels = False\nimport time")
        kernel.execute(FLOOR_CODE)
        kernel.execute(ssh_command_code)
        results = {}
        for name, (context, transport) in transports.items():
            if args.only and name not in args.only:
                continue
            magic = "%docker_run --rm --network none busybox {}"
            cli = f"!docker --context {context} run --rm --network none busybox {{}}"
            floor = f"floor_run({transport}, {{}})"
            kernel.execute(f"%config DockerRun.context = {context!r}")
            for statement in (floor.format("['true']"), magic.format("true"), cli.format("true")):
                kernel.timed(statement)  # warm-up: imports, connections, ssh master
            handshakes = 0  # paid by the magic's runs after the warm-up
            life = {"floor": [], "magic": [], "cli": []}
            first = {"floor": [], "magic": []}
            for _ in range(args.rounds):
                life["floor"].append(kernel.timed(floor.format("['true']")))
                before = sshd.handshakes()
                life["magic"].append(kernel.timed(magic.format("true")))
                handshakes += sshd.handshakes() - before
                life["cli"].append(kernel.timed(cli.format("true")))
                first["floor"].append(kernel.execute(floor.format("['echo', 'hi'], show_first=True"))[1])
                first["magic"].append(kernel.execute(magic.format("echo hi"))[1])
            results[name] = (life, first, handshakes)
    finally:
        kernel.close()
        proxy.stop()
        sshd.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    print(f"runmagic over each transport, {args.rounds} rounds (medians)")
    for name, (life, first, handshakes) in results.items():
        print(f"[{name}]")
        life_m = report("lifecycle of `true`", life)
        first_m = report("time to first output", first)
        ratio_line("lifecycle, magic / floor", life_m["magic"], life_m["floor"], "<= 1.05")
        ratio_line("lifecycle, magic / !docker --context", life_m["magic"], life_m["cli"], "< 1")
        ratio_line("first output, magic / floor", first_m["magic"], first_m["floor"], "<= 1.05")
        if name == "ssh":
            print(f"  ssh handshakes paid by the {args.rounds} measured magic runs: {handshakes} "
                  "(target 0: one master connection from the warm-up on)")


if __name__ == "__main__":
    sys.exit(main())
