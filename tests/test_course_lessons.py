"""Every lesson of the course is a lesson, and what is committed is what learners should get.

* each lesson opens with its goals (a markdown cell tagged ``goals`` among its first cells) and
  ends with a recap (a markdown cell tagged ``recap`` holding a table of the flags it taught);
* each lesson has at least two exercises: a markdown task tagged ``exercise``, then a cell for the
  learner, a worked solution tagged ``solution`` whose source is collapsed
  (``metadata.jupyter.source_hidden``), and a ``check`` cell that prints one sentence and never
  just asserts;
* the saved output of every check (the course is executed with the solutions in place) is one
  line saying the result is right;
* no committed notebook carries widget state or widget views: a panel's saved form is its
  text/HTML summary;
* no cell reads a cgroup v1 file without the cgroup v2 one beside it.

Pure file checks: no kernel, no engine.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
LESSONS = [path for path in ALL if re.match(r"\d\d-", path.name) and "index" not in path.name]
WIDGET_MIMES = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")
# A cgroup v1 file lives under a controller's folder; a v2 file sits at the top of the container's cgroup.
CGROUP_V1 = re.compile(r"/sys/fs/cgroup/(?:memory|cpu|cpuacct|cpu,cpuacct|cpuset|pids|blkio|devices|freezer|hugetlb|net_cls|net_prio|perf_event|rdma)/")
CGROUP_V2 = re.compile(r"/sys/fs/cgroup/[a-z]+\.[a-z_.]+")


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def read(path: Path):
    return nbformat.read(path, as_version=4)


def test_there_are_lessons():
    assert len(LESSONS) >= 12, [path.name for path in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_lesson_opens_with_goals_and_ends_with_a_recap(path):
    cells = read(path).cells
    goals = [i for i, cell in enumerate(cells) if "goals" in tags(cell)]
    assert goals and goals[0] <= 3, f"{path.name}: no goals cell among the first cells"
    assert cells[goals[0]].cell_type == "markdown" and cells[goals[0]].source.count("\n- ") >= 2
    recaps = [cell for cell in cells if "recap" in tags(cell)]
    assert len(recaps) == 1, f"{path.name}: {len(recaps)} recap cells"
    rows = [line for line in recaps[0].source.splitlines() if line.startswith("|") and "`" in line]
    assert recaps[0].cell_type == "markdown" and len(rows) >= 3, f"{path.name}: the recap has no table of flags"
    last_exercise = max(i for i, cell in enumerate(cells) if "exercise" in tags(cell))
    assert cells.index(recaps[0]) > last_exercise, f"{path.name}: the recap comes before the exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_lesson_has_exercises_with_a_collapsed_solution_and_a_check(path):
    cells = read(path).cells
    starts = [i for i, cell in enumerate(cells) if "exercise" in tags(cell)]
    assert 2 <= len(starts) <= 3, f"{path.name}: {len(starts)} exercises"
    problems = []
    for number, start in enumerate(starts, 1):
        task, learner, solution, check = cells[start:start + 4]
        where = f"{path.name} exercise {number}"
        if task.cell_type != "markdown":
            problems.append(f"{where}: the task is not a markdown cell")
        if learner.cell_type != "code" or tags(learner) or len(learner.source.splitlines()) > 2:
            problems.append(f"{where}: no (nearly) empty cell for the learner after the task")
        if "solution" not in tags(solution) or solution.cell_type != "code":
            problems.append(f"{where}: no solution cell after the learner's")
        elif not solution.metadata.get("jupyter", {}).get("source_hidden"):
            problems.append(f"{where}: the solution is not collapsed")
        if "check" not in tags(check) or check.cell_type != "code":
            problems.append(f"{where}: no check cell after the solution")
        elif "print(" not in check.source or re.search(r"^\s*assert\b", check.source, re.M):
            problems.append(f"{where}: the check must print a sentence, not assert")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_every_saved_check_says_right_in_one_sentence(path):
    problems = []
    for cell in read(path).cells:
        if "check" not in tags(cell):
            continue
        text = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
        others = [output.output_type for output in cell.outputs if output.output_type != "stream"]
        if others or text.count("\n") != 1 or not text.startswith("Right: "):
            problems.append(f"{cell.get('id')}: {text!r} {others}")
    assert not problems, f"{path.name}: checks whose saved output is not one 'Right: ...' line:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.name)
def test_no_widget_state_is_committed(path):
    notebook = read(path)
    assert "widgets" not in notebook.metadata, f"{path.name} saves widget state in its metadata"
    views = [cell.get("id") for cell in notebook.cells for output in cell.get("outputs", [])
             if any(mime in output.get("data", {}) for mime in WIDGET_MIMES)]
    assert not views, f"{path.name}: widget views saved in cells {views} (keep only their text/HTML summary)"


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.name)
def test_no_cell_reads_only_cgroup_v1_files(path):
    v1_only = [cell.get("id") for cell in read(path).cells
               if cell.cell_type == "code" and CGROUP_V1.search(cell.source) and not CGROUP_V2.search(cell.source)]
    assert not v1_only, f"{path.name}: cells reading cgroup v1 files only: {v1_only}"


def test_the_cgroup_rule_tells_v1_from_v2():
    assert CGROUP_V1.search("cat /sys/fs/cgroup/memory/memory.limit_in_bytes")
    assert not CGROUP_V1.search("cat /sys/fs/cgroup/memory.max")
    assert CGROUP_V2.search("cat /sys/fs/cgroup/memory.max") and CGROUP_V2.search("/sys/fs/cgroup/pids.max")
    assert not CGROUP_V2.search("/sys/fs/cgroup/pids/pids.max")
