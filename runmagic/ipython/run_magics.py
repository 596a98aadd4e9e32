"""The IPython adapter: ``%%docker_run`` and ``%docker_run``.

Thin by design: it splits the line, hands parsing and translation to the pure
layers, runs the plan with the runner, and writes to the cell's streams.
Settings are traitlets: ``%config DockerRun.live_limit = 2_000_000``.
"""

import os
import tempfile

from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from traitlets import Bool, Dict, Float, Int, Unicode, observe

from runmagic import display, engine, translate
from runmagic.commands.context import RunSettings, engine_for_command, use_settings
from runmagic.commands.run import Runner
from runmagic.engine import endpoint as endpoints
from runmagic.engine.reaper import Reaper
from runmagic.errors import ContainerExit, EngineLost, EngineUnreachable, NotebookError, PlainError
from runmagic.grammar import parser as cli
from runmagic.ipython.expansion import expand_line
from runmagic.output import cell_writer, flush_cell
from runmagic.result import RunResult
from runmagic.terminals.run import InteractiveRunner


#: Marks containers started from a notebook (read by runmagic.server).
NOTEBOOK_LABEL = "org.runmagic.notebook"


@magics_class
class DockerRun(Magics):
    """Run Docker containers from cells, with exactly ``docker run``'s flags."""

    live_limit = Int(
        512 * 1024,
        help="Bytes of each stream shown live; beyond, output goes to a log file and a tail is shown.",
    ).tag(config=True)
    tail_lines = Int(20, help="Lines of the end of an over-limit stream shown when it ends.").tag(config=True)
    capture_limit = Int(
        1024 * 1024, help="Characters of each stream kept on the returned result."
    ).tag(config=True)
    flush_interval = Float(
        0.1, help="Seconds between batched writes of a container's output."
    ).tag(config=True)
    interrupt_grace = Float(
        1.0, help="Seconds a container gets to exit after SIGINT before it is stopped."
    ).tag(config=True)
    interrupt_kill_delay = Float(
        0.5, help="Seconds between the stop signal and SIGKILL when an interrupt stops a container "
        "(a --stop-timeout on the line is honoured instead).",
    ).tag(config=True)
    log_dir = Unicode(
        os.path.join(tempfile.gettempdir(), "runmagic"),
        help="Folder for the full logs of streams over the live limit.",
    ).tag(config=True)
    labels = Dict(
        {}, help="Labels added to every container this kernel creates (the line's -l wins)."
    ).tag(config=True)
    mark_containers = Bool(
        True, help=f"Label every container this kernel creates {NOTEBOOK_LABEL}=1, so that "
        "the JupyterLab Containers panel can show those started from notebooks.",
    ).tag(config=True)
    panels = Bool(
        True, help="Show a live panel (ports, mounts, restarts, actions) for each container; "
        "a foreground --rm run gets a compact form when it ends instead.",
    ).tag(config=True)

    context = Unicode(
        "", help="The docker context this kernel uses, as `docker --context NAME` would on every "
        "command (magics, completion, panels); no file is changed. Empty: DOCKER_HOST, "
        "DOCKER_CONTEXT, then config.json's current context, as the docker CLI chooses.",
    ).tag(config=True)

    @observe("context")
    def _select_context(self, change):
        endpoints.select_context(change["new"])

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell=shell, **kwargs)
        endpoints.select_context(self.context)
        self._reapers = {}
        # Container handles used outside a magic stream with these settings too.
        use_settings(self._settings)

    def _reaper(self, endpoint) -> Reaper:
        """One reaper per engine, like the engine connections."""
        if endpoint not in self._reapers:
            self._reapers[endpoint] = Reaper(endpoints.child_environ(os.environ))
        return self._reapers[endpoint]

    def _settings(self) -> RunSettings:
        return RunSettings(
            live_limit=self.live_limit,
            tail_lines=self.tail_lines,
            capture_limit=self.capture_limit,
            flush_interval=self.flush_interval,
            interrupt_grace=self.interrupt_grace,
            interrupt_kill_delay=self.interrupt_kill_delay,
            log_dir=self.log_dir,
            extra_labels={**({NOTEBOOK_LABEL: "1"} if self.mark_containers else {}), **self.labels},
        )

    @no_var_expand
    @line_cell_magic
    def docker_run(self, line, cell=None):
        run = cli.parse_line(expand_line(self.shell, line))
        if run.help:
            print(cli.usage_text())
            return None
        stdin = script = None
        if cell is not None and cell.strip():
            if run.get("detach"):
                raise NotebookError("the cell body would be lost: -d does not attach stdin "
                                    "(use the line magic, or drop -d)")
            if run.get("tty") and not run.get("interactive"):
                # A body is piped input, which docker refuses to put through a TTY.
                raise PlainError("the input device is not a TTY")
            if run.get("tty"):
                script = cell.encode()  # -it: a terminal session, typed line by line
            else:
                run.given["interactive"] = True
                stdin = cell.encode() if cell.endswith("\n") else (cell + "\n").encode()
        try:
            docker_engine = engine_for_command(os.environ)
        except (EngineUnreachable, EngineLost):
            translate.plan_run(run, os.environ, os.getcwd())  # a bad line is reported first
            raise
        # docker refuses flags its engine can't take before it checks anything else.
        facts = translate.EngineInfo(docker_engine.api_version, docker_engine.os_type)
        plan = translate.plan_run(run, os.environ, os.getcwd(), facts)
        # A foreground --rm container is gone when the cell ends: no live panel for it.
        compact = plan.auto_remove and not plan.detach
        on_created = None
        if self.panels and not compact:
            def on_created(container_id):
                display.show_panel(docker_engine, container_id, name_given=bool(plan.name))
        options = dict(reaper=self._reaper(docker_engine.endpoint),
                       write_stdout=cell_writer("stdout"), write_stderr=cell_writer("stderr"),
                       on_first_output=flush_cell, on_created=on_created)
        if plan.tty and plan.interactive and not plan.detach:
            runner = InteractiveRunner(docker_engine, plan, self._settings(), script=script, **options)
        else:
            runner = Runner(docker_engine, plan, self._settings(), stdin=stdin, **options)
        try:
            result = runner.run()
        except (EngineUnreachable, EngineLost):
            engine.forget(docker_engine)  # the next cell connects afresh
            raise
        finally:
            flush_cell()
        if self.panels and compact:
            display.show_compact(plan.config, result.exit_status, result.duration)
        if isinstance(result, RunResult) and result.exit_status != 0:
            raise ContainerExit(result.exit_status, result)
        return result


DockerRun.docker_run.__doc__ = cli.usage_text()
