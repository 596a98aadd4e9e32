"""``docker run``: one planned container, from create to exit status.

The order is the docker CLI's: create (pulling when the policy says so), then,
for a foreground run, attach and register the wait *before* start so that no
early output and no exit is missed, start, feed stdin and half-close it, pump
output until the streams end, and collect the exit status.

An interrupt (KeyboardInterrupt in the main thread, which a kernel interrupt
raises even while it is blocked on the socket) climbs a ladder like
IPython's ``%%bash``: SIGINT to the container as docker's sig-proxy does, a
short grace (``interrupt_grace``), the stop signal, SIGKILL
``interrupt_kill_delay`` seconds later (or after the line's ``--stop-timeout``,
when it gives one); a second interrupt kills at once. So the kernel is back
within the grace plus about a second, whatever the container does with
signals (busybox ``sleep`` as PID 1 ignores SIGINT and SIGTERM).
"""

import os
import threading
import time

from runmagic import translate
from runmagic.commands.context import RunSettings
from runmagic.commands.handle import ContainerHandle
from runmagic.commands.pull import pull_image
from runmagic.engine.session import StreamSession
from runmagic.errors import (
    STATUS_CANNOT_INVOKE,
    STATUS_DOCKER_ERROR,
    STATUS_NOT_FOUND,
    DaemonError,
    DaemonResponse,
    EngineLost,
    EngineUnreachable,
    Interrupted,
    UsageError,
)
from runmagic.grammar.reference import parse_any_reference
from runmagic.output import OutputSink
from runmagic.result import RunResult
from runmagic.translate import RunPlan

#: Seconds to wait for the streams to end once SIGKILL was sent.
_KILLED_WAIT = 10.0
#: Seconds an interrupted create still waits for the engine's answer, to learn what it made.
_CREATE_PATIENCE = 2.0


def as_run_error(refusal: DaemonResponse) -> DaemonError:
    """``docker run`` words an engine refusal as ``docker: Error response from daemon: ...`` (125)."""
    return DaemonError(refusal.message)


