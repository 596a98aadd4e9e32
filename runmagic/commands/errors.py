"""The errors of the companion commands, rendered as the docker CLI prints them.

Unlike ``docker run`` (``docker: ...``, status 125), these commands print a
daemon's refusal as ``Error response from daemon: ...`` and their own as the
bare sentence, and exit with status 1. Several failures (``docker stop a b``)
are printed one per line.
"""

from ..errors import DockerError


class CommandError(DockerError):
    """A refusal by the command itself: docker's sentence, as is."""

    prefix = ""

    def __init__(self, message: str, exit_status: int = 1):
        super().__init__(message, exit_status)


class DaemonResponse(CommandError):
    """The engine refused a request; ``message`` is its explanation and
    ``not_found`` whether the refusal was a 404 (docker's IsNotFound)."""

    def __init__(self, message: str, exit_status: int = 1, not_found: bool = False):
        super().__init__(message, exit_status)
        self.not_found = not_found

    def __str__(self) -> str:
        return f"Error response from daemon: {self.message}"


def joined(errors: list[DockerError], exit_status: int = 1) -> CommandError:
    """errors.Join: every failure on its own line."""
    return CommandError("\n".join(str(e) for e in errors), exit_status)
