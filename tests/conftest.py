"""Engine fixtures and Docker hygiene for the whole suite.

* ``docker_client`` (session): a docker-py client that has answered a ping; a test that asks
  for it fails (never skips) with a clear message when no engine answers.
* ``labels`` (function): the labels every Docker object a test makes must carry
  (``TEST_LABEL=1`` plus this session and this test's node id). Outside a test function use
  ``tests.support.engine.session_labels()``.
* ``local_registry`` (session): ``"127.0.0.1:PORT"`` of a real registry (Debian's docker-registry).
* Leak guard (autouse, session): when the session ends, every container (running or not),
  network, volume and image labelled ``TEST_LABEL`` that this session made is force-removed, and
  the session gets an error naming each of them. Objects of dead earlier sessions are removed
  with a warning; objects of other live pytest sessions are left alone. Objects labelled
  ``TEST_LABEL`` without a session label cannot be attributed: they count as this session's
  only when no other pytest process runs on this host (as in CI), otherwise they are reported
  and left alone. Anonymous volumes that appeared during the session and that no container
  uses (a container removed without ``v=True``) are removed too, with a warning naming them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

from tests.support import engine
from tests.support.engine import TEST_LABEL  # noqa: F401  (re-exported for convenience)
from tests.support.kernel import KernelSession


def pytest_configure(config):
    """Every kernel the tests start (nbval's included) labels the containers
    runmagic creates with this session's labels, through an IPython profile."""
    ipython_dir = Path(tempfile.mkdtemp(prefix="runmagic-ipython-"))
    profile = ipython_dir / "profile_default"
    profile.mkdir()
    (profile / "ipython_config.py").write_text(f"c.DockerRun.labels = {engine.session_labels()!r}\n")
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    config.runmagic_ipython_dir = ipython_dir


def pytest_unconfigure(config):
    shutil.rmtree(config.runmagic_ipython_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def kernel():
    """A real kernel per test module, with runmagic loaded and this session's labels."""
    session = KernelSession()
    yield session
    session.close()


@pytest.fixture(scope="session")
def docker_client():
    try:
        client = engine.connect()
    except engine.EngineUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield client
    client.close()


@pytest.fixture
def labels(request) -> dict[str, str]:
    return engine.make_labels(request.node.nodeid)


@pytest.fixture(scope="session")
def local_registry(tmp_path_factory):
    registry = engine.LocalRegistry(tmp_path_factory.mktemp("registry"))
    try:
        address = registry.start()
    except RuntimeError as exc:
        pytest.fail(f"local_registry: {exc}", pytrace=False)
    try:
        yield address
    finally:
        registry.stop()


@pytest.fixture(scope="session", autouse=True)
def _docker_leak_guard():
    """Set up before, and so torn down after, every other session fixture."""
    try:
        client = engine.connect(timeout=30)
    except engine.EngineUnavailable:
        client = None
    unattributed_before: set[str] = set()
    anonymous_before: set[str] = set()
    if client is not None:
        anonymous_before = engine.anonymous_dangling_volumes(client)
        objects = engine.labelled_objects(client)
        unattributed_before = {o.id for o in objects if o.session is None}
        dead = [o for o in objects if o.session is not None and o.session != engine.SESSION_ID
                and not engine.session_is_alive(o.session)]
        if dead:
            errors = engine.remove_objects(client, dead)
            warnings.warn(
                "removed Docker objects left behind by earlier, dead test sessions:\n  "
                + "\n  ".join(o.describe() for o in dead)
                + ("\nfailed to remove:\n  " + "\n  ".join(errors) if errors else ""),
                stacklevel=1)

    yield

    if client is None:
        try:
            client = engine.connect(timeout=30)
        except engine.EngineUnavailable:
            return  # no engine at either end of the session: nothing can have been made
    others = engine.other_pytest_sessions()
    orphans: list[str] = []
    try:
        objects = engine.labelled_objects(client)
        mine, stale, foreign = engine.classify(objects, unattributed_before, alone=not others)
        errors = engine.remove_objects(client, mine + stale)
        # A container removed without -v leaves its anonymous volumes, which no label marks:
        # those that appeared during the session are its (when no other session ran).
        orphans = sorted(engine.anonymous_dangling_volumes(client) - anonymous_before) if not others else []
        for name in orphans:
            client.api.remove_volume(name, force=True)
    finally:
        client.close()
    if orphans:
        warnings.warn(f"removed {len(orphans)} anonymous volume(s) that containers of this session "
                      "left behind (remove containers with v=True / -v):\n  " + "\n  ".join(orphans),
                      stacklevel=1)
    unattributed = [o for o in foreign if o.session is None]
    if unattributed:
        warnings.warn(
            f"other pytest sessions run on this host (pids {others}), so these objects labelled "
            f"{TEST_LABEL} without {engine.SESSION_LABEL} cannot be attributed and were left "
            "alone (label objects with the `labels` fixture or session_labels()):\n  "
            + "\n  ".join(o.describe() for o in unattributed), stacklevel=1)
    if stale:
        warnings.warn(f"removed stale Docker objects labelled {TEST_LABEL} that predate this "
                      "session:\n  " + "\n  ".join(o.describe() for o in stale), stacklevel=1)
    if mine:
        lines = [f"{len(mine)} Docker object(s) labelled {TEST_LABEL}=1 outlived the tests "
                 "that made them (force-removed now):"]
        lines += [f"  {o.describe()}" for o in mine]
        if errors:
            lines += ["could NOT remove:"] + [f"  {e}" for e in errors]
        pytest.fail("\n".join(lines), pytrace=False)
    if errors:
        pytest.fail("could not remove stale test objects:\n  " + "\n  ".join(errors),
                    pytrace=False)
