"""The course's HTML site: ``scripts/course.sh --site-only`` renders the committed notebooks.

An index lists the lessons in order; every page links its previous and next page and the contents;
links between notebooks point to pages; no page fetches a script (require.js, MathJax, the widget
manager) from the network, so the site opens offline. No engine needed.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course")
    subprocess.run(["bash", "scripts/course.sh", "--site-only"], cwd=ROOT, check=True, timeout=300,
                   env={**os.environ, "COURSE_OUT": str(out)}, capture_output=True)
    return out / "html"


def test_index_lists_the_lessons_in_order(site):
    linked = re.findall(r'<li><a href="([^"]+)\.html">', (site / "index.html").read_text())
    assert linked == NAMES


def test_every_page_links_previous_next_and_contents(site):
    problems = []
    for position, name in enumerate(NAMES):
        text = (site / f"{name}.html").read_text()
        navs = re.findall(r'<nav class="course-nav".*?</nav>', text, re.S)
        expected = {'href="index.html"'}
        if position:
            expected.add(f'rel="prev" href="{NAMES[position - 1]}.html"')
        if position + 1 < len(NAMES):
            expected.add(f'rel="next" href="{NAMES[position + 1]}.html"')
        if len(navs) != 2 or any(link not in nav for nav in navs for link in expected):
            problems.append(name)
        if position == 0 and 'rel="prev"' in text or position + 1 == len(NAMES) and 'rel="next"' in text:
            problems.append(f"{name}: a link beyond the ends")
    assert not problems, problems


def test_pages_fetch_nothing_and_link_pages_not_notebooks(site):
    for page in site.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]*\ssrc=", text), f"{page.name} loads a script"
        assert not re.search(r'href="\d\d-[^"]*\.ipynb', text), f"{page.name} links a notebook, not its page"
