"""The IPython adapter of the companion commands: ``%docker_ps``, ``%docker_logs``, ...

Thin by design: each magic splits its line, parses it with its docker
command's flag table (:mod:`runmagic.commands.tables`), and hands the result
to the command's execution module with a Context that writes to the cell.
``%docker_ps?`` shows the command's usage, built from the same table.

Magic lines are expanded as IPython does (``{var}``, ``$var``) except inside
Go templates, which arrive as written: ``--format '{{.ID}}'`` works.
"""

from __future__ import annotations

import os

from IPython.core.error import StdinNotImplementedError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from IPython.display import display

from runmagic import engine
from runmagic.grammar import parser as cli
from runmagic.output import cell_writer, flush_cell
from runmagic.commands import attach
from runmagic.commands import build
from runmagic.commands import contexts
from runmagic.commands import copy
from runmagic.commands import image_list
from runmagic.commands import image_manage
from runmagic.commands import events
from runmagic.commands import execute
from runmagic.commands import pull
from runmagic.commands import inspect
from runmagic.commands import lifecycle
from runmagic.commands import logs
from runmagic.commands import networks
from runmagic.commands import ps
from runmagic.grammar import command_flags as tables
from runmagic.grammar import magics
from runmagic.commands import volumes
from runmagic.commands.context import Context, current_settings, engine_for_command, stdin_bytes
from runmagic.errors import CommandError, ContainerExit, EngineLost, EngineUnreachable
from runmagic.ipython.expansion import expand_line
from runmagic.result import ExecResult


class _LiveView:
    """Shows a live view (pull progress) through a display handle."""

    def __init__(self, view):
        self.view = view

    def __repr__(self) -> str:
        return self.view.text().rstrip("\n")

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        return self.view.html()


def _show_live(view):
    handle = display(_LiveView(view), display_id=True)
    return lambda: handle.update(_LiveView(view))


def _confirm(question: str) -> bool:
    """docker's [y/N] prompt, through the notebook's input box."""
    try:
        answer = input(f"{question} [y/N] ")
    except StdinNotImplementedError:
        raise CommandError(f"{question.splitlines()[0]} This kernel cannot ask for confirmation: "
                           "add --force to go ahead") from None
    return answer.strip().lower() in ("y", "yes")


def _inspect_or_explore(ctx, parsed):
    """``%docker_image inspect IMAGE`` (one image, no --format) shows the image explorer;
    otherwise docker's output."""
    inspected = inspect.inspect_images(ctx, parsed)
    if parsed.get("format") or len(parsed.args) != 1:
        return inspected
    from runmagic.display.explorer import explore

    return explore(ctx.engine, parsed.args[0], inspected)


