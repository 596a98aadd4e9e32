"""A container that writes far more than a notebook can take, in a real kernel."""

import os
import re



FLOOD_BYTES = 50 * 1024 * 1024
LIVE_LIMIT = 512 * 1024


def peak_rss_kib(kernel) -> int:
    execution = kernel.run("import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    return int(execution.stream("stdout"))


def max_rate(outputs, window: float, measure) -> float:
    """The highest average over ``window`` seconds, as jupyter_server computes it."""
    times = [(at, measure(content)) for at, kind, content in outputs if kind == "stream"]
    best = 0.0
    for i, (start, _) in enumerate(times):
        total = sum(amount for at, amount in times[i:] if at < start + window)
        best = max(best, total / window)
    return best


def test_flood_is_capped_logged_and_bounded(kernel):
    before = peak_rss_kib(kernel)
    execution = kernel.run(
        "%%docker_run --rm --network none busybox sh\n"
        f"yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789ABC | head -c {FLOOD_BYTES}\n"
        "echo done >&2\n",
        timeout=180,
    )
    assert execution.error is None, execution.error
    stdout = execution.stream("stdout")
    # The head, the notices and a 20-line tail: nothing more reaches the notebook.
    assert LIVE_LIMIT <= len(stdout.encode()) <= LIVE_LIMIT + 8 * 1024
    assert stdout.startswith("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABC\n")
    assert f"{FLOOD_BYTES:,} bytes in all" in stdout
    assert execution.stream("stderr") == "done\n"

    log_path = re.search(r"the full output is in (\S+-stdout\.log)", stdout).group(1)
    with open(log_path, "rb") as log:
        assert log.read(50) == b"0123456789abcdefghijklmnopqrstuvwxyz0123456789ABC\n"
    assert os.path.getsize(log_path) == FLOOD_BYTES
    os.remove(log_path)

    growth_mib = (peak_rss_kib(kernel) - before) / 1024
    assert growth_mib < 64, f"kernel peak memory grew by {growth_mib:.0f} MiB"

    # Inside Jupyter's default IOPub limits (1 MB/s and 1000 msgs/s over 3 s).
    assert max_rate(execution.outputs, 3.0, lambda c: len(c["text"].encode())) < 1_000_000
    assert max_rate(execution.outputs, 3.0, lambda c: 1) < 1000


def test_many_small_lines_are_coalesced(kernel):
    execution = kernel.run("%docker_run --rm --network none busybox seq 20000", timeout=60)
    assert execution.stream("stdout") == "".join(f"{i}\n" for i in range(1, 20001))
    assert execution.stream_messages < 50