class Runner:
    """Runs ``plan`` once; ``run()`` returns a RunResult or a ContainerHandle."""

    def __init__(self, engine, plan: RunPlan, settings: RunSettings, *, stdin: bytes | None,
                 write_stdout, write_stderr, on_first_output=lambda: None, reaper=None,
                 on_created=None):
        self.engine = engine
        self.plan = plan
        self.settings = settings
        self.stdin = stdin
        self.write_stdout = write_stdout
        self.write_stderr = write_stderr
        self.on_first_output = on_first_output
        self.reaper = reaper
        # Called with the container's ID after create, before start, so that a panel
        # shown then sees every state the container goes through.
        self.on_created = on_created
        self.container_id = ""
        self.name = plan.name or ""
        self._platform = ""
        #: How far the run got: what an engine failure leaves known of the container.
        self._phase = "creating"

    # -- checks and create ---------------------------------------------------

    def _check_engine(self) -> None:
        """docker refuses flags its daemon can't take before anything else
        (a no-op when the plan was made with the engine's facts)."""
        given = {**self.plan.api_requirements, **self.plan.os_requirements}
        if given:
            translate.check_support(given, self.engine.api_version, self.engine.os_type)

    def _create_body(self) -> dict:
        request = translate.adapt_to_api(self.plan, self.engine.api_version)
        self._platform = request.platform
        config = request.body
        if self.settings.extra_labels:
            config = dict(config, Labels={**self.settings.extra_labels, **config["Labels"]})
        return config

    def _create(self) -> str:
        body = self._create_body()
        if self.plan.pull == "always":
            self._pull()
        try:
            return self._post_create(body)
        except DaemonResponse as refusal:
            if self.plan.pull != "missing" or not _is_missing_image(refusal):
                raise
        self.write_stderr(f"Unable to find image '{parse_any_reference(self.plan.image)}' locally\n")
        self._pull()
        return self._post_create(body)

    def _post_create(self, body: dict) -> str:
        response = self._answer_despite_interrupt(lambda: self.engine.create_container(
            body, name=self.plan.name, platform=self._platform or None))
        warnings = [*(response.get("Warnings") or ()), *translate.create_warnings(body)]
        for warning in warnings:
            self.write_stderr(f"WARNING: {warning}\n")
        return response["Id"]

    def _pull(self) -> None:
        pull_image(self.engine, self.plan.image, platform=self.plan.platform,
                   quiet=self.plan.quiet, write=self.write_stderr)

    # -- the run -------------------------------------------------------------

    def run(self):
        self._check_engine()
        try:
            return self._run()
        except (EngineLost, EngineUnreachable) as failure:
            # One line: what happened to the engine, and what is known of the container.
            raise type(failure)(f"{failure.message}; {self._what_is_known(failure)}",
                                failure.exit_status) from None

    def _run(self):
        cidfile = self._open_cidfile()
        try:
            self.container_id = self._create()
            self._phase = "created"
            if not self.name:
                # The engine names the container; learn the name now, as a
                # --rm container may be gone by the time anyone asks.
                self.name = self.engine.inspect_container(self.container_id)["Name"].lstrip("/")
        except DaemonResponse as refusal:
            raise as_run_error(refusal) from None
        except KeyboardInterrupt:
            raise self._interrupted_before_start() from None
        finally:
            if cidfile is not None:
                cidfile.write(self.container_id)
                cidfile.close()
                if not self.container_id:
                    os.remove(self.plan.cidfile)
        if self.on_created is not None:
            self.on_created(self.container_id)
        if self.plan.detach:
            self._start()
            self.write_stdout(self.container_id + "\n")
            return ContainerHandle(self.engine, self.container_id, self.name)
        return self._run_attached()

    def _answer_despite_interrupt(self, request):
        """Make ``request`` (a create) in a thread and wait for its answer; an interrupt
        still waits ``_CREATE_PATIENCE`` seconds for it, so that the container it made,
        if any, is known (``container_id``) and can be removed."""
        outcome = {}
        # An Event, not Thread.join: an interrupted join marks the thread finished.
        answered = threading.Event()

        def make():
            try:
                outcome["answer"] = request()
            except BaseException as exc:  # handed to the waiting thread
                outcome["error"] = exc
            answered.set()

        threading.Thread(target=make, daemon=True, name="runmagic-create").start()
        try:
            answered.wait()
        except KeyboardInterrupt:
            answered.wait(_CREATE_PATIENCE)
            if "answer" in outcome:
                self.container_id = outcome["answer"]["Id"]
            raise
        if "error" in outcome:
            raise outcome["error"]
        return outcome["answer"]

    def _interrupted_before_start(self) -> Interrupted:
        """Interrupted while pulling or creating: nothing ran. docker leaves a created
        container, unless --rm asked for it to go."""
        if not self.container_id:
            return Interrupted("Interrupted: no container was created (if the engine had not "
                               "answered yet, it may still create one)", exit_status=130)
        if self.plan.auto_remove:
            self._remove_quietly()
            return Interrupted(f"Interrupted: the container {self.container_id[:12]} was created "
                               "and removed before it started", exit_status=130)
        return Interrupted(f"Interrupted: the container {self.container_id[:12]} was created "
                           "and not started", exit_status=130)

    def _what_is_known(self, failure) -> str:
        """The container's fate as far as the run saw it, when the engine went away."""
        if not self.container_id:
            if isinstance(failure, EngineUnreachable):  # the create request never left
                return "no container was created"
            return "the engine may have created the container"
        who = f"the container {self.container_id[:12]}" + (f" ({self.name})" if self.name else "")
        if self._phase == "starting" and isinstance(failure, EngineUnreachable):
            return f"{who} was created and not started"  # the start request never left
        return {
            "created": f"{who} was created and not started",
            "starting": f"{who} may have started",
        }.get(self._phase, f"{who} was started: its state and exit status are unknown")

    def _open_cidfile(self):
        """docker's --cidfile: refused if it exists, created before the
        container, holding its ID after, removed if create failed."""
        path = self.plan.cidfile
        if not path:
            return None
        if os.path.exists(path):
            raise UsageError(
                f"container ID file found, make sure the other container isn't running or delete {path}")
        try:
            return open(path, "x")
        except OSError as exc:
            raise UsageError(f"failed to create the container ID file: open {path}: "
                             f"{os.strerror(exc.errno).lower()}") from None

    def _start(self) -> None:
        self._phase = "starting"
        try:
            self.engine.start(self.container_id)
            self._phase = "running"
        except DaemonResponse as refusal:
            self._phase = "created"
            error = as_run_error(refusal)
            error.exit_status = start_error_status(error.message)
            raise error from None

    def _attach(self) -> StreamSession:
        try:
            return self.engine.attach(
                self.container_id, tty=self.plan.tty, stdin=self.plan.attach_stdin,
                stdout=self.plan.attach_stdout, stderr=self.plan.attach_stderr)
        except DaemonResponse as refusal:
            # Podman prepares the container's process when it attaches, so a command
            # that cannot run is refused here, with the OCI runtime's words start has on Docker.
            error = as_run_error(refusal)
            error.exit_status = start_error_status(error.message)
            if self.plan.auto_remove:  # Docker's engine removes a --rm container whose start failed
                self._remove_quietly()
            raise error from None

    def _run_attached(self) -> RunResult:
        started = time.monotonic()
        sink = OutputSink(
            self.write_stdout, self.write_stderr,
            live_limit=self.settings.live_limit, tail_lines=self.settings.tail_lines,
            capture_limit=self.settings.capture_limit,
            flush_interval=self.settings.flush_interval,
            log_path=self._log_path, on_first_output=self.on_first_output,
        )
        session = wait = None
        if self.reaper is not None:
            self.reaper.register(self.container_id)
        try:
            try:
                session = self._attach()
                wait = self.engine.open_wait(self.container_id,
                                             "removed" if self.plan.auto_remove else "next-exit")
                self._start()
                self._send_stdin(session)
                session.pump(sink)
                status = self._status(wait)
            except KeyboardInterrupt:
                status = self._interrupt(session, sink, wait)
                sink.finish()
                raise Interrupted(self._interrupt_message(status), exit_status=status) from None
            except DaemonResponse as refusal:
                raise as_run_error(refusal) from None
            sink.finish()
        finally:
            self._release(session, wait)
        return RunResult(
            id=self.container_id,
            name=self.name,
            exit_status=status,
            stdout=sink.streams["stdout"].captured,
            stderr=sink.streams["stderr"].captured,
            log_paths=sink.log_paths,
            duration=time.monotonic() - started,
            removed=self.plan.auto_remove,
        )

    def _release(self, *streams) -> None:
        """The attached run is over (however it ended): the reaper no longer answers for
        the container, and the streams opened for it close."""
        if self.reaper is not None:
            self.reaper.unregister(self.container_id)
        for stream in streams:
            if stream is not None:
                stream.close()

    def _log_path(self, stream: str) -> str:
        return os.path.join(self.settings.log_dir, f"{self.container_id[:12]}-{stream}.log")

    def _send_stdin(self, session: StreamSession) -> None:
        if not self.plan.attach_stdin:
            return
        if self.plan.tty and not self.stdin:
            # With a TTY, closing stdin makes the engine close the output too,
            # losing it: leave stdin open, as a terminal nobody types into.
            return
        session.send_and_close(self.stdin or b"")

    def _status(self, wait) -> int:
        return wait.status(lambda message: self.write_stderr(f"docker: {message}\n"))

    # -- interrupt ladder ----------------------------------------------------

    def _interrupt(self, session, sink, wait) -> int:
        if wait is None:
            # Interrupted before start: nothing ran. docker leaves the created
            # container, unless --rm asked for it to go.
            if self.plan.auto_remove:
                self._remove_quietly()
            return 130
        try:
            if self.plan.sig_proxy:
                self._signal("SIGINT")
                if self._ended(self.settings.interrupt_grace, session, sink):
                    return self._status(wait)
            sink.notice("[runmagic] stopping the container (interrupt again to kill it)\n")
            self._stop(session, sink)
        except KeyboardInterrupt:
            self._signal("SIGKILL")
        self._ended(_KILLED_WAIT, session, sink)
        # The wait (condition "removed" for --rm) ends when the container is
        # gone, so a --rm container no longer exists when the cell returns.
        return self._status(wait)

    def _stop(self, session, sink) -> None:
        """The stop signal, then SIGKILL: after the line's --stop-timeout when it
        gives one (docker's own stop), else after ``interrupt_kill_delay``."""
        stop_timeout = self.plan.config.get("StopTimeout")
        if stop_timeout is not None:
            try:
                self.engine.stop(self.container_id, timeout=stop_timeout)
            except DaemonResponse:
                pass
            return
        self._signal(self.plan.config.get("StopSignal") or "SIGTERM")
        if not self._ended(self.settings.interrupt_kill_delay, session, sink):
            self._signal("SIGKILL")

    def _signal(self, name: str) -> None:
        try:
            self.engine.kill(self.container_id, signal=name)
        except DaemonResponse:  # already exited
            pass

    def _ended(self, timeout: float, session, sink) -> bool:
        return session is not None and session.drain(sink, timeout)

    def _interrupt_message(self, status: int) -> str:
        fate = "removed" if self.plan.auto_remove else "left stopped"
        return f"Interrupted: the container exited with status {status} and was {fate}"

    def _remove_quietly(self) -> None:
        """Remove the container and its anonymous volumes, as the engine removes a --rm one."""
        if self.container_id:
            try:
                self.engine.remove_container(self.container_id, force=True, volumes=True)
            except DaemonResponse:
                pass


def _is_missing_image(refusal: DaemonResponse) -> bool:
    return refusal.not_found and "image" in refusal.message.lower()


def start_error_status(message: str) -> int:
    """docker's choice of exit status when the container's command can't run."""
    if any(text in message for text in (
            "executable file not found", "no such file or directory",
            "system cannot find the file specified")):
        return STATUS_NOT_FOUND
    if "permission denied" in message or "is a directory" in message:
        return STATUS_CANNOT_INVOKE
    return STATUS_DOCKER_ERROR