@magics_class
class DockerCommands(Magics):
    """docker's companion commands, with exactly their flags."""

    def _words(self, line: str) -> list[str]:
        return cli.split_line(expand_line(self.shell, line))

    def _run(self, command: tables.DockerCommand, words: list[str], action, cell: str | None = None,
             needs_engine: bool = True):
        """Parse ``words`` for ``command`` and run ``action(ctx, parsed)`` (without
        reaching an engine when the command only reads files: ``docker context``)."""
        parsed = cli.parse_args(words, command)
        if parsed.help:
            print(cli.usage_text(command))
            return None
        docker_engine = None
        try:
            if needs_engine:
                docker_engine = engine_for_command(os.environ)
                tables.check_api_version(parsed, docker_engine.api_version)
            ctx = Context(docker_engine, cell_writer("stdout"), cell_writer("stderr"),
                          settings=current_settings(), stdin=stdin_bytes(cell), confirm=_confirm,
                          show_live=_show_live, flush=flush_cell)
            result = action(ctx, parsed)
        except (EngineUnreachable, EngineLost) as exc:  # docker says it without run's "docker: "
            if docker_engine is not None:
                engine.forget(docker_engine)  # the next command connects afresh
            raise CommandError(exc.message) from None
        finally:
            flush_cell()
        status = getattr(result, "exit_status", None)
        if status:
            error = ContainerExit(status, result)
            if isinstance(result, ExecResult):
                error.message = f"The command exited with status {status}"
            raise error
        return result

    def _run_group(self, group: tables.DockerCommand, line: str, actions: dict, needs_engine: bool = True):
        words = self._words(line)
        if not words or words[0] in ("-h", "--help"):
            print(tables.group_usage(group))
            return None
        command = tables.subcommand(group, words[0])
        return self._run(command, words[1:], actions[command.name.split()[1]], needs_engine=needs_engine)

    @no_var_expand
    @line_magic
    def docker_ps(self, line):
        return self._run(tables.PS, self._words(line), ps.list_containers)

    @no_var_expand
    @line_magic
    def docker_logs(self, line):
        return self._run(tables.LOGS, self._words(line), logs.logs)

    @no_var_expand
    @line_cell_magic
    def docker_attach(self, line, cell=None):
        return self._run(tables.ATTACH, self._words(line), attach.attach_command, cell)

    @no_var_expand
    @line_cell_magic
    def docker_exec(self, line, cell=None):
        return self._run(tables.EXEC, self._words(line), execute.exec_command, cell)

    @no_var_expand
    @line_cell_magic
    def docker_start(self, line, cell=None):
        return self._run(tables.START, self._words(line), attach.start_command, cell)

    @no_var_expand
    @line_magic
    def docker_stop(self, line):
        return self._run(tables.STOP, self._words(line), lifecycle.stop)

    @no_var_expand
    @line_magic
    def docker_restart(self, line):
        return self._run(tables.RESTART, self._words(line), lifecycle.restart)

    @no_var_expand
    @line_magic
    def docker_kill(self, line):
        return self._run(tables.KILL, self._words(line), lifecycle.kill)

    @no_var_expand
    @line_magic
    def docker_rm(self, line):
        return self._run(tables.RM, self._words(line), lifecycle.remove)

    @no_var_expand
    @line_magic
    def docker_port(self, line):
        return self._run(tables.PORT, self._words(line), lifecycle.port)

    @no_var_expand
    @line_magic
    def docker_inspect(self, line):
        return self._run(tables.INSPECT, self._words(line), inspect.inspect)

    @no_var_expand
    @line_magic
    def docker_wait(self, line):
        return self._run(tables.WAIT, self._words(line), lifecycle.wait)

    @no_var_expand
    @line_magic
    def docker_events(self, line):
        return self._run(tables.EVENTS, self._words(line), events.events)

    @no_var_expand
    @line_magic
    def docker_pull(self, line):
        return self._run(tables.PULL, self._words(line), pull.pull_command)

    @no_var_expand
    @line_magic
    def docker_volume(self, line):
        return self._run_group(tables.VOLUME, line, {
            "create": volumes.create, "ls": volumes.ls, "inspect": volumes.inspect,
            "rm": volumes.rm, "prune": volumes.prune})

    @no_var_expand
    @line_magic
    def docker_network(self, line):
        return self._run_group(tables.NETWORK, line, {
            "create": networks.create, "ls": networks.ls, "inspect": networks.inspect,
            "rm": networks.rm, "connect": networks.connect, "disconnect": networks.disconnect})

    # -- images ---------------------------------------------------------------

    @no_var_expand
    @line_magic
    def docker_images(self, line):
        return self._run(tables.IMAGES, self._words(line), image_list.list_images)

    @no_var_expand
    @line_magic
    def docker_history(self, line):
        return self._run(tables.HISTORY, self._words(line), image_list.history)

    @no_var_expand
    @line_magic
    def docker_tag(self, line):
        return self._run(tables.TAG, self._words(line), image_manage.tag)

    @no_var_expand
    @line_magic
    def docker_rmi(self, line):
        return self._run(tables.RMI, self._words(line), image_manage.remove)

    @no_var_expand
    @line_magic
    def docker_diff(self, line):
        return self._run(tables.DIFF, self._words(line), image_manage.diff)

    @no_var_expand
    @line_magic
    def docker_cp(self, line):
        return self._run(tables.CP, self._words(line), copy.cp)

    @no_var_expand
    @line_magic
    def docker_image(self, line):
        return self._run_group(tables.IMAGE, line, {
            "ls": image_list.list_images, "inspect": _inspect_or_explore,
            "history": image_list.history, "rm": image_manage.remove, "tag": image_manage.tag,
            "prune": image_manage.prune, "save": image_manage.save, "load": image_manage.load})

    @no_var_expand
    @line_cell_magic
    def docker_build(self, line, cell=None):
        def action(ctx, parsed):
            build.build(ctx, parsed, cell)  # the builder's transcript already shows the ID

        return self._run(tables.BUILD, self._words(line), action)

    @no_var_expand
    @line_magic
    def docker_context(self, line):
        return self._run_group(tables.CONTEXT, line, {
            "create": contexts.create, "inspect": contexts.inspect, "ls": contexts.ls,
            "rm": contexts.rm, "show": contexts.show, "use": contexts.use}, needs_engine=False)


for _name, _command in magics.COMPANIONS.items():
    getattr(DockerCommands, _name).__doc__ = (
        tables.group_usage(_command) if _command.subcommands else cli.usage_text(_command))
