#!/usr/bin/env bash
# THE test command (CI runs it through .ci/run): provision, then pytest from the repo root.
# Arguments go to pytest; with none, pytest's configured default selection (tests/) runs.
# pytest's exit status is passed on as is (5, "no tests collected", counts as failure).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec python3 -m pytest "$@"
