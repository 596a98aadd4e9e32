#!/usr/bin/env bash
# Provision everything runmagic's tests and course need, idempotently:
#   1. Debian packages (apt-get, only when one is missing)
#   2. the package itself, editable, with its test extra (skipped when unchanged)
#   3. a Docker engine (started here when none answers)
#   4. the local fixture images busybox:latest and runmagic/course:latest (built offline when missing/stale)
# Runs as root, with or without a terminal (CI has no stdin). A second run with everything in place is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="$ROOT/.cache/setup"
mkdir -p "$CACHE"

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

PYTHON="${PYTHON:-python3}"

# ---------------------------------------------------------------- 1. Debian packages
# docker.io: engine + containerd + runc; busybox-static: the binary in busybox:latest;
# docker-registry: a real registry for the pull/push tests (tests/support/engine.py starts it).
# openssh-server/-client, socat, openssl, podman: the remote-engine tests (sshd on a loopback port, a
# TLS proxy in front of the engine's socket, certificates, Podman's compat API; tests/support/);
# catatonit: the init Podman runs for --init (podman only recommends it, and recommends are skipped).
# Add more here (chromium, chromium-driver, ...) when the project needs them.
APT_PACKAGES=(docker.io busybox-static docker-registry chromium openssh-server openssh-client socat openssl
              podman catatonit)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null >"$CACHE/apt.log" 2>&1 || { tail -n 30 "$CACHE/apt.log" >&2; die "apt-get update failed"; }
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >>"$CACHE/apt.log" 2>&1 \
        || { tail -n 30 "$CACHE/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
fi

# ---------------------------------------------------------------- 2. Python package (editable, [test])
# Reinstall only when pyproject.toml, the interpreter or the checkout it points to changed.
pip_key="$( { sha256sum pyproject.toml; "$PYTHON" -c 'import sys; print(sys.executable, sys.version)'; echo "$ROOT"; } | sha256sum | cut -d' ' -f1)"
editable_here() {
    "$PYTHON" - "$ROOT" <<'PY' 2>/dev/null
import json, sys, importlib.metadata as md
from pathlib import Path
from urllib.parse import urlparse, unquote
try:
    d = md.distribution("runmagic")
    info = json.loads(d.read_text("direct_url.json") or "{}")
except Exception:
    sys.exit(1)
ok = info.get("dir_info", {}).get("editable") and \
     Path(unquote(urlparse(info.get("url", "")).path)).resolve() == Path(sys.argv[1]).resolve()
sys.exit(0 if ok else 1)
PY
}
if [[ "$(cat "$CACHE/pip.stamp" 2>/dev/null || true)" != "$pip_key" ]] || ! editable_here; then
    log "pip install -e '.[test]'"
    SKIP_JUPYTER_BUILDER=1 "$PYTHON" -m pip install --disable-pip-version-check --root-user-action=ignore -q -e '.[test]' </dev/null \
        || die "pip install -e '.[test]' failed"
    editable_here || die "runmagic is not installed in editable mode from $ROOT after pip install"
    echo "$pip_key" >"$CACHE/pip.stamp"
fi

# ---------------------------------------------------------------- 3. Docker engine
engine_answers() {
    "$PYTHON" -c 'import docker; docker.from_env(timeout=5).ping()' >/dev/null 2>&1
}
if ! engine_answers; then
    case "${DOCKER_HOST:-unix:///var/run/docker.sock}" in
        unix:///var/run/docker.sock|unix:///run/docker.sock) ;;
        *) die "no Docker engine answers at DOCKER_HOST=$DOCKER_HOST (setup.sh only starts the local one)";;
    esac
    [[ $(id -u) -eq 0 ]] || die "no Docker engine answers and starting dockerd needs root"
    command -v dockerd >/dev/null || die "dockerd not found (Debian package docker.io)"
    DOCKERD_DIR=/tmp/runmagic-dockerd
    mkdir -p "$DOCKERD_DIR"
    # Pid files left by a daemon killed without cleanup (SIGKILL, a session's end) may name a PID
    # that now belongs to something else, or a zombie dockerd; dockerd would refuse to start.
    for pf in /var/run/docker.pid:dockerd /var/run/docker/containerd/containerd.pid:containerd; do
        file=${pf%%:*} want=${pf##*:}
        [[ -f $file ]] || continue
        if why="$(bash scripts/stale-pidfile.sh "$file" "$want")"; then
            log "removing stale $file ($why)"
            rm -f "$file"
        fi
    done
    if [[ -f /var/run/docker.pid ]]; then
        # A live dockerd that does not answer yet (still starting): give it time, never a second one.
        log "a dockerd (pid $(cat /var/run/docker.pid)) is running; waiting for it to answer"
        for _ in $(seq 1 60); do engine_answers && break; sleep 1; done
        engine_answers || die "a dockerd (pid $(cat /var/run/docker.pid)) runs but does not answer at \
${DOCKER_HOST:-unix:///var/run/docker.sock} after 60 s; stop it (kill $(cat /var/run/docker.pid)) and run setup.sh again"
    fi
fi
if ! engine_answers; then
    log "no Docker engine answers; starting dockerd (log: $DOCKERD_DIR/dockerd.log)"
    # setsid + nohup: the daemon outlives this script and its terminal/process group.
    setsid nohup dockerd </dev/null >>"$DOCKERD_DIR/dockerd.log" 2>&1 &
    dpid=$!
    echo "$dpid" >"$DOCKERD_DIR/dockerd.pid"
    for _ in $(seq 1 120); do
        engine_answers && break
        # An exited dockerd stays a zombie child of this script: kill -0 would still succeed.
        state="$(ps -o stat= -p "$dpid" 2>/dev/null || true)"
        if [[ -z $state || $state == Z* ]]; then
            tail -n 30 "$DOCKERD_DIR/dockerd.log" >&2
            die "dockerd (pid $dpid) exited; its log ends above"
        fi
        sleep 0.5
    done
    engine_answers || { tail -n 30 "$DOCKERD_DIR/dockerd.log" >&2; die "dockerd (pid $dpid) did not answer within 60 s"; }
    log "dockerd answers (pid $dpid, recorded in $DOCKERD_DIR/dockerd.pid)"
fi

# ---------------------------------------------------------------- 4. Fixture images (offline, local only)
# Each image carries org.runmagic.fixture=1 and org.runmagic.fixture.context=<hash of its build inputs>;
# it is rebuilt only when missing or when that hash changed.
export DOCKER_BUILDKIT=0   # classic builder: no buildx needed, FROM resolves local images, never pulls

context_hash() {  # context_hash DIR [extra...]: hash of every file (and symlink) in DIR plus extra strings
    local dir=$1; shift
    { (cd "$dir" && find . \( -type f -o -type l \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); printf '%s\n' "$@"; } \
        | sha256sum | cut -d' ' -f1
}
image_hash() { docker image inspect -f '{{ index .Config.Labels "org.runmagic.fixture.context" }}' "$1" 2>/dev/null || true; }
image_id() { docker image inspect -f '{{ .Id }}' "$1" 2>/dev/null || true; }

build_image() {  # build_image TAG DIR HASH
    local tag=$1 dir=$2 hash=$3 old
    old="$(image_id "$tag")"
    log "building $tag from $dir"
    docker build --pull=false --force-rm -q \
        --label org.runmagic.fixture=1 --label "org.runmagic.fixture.context=$hash" \
        -t "$tag" "$dir" >"$CACHE/build.log" 2>&1 \
        || { cat "$CACHE/build.log" >&2; die "docker build of $tag failed"; }
    # Drop the image this one replaced, when nothing uses it any more (best effort).
    if [[ -n "$old" && "$old" != "$(image_id "$tag")" ]]; then
        docker image rm "$old" >/dev/null 2>&1 || true
    fi
}

# busybox:latest, FROM scratch, from Debian's busybox-static. The binary is copied into the (git-ignored)
# build context here, never committed.
BB_CTX="$ROOT/images/busybox"
[[ -x /bin/busybox ]] || die "/bin/busybox missing (Debian package busybox-static)"
mkdir -p "$BB_CTX/bin"
cmp -s /bin/busybox "$BB_CTX/bin/busybox" || install -m 0755 /bin/busybox "$BB_CTX/bin/busybox"
bb_hash="$(context_hash "$BB_CTX")"
if [[ "$(image_hash busybox:latest)" != "$bb_hash" ]]; then
    build_image busybox:latest "$BB_CTX" "$bb_hash"
    docker run --rm --network none busybox:latest sh -c 'seq 1 >/dev/null && httpd --help 2>/dev/null; true' \
        || die "busybox:latest was built but does not run"
fi

# runmagic/course:latest, FROM busybox:latest: image defaults to teach with (see images/course/Dockerfile).
CO_CTX="$ROOT/images/course"
co_hash="$(context_hash "$CO_CTX" "$(image_id busybox:latest)")"
if [[ "$(image_hash runmagic/course:latest)" != "$co_hash" ]]; then
    build_image runmagic/course:latest "$CO_CTX" "$co_hash"
fi

log "ok (packages, runmagic editable, engine, busybox:latest, runmagic/course:latest)"
