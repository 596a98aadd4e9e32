"""Helpers of the unit tests that talk to the fake engine: an Engine connected to a
FakeEngine, and a plan for a ``docker run`` line."""

from __future__ import annotations

from runmagic import translate
from runmagic.commands.context import RunSettings
from runmagic.commands.run import Runner
from runmagic.engine.client import connect
from runmagic.engine.endpoint import Endpoint
from runmagic.grammar import parser as cli


def engine_of(fake, timeout: float = 5):
    """A runmagic Engine talking to ``fake`` (its API version negotiated)."""
    return connect(Endpoint(fake.url, source="DOCKER_HOST"), timeout=timeout)


def plan_of(line: str, engine=None):
    facts = translate.EngineInfo(engine.api_version, engine.os_type) if engine is not None else None
    return translate.plan_run(cli.parse_line(line), {}, "/tmp", facts)


class Cell:
    """What a cell shows: both streams in order, and each on its own."""

    def __init__(self):
        self.pieces: list[tuple[str, str]] = []

    def out(self, text: str) -> None:
        self.pieces.append(("stdout", text))

    def err(self, text: str) -> None:
        self.pieces.append(("stderr", text))

    def stream(self, name: str) -> str:
        return "".join(text for stream, text in self.pieces if stream == name)


def runner_for(engine, line: str, cell: Cell, *, stdin: bytes | None = None, tmp_path=None, **settings):
    plan = plan_of(line, engine)
    defaults = {"flush_interval": 0.0, "log_dir": str(tmp_path) if tmp_path else "/tmp/runmagic"}
    return Runner(engine, plan, RunSettings(**{**defaults, **settings}), stdin=stdin,
                  write_stdout=cell.out, write_stderr=cell.err)
