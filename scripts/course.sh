#!/usr/bin/env bash
# The course, executed and rendered as a small static site.
#
#   bash scripts/course.sh              set up, execute every notebook of notebooks/ with nbclient
#                                       (00-index first, then the lessons in order), then build the site
#   bash scripts/course.sh --site-only  build the site from the committed notebooks (their saved outputs);
#                                       needs no engine
#
# Executed notebooks: $COURSE_OUT/*.ipynb, without widget state or widget views (the form notebooks/ commits).
# Site: $COURSE_OUT/html/, start at index.html. COURSE_OUT defaults to build/course. Every page has
# previous/next links, links between notebooks point to their pages, and nothing is fetched from the network
# when a page opens: no require.js, MathJax or widget manager from a CDN; panels show the text/HTML summary
# saved beside each widget.
# Every notebook is attempted; the exit status is non-zero when any of them failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${COURSE_OUT:-build/course}"
mode="${1:-all}"

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if ((${#notebooks[@]} == 0)); then
    echo "course: notebooks/ has no .ipynb yet; nothing to run"
    exit 0
fi
mapfile -t notebooks < <(printf '%s\n' "${notebooks[@]}" | LC_ALL=C sort)
mkdir -p "$OUT/html"

failed=()
if [[ "$mode" == "--site-only" ]]; then
    source_dir=notebooks
else
    bash scripts/setup.sh
    source_dir="$OUT"
    for nb in "${notebooks[@]}"; do
        echo "course: executing $nb"
        if ! jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
                --ExecutePreprocessor.store_widget_state=False --output-dir "$OUT" "$nb" </dev/null; then
            failed+=("$nb")
        fi
    done
    # nbconvert keeps each panel's widget view in its output even without widget state; drop the views so
    # that an executed notebook is what gets committed: the panels' text/HTML summaries only.
    python3 - "$OUT" <<'PY'
import sys
from pathlib import Path

import nbformat

for path in sorted(Path(sys.argv[1]).glob("*.ipynb")):
    book = nbformat.read(path, as_version=4)
    book.metadata.pop("widgets", None)
    for cell in book.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nbformat.write(book, path)
PY
fi

echo "course: building the site from $source_dir/"
python3 - "$source_dir" "$OUT/html" "${notebooks[@]}" <<'PY'
import html
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

source, site, names = Path(sys.argv[1]), Path(sys.argv[2]), [Path(p).name for p in sys.argv[3:]]
site.mkdir(parents=True, exist_ok=True)

# The lab template, minus every script it would fetch from a CDN.
templates = Path(tempfile.mkdtemp(prefix="course-template-"))
(templates / "course").mkdir()
(templates / "course" / "conf.json").write_text('{"base_template": "lab", "mimetypes": {"text/html": true}}')
(templates / "course" / "index.html.j2").write_text("""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
""")
exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(templates)])

def title_of(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return re.sub(r"[`*]", "", match.group(1)).strip()
    return "untitled"

def page(name):
    return Path(name).with_suffix(".html").name

def nav(position):
    links = []
    if position > 0:
        links.append(f'<a rel="prev" href="{page(names[position - 1])}">&larr; {html.escape(titles[position - 1])}</a>')
    links.append('<a href="index.html">Contents</a>')
    if position + 1 < len(names):
        links.append(f'<a rel="next" href="{page(names[position + 1])}">{html.escape(titles[position + 1])} &rarr;</a>')
    return '<nav class="course-nav" style="margin:1em 2em;font-family:sans-serif">' + " | ".join(links) + "</nav>"

books = [nbformat.read(source / name, as_version=4) for name in names]
titles = [title_of(book) for book in books]
for position, (name, book) in enumerate(zip(names, books)):
    book.metadata.pop("widgets", None)  # no widget manager, no widget state: the summaries stand in
    for cell in book.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    body, _ = exporter.from_notebook_node(book)
    body = re.sub(r'href="(\d\d-[^"/#]+)\.ipynb', r'href="\1.html', body)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav(position), body, count=1)
    body = body.replace("</body>", nav(position) + "</body>", 1)
    (site / page(name)).write_text(body)

items = "\n".join(f'<li><a href="{page(name)}">{html.escape(title)}</a></li>' for name, title in zip(names, titles))
(site / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>docker run, in notebooks: the course</title></head>
<body style="font-family:sans-serif;margin:2em">
<h1>docker run, in notebooks: the course</h1>
<ol start="0">
{items}
</ol>
</body></html>
""")
print(f"course: {len(names)} pages and index.html in {site}/")
PY

echo "course: HTML in $OUT/html/ (start at index.html)"
if ((${#failed[@]})); then
    printf 'course: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "course: all ${#notebooks[@]} notebooks ran"
