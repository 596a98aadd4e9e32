#!/usr/bin/env bash
# Execute every notebook in notebooks/ (sorted: 00-index first, then the course in order) with nbclient,
# then render each to HTML.
#   executed notebooks: build/course/*.ipynb     HTML: build/course/html/*.html (start at 00-index.html)
# Links between notebooks point to the .html pages in the HTML copies.
# Every notebook is attempted; the exit status is non-zero when any of them failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if ((${#notebooks[@]} == 0)); then
    echo "course: notebooks/ has no .ipynb yet; nothing to run"
    exit 0
fi
mapfile -t notebooks < <(printf '%s\n' "${notebooks[@]}" | LC_ALL=C sort)

OUT=build/course
mkdir -p "$OUT/html"
failed=()
for nb in "${notebooks[@]}"; do
    name="$(basename "$nb")"
    echo "course: executing $nb"
    if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
            --output-dir "$OUT" "$nb" </dev/null; then
        if jupyter nbconvert --to html --output-dir "$OUT/html" "$OUT/$name" </dev/null; then
            # links between course notebooks: NN-name.ipynb -> NN-name.html
            sed -i -E 's/href="([0-9][0-9]-[^"\/]+)\.ipynb/href="\1.html/g' "$OUT/html/${name%.ipynb}.html"
        else
            failed+=("$nb (html)")
        fi
    else
        failed+=("$nb")
    fi
done

echo "course: executed notebooks in $ROOT/$OUT/"
echo "course: HTML in $ROOT/$OUT/html/"
if ((${#failed[@]})); then
    printf 'course: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "course: all ${#notebooks[@]} notebooks ran"
