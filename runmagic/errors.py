"""Errors that carry the exit status the docker CLI would have exited with.

IPython shows an exception that has ``_render_traceback_`` exactly as that
method returns it, so every error here renders as the one line docker prints
first, with no traceback wall.
"""

#: docker's status for a rejection by the client or the daemon.
STATUS_DOCKER_ERROR = 125
#: The container's command was found but could not be invoked.
STATUS_CANNOT_INVOKE = 126
#: The container's command was not found.
STATUS_NOT_FOUND = 127


class DockerError(Exception):
    """Base of runmagic's errors: a message and docker's exit status."""

    #: Flag-parsing errors are printed by docker without the ``docker:`` prefix.
    prefix = "docker: "

    def __init__(self, message: str, exit_status: int = STATUS_DOCKER_ERROR):
        super().__init__(message)
        self.message = message
        self.exit_status = exit_status

    def __str__(self) -> str:
        return self.prefix + self.message

    def _render_traceback_(self) -> list[str]:
        """docker's words, then the status ``docker`` would exit with, unless they say it."""
        text = str(self)
        if f"status {self.exit_status}" not in text:
            text += f" (exit status {self.exit_status})"
        return text.split("\n")


class FlagError(DockerError):
    """A token of the line that docker's flag parser refuses (cobra/pflag)."""

    prefix = ""


class UsageError(DockerError):
    """A flag value or combination docker's ``run`` command refuses."""


class NotebookError(DockerError):
    """A rule of runmagic's own, where a cell differs from a terminal."""

    prefix = "runmagic: "


class PlainError(UsageError):
    """An error docker prints as it is (no ``docker:`` prefix), exiting with 1:
    unsupported flags, ``-a`` with ``-d``."""

    prefix = ""

    def __init__(self, message: str, exit_status: int = 1):
        super().__init__(message, exit_status)


class DaemonError(DockerError):
    """The engine refused a request; ``message`` is its explanation."""

    def __str__(self) -> str:
        return f"docker: Error response from daemon: {self.message}"


class EngineUnreachable(DockerError):
    """No engine answered at the address the environment names."""


class EngineLost(DockerError):
    """The engine stopped answering in the middle of a conversation (it died,
    restarted, or went silent past the timeout)."""


class ContainerExit(DockerError):
    """The container ran and exited with a non-zero status.

    ``exit_status`` is the container's own status, as ``docker run`` exits with.
    ``result`` holds what the run produced.
    """

    prefix = ""

    def __init__(self, exit_status: int, result=None):
        super().__init__(f"Container exited with status {exit_status}", exit_status)
        self.result = result


class Interrupted(DockerError):
    """A kernel interrupt ended the run; the container was signalled, stopped or
    killed, and ``exit_status`` is the status it exited with."""

    prefix = ""


# -- the companion commands (docker ps, logs, stop, ...) --------------------------------
# Unlike `docker run` (`docker: ...`, status 125), these print a daemon refusal as
# `Error response from daemon: ...` and their own as the bare sentence, and exit with 1;
# several failures (`docker stop a b`) are printed one per line.

class CommandError(DockerError):
    """A refusal by the command itself: docker's sentence, as is."""

    prefix = ""

    def __init__(self, message: str, exit_status: int = 1):
        super().__init__(message, exit_status)


class DaemonResponse(CommandError):
    """The engine refused a request; ``message`` is its explanation and
    ``not_found`` whether the refusal was a 404 (docker's IsNotFound)."""

    def __init__(self, message: str, exit_status: int = 1, not_found: bool = False,
                 status_code: int = 0):
        super().__init__(message, exit_status)
        self.not_found = not_found
        #: The HTTP status of the refusal (0 when not known).
        self.status_code = status_code

    def __str__(self) -> str:
        return f"Error response from daemon: {self.message}"


def joined(errors: list[DockerError], exit_status: int = 1) -> CommandError:
    """errors.Join: every failure on its own line."""
    return CommandError("\n".join(str(e) for e in errors), exit_status)
