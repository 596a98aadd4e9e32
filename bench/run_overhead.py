"""runmagic's overhead, measured side by side in one real kernel.

Every measurement runs inside one IPython kernel (started through
jupyter_client, as Jupyter starts it), and the contenders alternate round by
round so that the machine's noise falls on all of them alike:

- floor: the raw Engine API over the unix socket (create, attach, start,
  read to the end, wait, delete), with no client library at all;
- magic: ``%docker_run --rm busybox ...``;
- cli: ``!docker run --rm busybox ...`` (when a docker CLI is on PATH).

Printed: medians and the ratios magic/floor and magic/cli for the whole
lifecycle of ``true``, the time to first output (measured by the client as
the arrival of the first stream message, as a user sees it), 15 MB of
``seq`` output, 200 MB of output without newlines, and the kernel's peak
memory growth over the 200 MB runs. Run: ``python3 bench/run_overhead.py``.
"""

import argparse
import queue
import shutil
import statistics
import sys
import textwrap
import time

from jupyter_client.manager import start_new_kernel

# Defined inside the kernel: the raw Engine API, nothing between us and the socket.
FLOOR_CODE = textwrap.dedent(r'''
    import http.client, json, os, socket, sys

    class _UnixConnection(http.client.HTTPConnection):
        def __init__(self):
            super().__init__("localhost")
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect("/var/run/docker.sock")

    def _call(conn, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status >= 400:
            raise RuntimeError(data)
        return json.loads(data) if data else None

    def floor_run(cmd, show_first=False):
        """create, attach, start, read to end, wait, delete; returns bytes read."""
        conn = _UnixConnection()
        created = _call(conn, "POST", "/v1.41/containers/create", {
            "Image": "busybox:latest", "Cmd": cmd, "AttachStdout": True, "AttachStderr": True,
            "Labels": {"org.runmagic.bench": "1"}, "HostConfig": {"NetworkMode": "none"}})
        cid = created["Id"]
        attach = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attach.connect("/var/run/docker.sock")
        attach.sendall((f"POST /v1.41/containers/{cid}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                        "Host: localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += attach.recv(4096)
        total = len(head.split(b"\r\n\r\n", 1)[1])
        _call(conn, "POST", f"/v1.41/containers/{cid}/start")
        buffer = bytearray(256 * 1024)
        first = True
        while True:
            count = attach.recv_into(buffer)
            if not count:
                break
            if first and show_first:
                sys.stdout.write(bytes(buffer[8:count]).decode(errors="replace"))
                sys.stdout.flush()
            first = False
            total += count
        attach.close()
        _call(conn, "POST", f"/v1.41/containers/{cid}/wait")
        _call(conn, "DELETE", f"/v1.41/containers/{cid}")
        conn.close()
        return total
''')

SETUP = """
%load_ext runmagic
%config DockerRun.labels = {"org.runmagic.bench": "1"}
import time, resource
"""


class Kernel:
    def __init__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3")

    def execute(self, code: str, timeout: float = 600) -> tuple[float, float | None, str, str]:
        """Run code; return (seconds to idle, seconds to first stream message, stdout, error)."""
        started = time.perf_counter()
        msg_id = self.client.execute(code, allow_stdin=False)
        first = None
        stdout, error = [], ""
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(code)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                if first is None:
                    first = time.perf_counter() - started
                if msg["content"]["name"] == "stdout":
                    stdout.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        self.client.get_shell_msg(timeout=timeout)
        return time.perf_counter() - started, first, "".join(stdout), error

    def timed(self, statement: str) -> float:
        """Seconds the statement takes inside the kernel, measured there."""
        code = f"_t = time.perf_counter()\n{statement}\nprint('ELAPSED', time.perf_counter() - _t)"
        _, _, stdout, error = self.execute(code)
        if error:
            raise RuntimeError(error)
        return float(stdout.rsplit("ELAPSED", 1)[1])

    def value(self, expression: str) -> str:
        return self.execute(f"print({expression})")[2].strip()

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def report(label: str, samples: dict[str, list[float]], unit="ms", scale=1000.0) -> dict[str, float]:
    medians = {name: statistics.median(values) for name, values in samples.items()}
    parts = [f"{name} {medians[name] * scale:8.1f} {unit}" for name in samples]
    print(f"{label:<28}" + "   ".join(parts))
    return medians


def ratio_line(label: str, numerator: float, denominator: float, target: str) -> None:
    print(f"  {label:<36} {numerator / denominator:5.3f}x   (target {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the short runs")
    parser.add_argument("--big-rounds", type=int, default=3, help="rounds of the 15 MB and 200 MB runs")
    args = parser.parse_args()
    have_cli = shutil.which("docker") is not None

    kernel = Kernel()
    try:
        kernel.execute(SETUP)
        kernel.execute(FLOOR_CODE)
        # Warm-up: imports, connections and the page cache, for every contender.
        kernel.timed("floor_run(['true'])")
        kernel.timed("%docker_run --rm --network none busybox true")
        if have_cli:
            kernel.timed("!docker run --rm --network none busybox true")

        life = {"floor": [], "magic": []} | ({"cli": []} if have_cli else {})
        first = {"floor": [], "magic": []}
        for _ in range(args.rounds):
            life["floor"].append(kernel.timed("floor_run(['true'])"))
            life["magic"].append(kernel.timed("%docker_run --rm --network none busybox true"))
            if have_cli:
                life["cli"].append(kernel.timed("!docker run --rm --network none busybox true"))
            first["floor"].append(kernel.execute("floor_run(['echo', 'hi'], show_first=True)")[1])
            first["magic"].append(kernel.execute("%docker_run --rm --network none busybox echo hi")[1])

        seq = {"floor": [], "magic": []}
        big = {"floor": [], "magic": []}
        peak_before = int(kernel.value("resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"))
        for _ in range(args.big_rounds):
            seq["floor"].append(kernel.timed("floor_run(['seq', '2000000'])"))
            seq["magic"].append(kernel.timed("%docker_run --rm --network none busybox seq 2000000"))
            big["floor"].append(kernel.timed("floor_run(['head', '-c', '209715200', '/dev/zero'])"))
            big["magic"].append(kernel.timed(
                "%docker_run --rm --network none busybox head -c 209715200 /dev/zero"))
        peak_after = int(kernel.value("resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"))
        kernel.execute("import glob, os\nfor _p in glob.glob(os.path.join("
                       "get_ipython().magics_manager.registry['DockerRun'].log_dir, '*.log')): os.remove(_p)")
    finally:
        kernel.close()

    print(f"runmagic overhead, {args.rounds} rounds of short runs, {args.big_rounds} of long ones (medians)")
    life_m = report("lifecycle of `true`", life)
    first_m = report("time to first output", first)
    seq_m = report("15 MB of seq", seq)
    big_m = report("200 MB without newlines", big)
    print("ratios")
    ratio_line("lifecycle, magic / floor", life_m["magic"], life_m["floor"], "<= 1.05")
    if have_cli:
        ratio_line("lifecycle, magic / !docker run", life_m["magic"], life_m["cli"], "about 0.72")
    ratio_line("first output, magic / floor", first_m["magic"], first_m["floor"], "<= 1.05")
    ratio_line("15 MB seq, magic / floor", seq_m["magic"], seq_m["floor"], "-")
    ratio_line("200 MB, magic / floor", big_m["magic"], big_m["floor"], "<= 1.15")
    growth = (peak_after - peak_before) / 1024
    print(f"  kernel peak memory growth over the long runs: {growth:.1f} MiB (target < 64)")


if __name__ == "__main__":
    sys.exit(main())
