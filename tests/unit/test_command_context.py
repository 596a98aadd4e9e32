"""What a command runs with: the engine it connects to, and an interrupt while connecting."""

import pytest

from runmagic import engine as engines
from runmagic.commands import context
from runmagic.errors import Interrupted


def test_an_interrupt_while_connecting_ends_the_command_in_one_line(monkeypatch):
    def silent_engine(environ):
        raise KeyboardInterrupt

    monkeypatch.setattr(engines, "engine_for", silent_engine)
    with pytest.raises(Interrupted) as info:
        context.engine_for_command({"DOCKER_HOST": "unix:///tmp/runmagic-silent.sock"})
    assert info.value.exit_status == 130
    assert info.value._render_traceback_() == [
        "Interrupted while connecting to the Docker engine at unix:///tmp/runmagic-silent.sock: "
        "nothing was created (exit status 130)"]
