"""The docker CLI on this machine as the oracle for the companion commands: one line run
through runmagic's command layer (what the magics call) and through ``docker`` on the same
engine, compared as (exit status, stdout, stderr)."""

from __future__ import annotations

import shlex
import subprocess

from runmagic.commands.context import Context
from runmagic.errors import DockerError
from runmagic.grammar import parser as cli

DOCKER = "/usr/local/bin/docker"


def docker_cli(line: str) -> tuple[int, str, str]:
    done = subprocess.run([DOCKER, *shlex.split(line)], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def runmagic_run(engine, command, line: str, action) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of runmagic's command for ``line``."""
    out, err = [], []
    ctx = Context(engine, out.append, err.append)
    status, error, result = 0, "", None
    try:
        parsed = cli.parse_args(cli.split_line(line), command)
        result = action(ctx, parsed)
    except DockerError as exc:
        status, error = exc.exit_status, f"{exc}\n"
    text = "".join(out) + (result.text if result is not None else "")
    return status, text, "".join(err) + error


def comparable(outcome: tuple[int, str, str]) -> tuple[int, str, str]:
    """docker follows a flag error with its usage; runmagic shows the error alone."""
    status, stdout, stderr = outcome
    return status, stdout, stderr.split("\n\nUsage:")[0].rstrip("\n") + "\n" if stderr else ""


def assert_same(engine, command, line: str, action, attempts: int = 3) -> tuple[int, str, str]:
    """runmagic and docker agree on stdout, stderr and exit status. Columns that tick
    ("Up 2 seconds", "3 seconds ago") may change between the two runs: a mismatch is retried."""
    for _ in range(attempts):
        expected = comparable(docker_cli(f"{command.name} {line}"))
        got = runmagic_run(engine, command, line, action)
        if got == expected:
            return got
    assert got == expected
    return got
