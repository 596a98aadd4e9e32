"""The course covers the whole `docker run` reference, section by section.

``notebooks/reference-map.json`` keeps the headings of the reference the course follows (Docker's
"Docker run reference", published at the URL the map records) and maps each to the notebook cells
that teach it, as ``"NN-name.ipynb#cell-id"`` (nbformat 4.5 cell ids). These tests keep that map
honest, so that a section cannot silently fall out of the course:

* every top-level (``##``) section of the reference — and every heading below it — has an entry;
* every cell the map names exists, and each section has at least one code cell that runs it;
* the map names no heading the reference does not have;
* the index notebook links every notebook of the course, in order, and Docker's published reference.

Everything they need is in the repository. Where a copy of the reference's Markdown is at hand
(the file ``$RUNMAGIC_RUN_REFERENCE`` names), one more test checks that the map's headings are still that copy's;
elsewhere it is skipped.

Pure file checks: no kernel, no engine.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MAP_FILE = NOTEBOOKS / "reference-map.json"
PUBLISHED_REFERENCES = (
    "https://docs.docker.com/engine/containers/run/",
    "https://docs.docker.com/reference/cli/docker/container/run/",
)


def reference_copy() -> Path | None:
    """A local copy of the reference's Markdown, when one is at hand (never required)."""
    configured = os.environ.get("RUNMAGIC_RUN_REFERENCE")
    return Path(configured) if configured and Path(configured).is_file() else None


def reference_headings(text: str) -> list[tuple[int, str]]:
    """(level, heading text) of every Markdown heading outside fenced code blocks."""
    headings, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match and not fenced:
            headings.append((len(match.group(1)), match.group(2)))
    return headings


@pytest.fixture(scope="module")
def course_map() -> dict:
    return json.loads(MAP_FILE.read_text())


@pytest.fixture(scope="module")
def headings(course_map) -> list[tuple[int, str]]:
    """The reference's headings, in its order, as the map keeps them."""
    return [(entry["level"], entry["heading"]) for entry in course_map["reference"]["headings"]]


def test_the_map_names_the_published_reference(course_map):
    assert course_map["reference"]["url"] in PUBLISHED_REFERENCES, course_map["reference"]["url"]


def test_the_headings_are_the_reference_copys(headings):
    copy = reference_copy()
    if copy is None:
        pytest.skip("no local copy of the reference (set RUNMAGIC_RUN_REFERENCE to check against one)")
    assert headings == reference_headings(copy.read_text()), f"reference-map.json's headings differ from {copy}"


@pytest.fixture(scope="module")
def notebooks() -> dict[str, nbformat.NotebookNode]:
    return {path.name: nbformat.read(path, as_version=4) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}


def test_the_reference_has_sections(headings):
    top = [text for level, text in headings if level == 2]
    assert len(top) >= 5, top  # flag syntax, basics, advanced options, image settings, exit codes


def test_every_top_level_section_is_covered(course_map, headings):
    mapped = {(s["level"], s["heading"]) for s in course_map["sections"]}
    missing = [text for level, text in headings if level == 2 and (level, text) not in mapped]
    assert not missing, f"top-level sections of the reference with no notebook cells: {missing}"


def test_every_heading_is_covered(course_map, headings):
    mapped = {(s["level"], s["heading"]) for s in course_map["sections"]}
    missing = [f"{'#' * level} {text}" for level, text in headings if (level, text) not in mapped]
    assert not missing, f"headings of the reference with no notebook cells: {missing}"


def test_map_names_only_real_headings(course_map, headings):
    unknown = [s["heading"] for s in course_map["sections"] if (s["level"], s["heading"]) not in set(headings)]
    assert not unknown, f"reference-map.json names headings the reference does not have: {unknown}"


def test_mapped_cells_exist_and_run_code(course_map, notebooks):
    problems = []
    for section in course_map["sections"]:
        if not section["cells"]:
            problems.append(f"{section['heading']}: no cells")
            continue
        kinds = []
        for ref in section["cells"]:
            name, _, cell_id = ref.partition("#")
            notebook = notebooks.get(name)
            if notebook is None:
                problems.append(f"{section['heading']}: no notebook {name}")
                continue
            cells = {cell.get("id"): cell for cell in notebook.cells}
            if cell_id not in cells:
                problems.append(f"{section['heading']}: {name} has no cell {cell_id!r}")
                continue
            kinds.append(cells[cell_id].cell_type)
        if kinds and "code" not in kinds:
            problems.append(f"{section['heading']}: no code cell, only prose")
    assert not problems, "\n".join(problems)


def test_notebooks_have_cell_ids(notebooks):
    """Cell ids exist from nbformat 4.5 on; the map depends on them."""
    old = [name for name, nb in notebooks.items() if (nb.nbformat, nb.nbformat_minor) < (4, 5)]
    assert not old, f"notebooks older than nbformat 4.5 (no cell ids): {old}"


def test_index_links_every_notebook_in_order(notebooks):
    names = sorted(notebooks)
    index_name = names[0]
    assert "index" in index_name, f"the first notebook in sorted order should be the index, not {index_name}"
    text = "\n".join(cell.source for cell in notebooks[index_name].cells if cell.cell_type == "markdown")
    linked = re.findall(r"\]\((\d\d-[^)#]+\.ipynb)\)", text)
    ordered = list(dict.fromkeys(linked))
    assert ordered == names[1:], f"the index links {ordered}, the course has {names[1:]}"


def test_notebooks_link_no_local_reference(notebooks):
    """Learners have the published reference, not the workplace's copy of it."""
    local = [name for name, notebook in notebooks.items() for cell in notebook.cells
             if cell.cell_type == "markdown" and re.search(r"shared/reference|docker-run-reference\.md", cell.source)]
    assert not local, f"notebooks pointing at a local copy of the reference: {sorted(set(local))}"
    index = notebooks[sorted(notebooks)[0]]
    text = "\n".join(cell.source for cell in index.cells if cell.cell_type == "markdown")
    assert any(url in text for url in PUBLISHED_REFERENCES), "the index must link Docker's published reference"
