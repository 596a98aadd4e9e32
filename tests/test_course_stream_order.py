"""A container that interleaves stdout and stderr: the cell, and ``%docker_logs``, keep its order.

The course shows such containers (lessons 4, 5 and 9); a reader must see the lines in the order the
container wrote them, each on its own stream. This drives a real kernel as Jupyter (and nbval) do and
reads the stream messages in the order they arrived. nbval itself compares each stream's text on its
own, so it cannot see a swap between streams: this test is what guards the order.
"""

from __future__ import annotations

import os

# The engine copies a container's stdout and stderr pipes on their own, so two writes a few
# microseconds apart may reach it in either order, in docker's own terminal too: the lines are
# written a moment apart, and from then on runmagic must keep their order.
INTERLEAVED = "sh -c 'echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three; sleep 0.2; echo four >&2'"
EXPECTED = [("stdout", "one"), ("stderr", "two"), ("stdout", "three"), ("stderr", "four")]


def lines_in_arrival_order(execution) -> list[tuple[str, str]]:
    return [(content["name"], line)
            for _, msg_type, content in execution.outputs if msg_type == "stream"
            for line in content["text"].splitlines() if line]


def test_a_cell_keeps_the_order_of_interleaved_streams(kernel, docker_client):
    execution = kernel.run(f"%docker_run --rm --network none busybox {INTERLEAVED}")
    assert execution.error is None, execution.error
    assert lines_in_arrival_order(execution) == EXPECTED


def test_docker_logs_keeps_the_order_of_interleaved_streams(kernel, docker_client):
    name = f"course-stream-order-{os.getpid()}"
    try:
        started = kernel.run(f"%docker_run -d --network none --name {name} busybox {INTERLEAVED}\n%docker_wait {name}")
        assert started.error is None, started.error
        execution = kernel.run(f"%docker_logs {name}")
        assert execution.error is None, execution.error
        assert lines_in_arrival_order(execution) == EXPECTED
    finally:
        kernel.run(f"%docker_rm -f {name}")
