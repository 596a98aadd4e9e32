"""A real IPython kernel driven over ZMQ, as Jupyter drives it.

Interrupts, IOPub traffic and kernel memory can only be tested for real in a
kernel process: ``KernelSession.execute`` returns every output message with
the time it arrived.
"""

import queue
import time
from dataclasses import dataclass, field

import psutil
from jupyter_client.manager import start_new_kernel

from tests.support.engine import session_labels


@dataclass
class Execution:
    msg_id: str
    started: float
    outputs: list = field(default_factory=list)  # (seconds since start, msg_type, content)
    reply: dict | None = None
    idle: bool = False

    def stream(self, name: str) -> str:
        return "".join(c["text"] for _, t, c in self.outputs if t == "stream" and c["name"] == name)

    @property
    def error(self) -> dict | None:
        return next((c for _, t, c in self.outputs if t == "error"), None)

    def first_output_time(self, text: str) -> float:
        seen = ""
        for at, kind, content in self.outputs:
            if kind == "stream":
                seen += content["text"]
                if text in seen:
                    return at
        raise AssertionError(f"{text!r} never arrived")

    @property
    def stream_messages(self) -> int:
        return sum(1 for _, t, _ in self.outputs if t == "stream")

    @property
    def stream_bytes(self) -> int:
        return sum(len(c["text"].encode()) for _, t, c in self.outputs if t == "stream")


class KernelSession:
    def __init__(self, extra_setup: str = ""):
        self.manager, self.client = start_new_kernel(kernel_name="python3")
        setup = f"%load_ext runmagic\n%config DockerRun.labels = {session_labels()!r}\n"
        self.run(setup + extra_setup, timeout=60)

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def rss(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def submit(self, code: str) -> Execution:
        return Execution(self.client.execute(code, allow_stdin=False), time.monotonic())

    def _read_one(self, execution: Execution, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"timed out; last outputs: {execution.outputs[-3:]}")
        try:
            msg = self.client.get_iopub_msg(timeout=left)
        except queue.Empty:
            return
        if msg["parent_header"].get("msg_id") != execution.msg_id:
            return
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            execution.idle = True
        elif kind in ("stream", "error", "execute_result", "display_data"):
            execution.outputs.append((time.monotonic() - execution.started, kind, msg["content"]))

    def collect(self, execution: Execution, timeout: float = 60) -> Execution:
        """Read IOPub until the kernel is idle for this execution, then its reply."""
        deadline = time.monotonic() + timeout
        while not execution.idle:
            self._read_one(execution, deadline)
        execution.reply = self.client.get_shell_msg(timeout=timeout)["content"]
        return execution

    def run(self, code: str, timeout: float = 60) -> Execution:
        return self.collect(self.submit(code), timeout)

    def wait_for_output(self, execution: Execution, text: str, timeout: float = 30) -> None:
        """Read IOPub until ``text`` has been printed by ``execution`` (which keeps running)."""
        deadline = time.monotonic() + timeout
        while text not in execution.stream("stdout") + execution.stream("stderr"):
            if execution.idle:
                raise AssertionError(f"{text!r} never arrived: {execution.outputs}")
            self._read_one(execution, deadline)

    def complete(self, code: str, cursor_pos: int | None = None, timeout: float = 30) -> dict:
        """A ``complete_request`` as a frontend sends it; returns the reply's content."""
        msg_id = self.client.complete(code, len(code) if cursor_pos is None else cursor_pos)
        deadline = time.monotonic() + timeout
        while True:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def interrupt(self) -> None:
        self.manager.interrupt_kernel()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)
