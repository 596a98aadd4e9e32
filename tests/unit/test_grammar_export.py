"""The JSON export the labextension reads: every magic's command with exactly the flags,
subcommands and argument counts its magic parses with, so the editor's highlighting,
completion and hover help cannot drift from the tables."""

import json

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from runmagic.grammar import command_flags, export, magics
from runmagic.grammar.parser import RUN, usage_text
from runmagic.grammar.run_flags import FLAGS
from runmagic.ipython.command_magics import DockerCommands
from runmagic.ipython.run_magics import DockerRun

EXPORTED = json.loads(export.dumps())

#: Every command object command_flags.py defines, groups' subcommands included.
ALL_COMMANDS = [value for value in vars(command_flags).values()
                if isinstance(value, command_flags.DockerCommand)]


def exported(command_name: str) -> dict:
    """The export of ``command_name`` ("ps", "volume create"): a subcommand under its group."""
    group, *sub = command_name.split()
    found = EXPORTED["commands"][group]
    for word in sub:
        found = found["subcommands"][word]
    return found


def test_the_format_names_its_version():
    assert EXPORTED["format"] == export.FORMAT_VERSION == 3


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c.name)
def test_every_companion_command_is_exported_with_exactly_its_flags(command):
    out = exported(command.name)
    assert [f["name"] for f in out["flags"]] == [f.name for f in command.flags]
    for flag, flag_out in zip(command.flags, out["flags"]):
        assert flag_out["short"] == flag.short and flag_out["help"] == flag.help
        assert flag_out["kind"] == flag.kind.name and flag_out["takes_value"] == flag.kind.takes_value
        assert flag_out["hidden"] == flag.hidden and flag_out["choices"] == list(flag.choices)
    assert (out["usage"], out["summary"]) == (command.usage, command.summary)
    assert (out["min_args"], out["max_args"]) == (command.min_args, command.max_args)
    assert out["interspersed"] == command.interspersed
    assert set(out.get("subcommands", {})) == {name for name, _ in command.subcommands}


def test_the_run_table_is_exported_whole():
    run = EXPORTED["commands"]["run"]
    assert [export.flag_to_dict(f) for f in FLAGS] == run["flags"]
    assert run["interspersed"] is False and run["usage"] == RUN.usage


def test_groups_hold_their_subcommands_and_the_aliases_docker_accepts():
    assert set(EXPORTED["commands"]["image"]["subcommands"]) == {
        "history", "inspect", "load", "ls", "prune", "rm", "save", "tag"}
    assert EXPORTED["subcommand_aliases"] == {"list": "ls", "remove": "rm"}


def test_every_magic_is_mapped_to_its_command_and_cell_magics_are_marked():
    line_magics = {*DockerCommands.magics["line"], *DockerRun.magics["line"]}
    cell_magics = {*DockerCommands.magics["cell"], *DockerRun.magics["cell"]}
    assert set(EXPORTED["magics"]) == line_magics == set(magics.COMMANDS)
    assert {name for name, m in EXPORTED["magics"].items() if m["cell"]} == cell_magics
    assert EXPORTED["magics"]["docker_image"] == {"command": "image", "cell": False}
    assert EXPORTED["magics"]["docker_ps"] == {"command": "ps", "cell": False}
    assert EXPORTED["magics"]["docker_build"] == {"command": "build", "cell": True}


@pytest.fixture(scope="module")
def shell():
    config = Config()
    config.HistoryManager.enabled = False  # nothing of this shell's is worth a history file
    shell = InteractiveShell.instance(config=config)
    shell.register_magics(DockerCommands)
    yield shell
    InteractiveShell.clear_instance()


@pytest.mark.parametrize("magic", sorted(magics.COMPANIONS))
def test_each_magic_parses_with_the_command_it_is_mapped_to(magic, shell, capsys):
    """``--help`` prints the usage of the table the magic really parses with (no engine)."""
    command = magics.COMPANIONS[magic]
    shell.run_line_magic(magic, "--help")
    printed = capsys.readouterr().out
    expected = command_flags.group_usage(command) if command.subcommands else usage_text(command)
    assert printed == expected + "\n"


@pytest.mark.parametrize("name, arguments, repeats", [
    ("run", ["image", "command", ""], True),          # IMAGE [COMMAND] [ARG...]
    ("exec", ["container", "command", ""], True),
    ("rm", ["container", "container"], True),
    ("network connect", ["network", "container"], False),
    ("tag", ["image", "image"], False),               # SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
    ("cp", ["", ""], False),                          # CONTAINER:SRC_PATH DEST_PATH|-
    ("context use", ["context"], False),
    ("ps", [], False),
])
def test_what_each_argument_names_is_read_off_the_usage_line_once(name, arguments, repeats):
    out = exported(name)
    assert (out["arguments"], out["last_argument_repeats"]) == (arguments, repeats)
