"""10,000 generated ``%docker_run`` lines through the magic itself, with the fake engine
behind it: every refusal is one of runmagic's one-line errors with docker's status, and a
refused line never asks the engine to create, start or pull anything."""

import os
import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.interactiveshell import InteractiveShell

from runmagic.errors import DaemonError, DockerError
from tests.support.fake_engine import FakeEngine, refuse
from tests.unit.test_translate_properties import TOKENS, _safe

REFUSED_CREATE = "fake engine: nothing is created here"


@pytest.fixture(scope="module")
def shell():
    with FakeEngine() as fake:
        fake.on("POST", "/.*", refuse(500, REFUSED_CREATE))
        before = os.environ.get("DOCKER_HOST")
        os.environ["DOCKER_HOST"] = fake.url
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "runmagic")
        ip.run_line_magic("config", "DockerRun.panels = False")
        try:
            yield ip, fake
        finally:
            if before is None:
                del os.environ["DOCKER_HOST"]
            else:
                os.environ["DOCKER_HOST"] = before


QUOTING = st.sampled_from([shlex.quote, lambda t: t, lambda t: f'"{t}"'])
LINES = st.builds(lambda tokens, quote: " ".join(quote(t) for t in tokens), TOKENS, QUOTING)


@settings(max_examples=10_000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(line=LINES)
def test_generated_lines_are_refused_in_one_line_without_creating(shell, line):
    ip, fake = shell
    if not _safe([line]):
        return
    asked = len(fake.requests)
    try:
        ip.run_line_magic("docker_run", line)
    except DaemonError as refusal:  # an accepted line reached the (refusing) fake's create
        assert REFUSED_CREATE in str(refusal) or "Error response from daemon" in str(refusal)
        return
    except DockerError as error:
        assert error.exit_status in (125, 1), (line, error)
        assert len(error._render_traceback_()) >= 1 and str(error)
        posts = [r for r in fake.requests[asked:] if r.method != "GET"]
        assert posts == [], (line, [(r.method, r.path) for r in posts])
        return
    except (SyntaxError, ValueError) as error:  # IPython's own line splitting
        pytest.fail(f"{line!r}: {type(error).__name__}: {error}")
