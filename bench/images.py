"""Image commands and the explorer's analysis, side by side with dive and the docker CLI.

    python bench/images.py [--keep]

Builds a ~500 MB image from busybox (random data written by RUN steps, half of it
overwritten; labelled as a test session's object, this process's, so that a test run
ending meanwhile leaves it alone, and removed at the end), then measures in one run:

* the explorer's full analysis (streamed export, layer trees, dive's waste figures)
  against ``dive --ci``: wall time (the median of 5 runs of each, alternated, either
  side first in turn: both wait on the engine writing the export), and memory growth of
  the process doing it (runmagic: peak RSS growth of this process; dive: its peak RSS);
* ``%docker_images`` and ``%docker_history`` (the command layer the magics call)
  against the docker CLI: wall time, best of several runs.

Ratios are runmagic / reference (below 1: runmagic is faster or smaller).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import docker  # noqa: E402

from runmagic.commands import image_list  # noqa: E402
from runmagic.commands.context import Context  # noqa: E402
from runmagic.engine import client as engine_client  # noqa: E402
from runmagic.explore.analysis import analyse  # noqa: E402
from runmagic.explore.archive import read_archive  # noqa: E402
from runmagic.grammar import command_flags as tables  # noqa: E402
from runmagic.grammar import parser as cli  # noqa: E402
from tests.support.engine import dockerfile_context, session_labels  # noqa: E402

DOCKERFILE = """\
FROM busybox:latest
RUN mkdir /blob && dd if=/dev/urandom of=/blob/one bs=1M count=250 2>/dev/null \\
 && dd if=/dev/urandom of=/blob/two bs=1M count=10 2>/dev/null
RUN dd if=/dev/urandom of=/blob/one bs=1M count=240 2>/dev/null && rm /blob/two
"""


#: Analyses of each side, alternated.
ROUNDS = 5


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class PeakRss:
    """Samples this process's RSS every 10 ms while a block runs."""

    def __enter__(self):
        self.base = rss_kib()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss_kib())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kib())

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.base) / 1024


def build_image(client) -> str:
    context = dockerfile_context(DOCKERFILE)
    image, _ = client.images.build(fileobj=context, custom_context=True, rm=True,
                                   labels=session_labels(), network_mode="none")
    return image.id


def run_dive(image_id: str) -> tuple[float, float, dict]:
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "dive.json")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(["dive", "--ci", "--json", out, image_id], check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        with open(out) as handle:
            report = json.load(handle)
    return elapsed, max(peak, before) / 1024, report


def run_runmagic(image_id: str):
    engine = engine_client.connect()
    with PeakRss() as memory:
        started = time.perf_counter()
        stream = engine.export_image(image_id)
        try:
            result = analyse(read_archive(stream), image_id)
        finally:
            stream.close()
        elapsed = time.perf_counter() - started
    engine.close()
    return elapsed, memory.growth_mib, result


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def command_time(engine, command, line: str, action) -> float:
    def run():
        ctx = Context(engine, lambda _: None, lambda _: None)
        action(ctx, cli.parse_args(cli.split_line(line), command))
    return best_of(7, run)


def cli_time(line: str) -> float:
    return best_of(7, lambda: subprocess.run(["docker", *line.split()], check=True,
                                             capture_output=True))


def main() -> None:
    client = docker.from_env()
    image_id = build_image(client)
    try:
        # The export's speed is the engine's (and the machine's other load's): alternate
        # the two, which goes first too, and compare medians.
        dive_runs, ours_runs = [], []
        for round_ in range(ROUNDS):
            if round_ % 2:
                ours_runs.append(run_runmagic(image_id))
                dive_runs.append(run_dive(image_id))
            else:
                dive_runs.append(run_dive(image_id))
                ours_runs.append(run_runmagic(image_id))
        dive_s = statistics.median(run[0] for run in dive_runs)
        ours_s = statistics.median(run[0] for run in ours_runs)
        dive_mib = max(run[1] for run in dive_runs)
        ours_mib = max(run[1] for run in ours_runs)
        report, result = dive_runs[0][2], ours_runs[0][2]
        same = (result.size_bytes == report["image"]["sizeBytes"]
                and result.wasted_bytes == report["image"]["inefficientBytes"]
                and result.efficiency == report["image"]["efficiencyScore"])
        print(f"image {image_id[7:19]}: {result.size_bytes / 1e6:.0f} MB in layers, "
              f"{result.bytes_read / 1e6:.0f} MB exported, wasted {result.wasted_bytes / 1e6:.0f} MB, "
              f"efficiency {result.efficiency:.4f} (same as dive: {same})")
        print(f"analysis   runmagic {ours_s:6.2f} s   dive {dive_s:6.2f} s   ratio {ours_s / dive_s:.2f}"
              f"   (medians of {ROUNDS}: runmagic "
              f"{' '.join(f'{run[0]:.2f}' for run in ours_runs)}, dive "
              f"{' '.join(f'{run[0]:.2f}' for run in dive_runs)})")
        print(f"memory     runmagic +{ours_mib:5.1f} MiB (RSS growth, the most of {ROUNDS})   "
              f"dive {dive_mib:6.1f} MiB (peak RSS)")
        engine = engine_client.connect()
        for name, command, line, action, cli_line in (
                ("images", tables.IMAGES, "", image_list.list_images, "images"),
                ("history", tables.HISTORY, image_id, image_list.history, f"history {image_id}")):
            ours = command_time(engine, command, line, action)
            theirs = cli_time(cli_line)
            print(f"{name:10s} runmagic {ours * 1000:6.1f} ms   docker {theirs * 1000:6.1f} ms   "
                  f"ratio {ours / theirs:.2f}")
        engine.close()
    finally:
        if "--keep" not in sys.argv:
            client.images.remove(image_id, force=True)


if __name__ == "__main__":
    main()
