"""Run one planned container against the engine: the only layer that talks to it.

The order is the docker CLI's: create (pulling when the policy says so), then,
for a foreground run, attach and register the wait *before* start so that no
early output and no exit is missed, start, feed stdin and half-close it, pump
output until the streams end, and collect the exit status.

An interrupt (KeyboardInterrupt in the main thread, which a kernel interrupt
raises even while it is blocked on the socket) climbs a ladder like
IPython's ``%%bash``: SIGINT to the container as docker's sig-proxy does, a
short grace, then a stop (SIGTERM, SIGKILL after the stop timeout); a second
interrupt kills at once.
"""

import json
import os
import time
from dataclasses import dataclass, field

import docker.errors

from runmagic.engine import client as engine
from runmagic.engine import session as streaming
from runmagic.errors import (
    STATUS_CANNOT_INVOKE,
    STATUS_DOCKER_ERROR,
    STATUS_NOT_FOUND,
    Interrupted,
    UsageError,
)
from runmagic.grammar.reference import parse_any_reference
from runmagic.output import OutputSink
from runmagic.commands.context import RunSettings
from runmagic.commands.handle import ContainerHandle
from runmagic.result import RunResult
from runmagic import translate
from runmagic.translate import RunPlan


class Runner:
    """Runs ``plan`` once; ``run()`` returns a RunResult or a ContainerHandle."""

    def __init__(self, api, plan: RunPlan, settings: RunSettings, *, stdin: bytes | None,
                 write_stdout, write_stderr, on_first_output=lambda: None, reaper=None,
                 on_created=None):
        self.api = api
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

    # -- checks and create ---------------------------------------------------

    def _check_engine(self) -> None:
        """docker refuses flags its daemon can't take before anything else
        (a no-op when the plan was made with the engine's facts)."""
        given = {**self.plan.api_requirements, **self.plan.os_requirements}
        if given:
            translate.check_support(given, self.api.api_version,
                                    lambda: self.api.version().get("Os", "linux"))

    def _create_body(self) -> dict:
        request = translate.adapt_to_api(self.plan, self.api.api_version)
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
        except docker.errors.ImageNotFound:
            if self.plan.pull != "missing":
                raise
        self.write_stderr(f"Unable to find image '{parse_any_reference(self.plan.image)}' locally\n")
        self._pull()
        return self._post_create(body)

    def _post_create(self, body: dict) -> str:
        response = self.api.create_container_from_config(
            body, name=self.plan.name, platform=getattr(self, "_platform", "") or None)
        warnings = [*(response.get("Warnings") or ()), *translate.create_warnings(body)]
        for warning in warnings:
            self.write_stderr(f"WARNING: {warning}\n")
        return response["Id"]

    def _pull(self) -> None:
        from runmagic.commands.pull import pull_image

        pull_image(self.api, self.plan.image, platform=self.plan.platform,
                   quiet=self.plan.quiet, write=self.write_stderr)

    # -- the run -------------------------------------------------------------

    def run(self):
        self._check_engine()
        cidfile = self._open_cidfile()
        try:
            self.container_id = self._create()
            if not self.name:
                # The engine names the container; learn the name now, as a
                # --rm container may be gone by the time anyone asks.
                self.name = self.api.inspect_container(self.container_id)["Name"].lstrip("/")
        except docker.errors.APIError as exc:
            raise engine.daemon_error(exc) from None
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
            return ContainerHandle(self.api, self.container_id, self.name)
        return self._run_attached()

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
        try:
            self.api.start(self.container_id)
        except docker.errors.APIError as exc:
            error = engine.daemon_error(exc)
            error.exit_status = start_error_status(error.message)
            raise error from None

    def _open_wait(self):
        """POST wait and return once the engine has answered its headers,
        so the wait is registered before start: a fast --rm container can't
        be removed unseen."""
        condition = "removed" if self.plan.auto_remove else "next-exit"
        url = self.api._url("/containers/{0}/wait", self.container_id)
        response = self.api._post(url, params={"condition": condition}, stream=True, timeout=None)
        self.api._raise_for_status(response)
        return response

    def _attach(self):
        params = {
            "stdin": int(self.plan.attach_stdin),
            "stdout": int(self.plan.attach_stdout),
            "stderr": int(self.plan.attach_stderr),
            "stream": 1,
        }
        wrapper = self.api.attach_socket(self.container_id, params=params)
        return wrapper, getattr(wrapper, "_sock", wrapper)

    def _run_attached(self) -> RunResult:
        started = time.monotonic()
        sink = OutputSink(
            self.write_stdout, self.write_stderr,
            live_limit=self.settings.live_limit, tail_lines=self.settings.tail_lines,
            capture_limit=self.settings.capture_limit,
            flush_interval=self.settings.flush_interval,
            log_path=self._log_path, on_first_output=self.on_first_output,
        )
        wrapper = sock = wait_response = None
        status = None
        if self.reaper is not None:
            self.reaper.register(self.container_id)
        try:
            try:
                wrapper, sock = self._attach()
                wait_response = self._open_wait()
                self._start()
                self._send_stdin(sock)
                streaming.pump(sock, sink, self.plan.tty)
                status = self._read_wait(wait_response)
            except KeyboardInterrupt:
                status = self._interrupt(sock, sink, wait_response)
                sink.finish()
                raise Interrupted(self._interrupt_message(status), exit_status=status) from None
            except docker.errors.APIError as exc:
                raise engine.daemon_error(exc) from None
            sink.finish()
        finally:
            if self.reaper is not None:
                self.reaper.unregister(self.container_id)
            for closable in (wrapper, sock, wait_response):
                if closable is not None:
                    try:
                        closable.close()
                    except OSError:
                        pass
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

    def _log_path(self, stream: str) -> str:
        return os.path.join(self.settings.log_dir, f"{self.container_id[:12]}-{stream}.log")

    def _send_stdin(self, sock) -> None:
        if not self.plan.attach_stdin:
            return
        if self.plan.tty and not self.stdin:
            # With a TTY, closing stdin makes the engine close the output too,
            # losing it: leave stdin open, as a terminal nobody types into.
            return
        streaming.send_stdin(sock, self.stdin or b"")

    def _read_wait(self, response) -> int:
        body = json.loads(response.content or b"{}")
        error = (body.get("Error") or {}).get("Message")
        if error:
            self.write_stderr(f"docker: {error}\n")
        return int(body.get("StatusCode", STATUS_DOCKER_ERROR))

    # -- interrupt ladder ----------------------------------------------------

    def _interrupt(self, sock, sink, wait_response) -> int:
        if wait_response is None:
            # Interrupted before start: nothing ran. docker leaves the created
            # container, unless --rm asked for it to go.
            if self.plan.auto_remove:
                self._remove_quietly()
            return 130
        try:
            if self.plan.sig_proxy:
                self._signal("SIGINT")
                if self._wait_gone(self.settings.interrupt_grace, sock, sink):
                    return self._read_wait(wait_response)
            self.write_stderr("[runmagic] stopping the container (interrupt again to kill it)\n")
            self._stop()
        except KeyboardInterrupt:
            self._signal("SIGKILL")
        self._wait_gone(10.0, sock, sink)
        # The wait (condition "removed" for --rm) ends when the container is
        # gone, so a --rm container no longer exists when the cell returns.
        return self._read_wait(wait_response)

    def _signal(self, name: str) -> None:
        try:
            self.api.kill(self.container_id, signal=name)
        except docker.errors.APIError:  # already exited
            pass

    def _stop(self) -> None:
        try:
            self.api.stop(self.container_id, timeout=self.plan.config.get("StopTimeout"))
        except docker.errors.APIError:
            pass

    def _wait_gone(self, timeout: float, sock, sink) -> bool:
        return sock is not None and streaming.drain(sock, sink, self.plan.tty, timeout)

    def _interrupt_message(self, status: int) -> str:
        fate = "removed" if self.plan.auto_remove else "left stopped"
        return f"Interrupted: the container exited with status {status} and was {fate}"

    def _remove_quietly(self) -> None:
        if self.container_id:
            try:
                self.api.remove_container(self.container_id, force=True)
            except docker.errors.APIError:
                pass


def start_error_status(message: str) -> int:
    """docker's choice of exit status when the container's command can't run."""
    if any(text in message for text in (
            "executable file not found", "no such file or directory",
            "system cannot find the file specified")):
        return STATUS_NOT_FOUND
    if "permission denied" in message or "is a directory" in message:
        return STATUS_CANNOT_INVOKE
    return STATUS_DOCKER_ERROR
