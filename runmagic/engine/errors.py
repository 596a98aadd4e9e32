"""docker-py's and the transport's exceptions, turned into runmagic's errors.

Everything that reaches the engine goes through :func:`translated`, so no
``requests``, ``urllib3``, socket or docker-py exception escapes the engine
package: a refusal becomes :class:`DaemonResponse` in the engine's words, a
connection that cannot be made :class:`EngineUnreachable` in docker's words,
a connection that broke or went silent :class:`EngineLost`.
"""

from __future__ import annotations

import contextlib
import socket
import ssl

import docker.errors
import requests.exceptions
import urllib3.exceptions

from runmagic.engine.transports import SSHFailure
from runmagic.errors import DaemonResponse, EngineLost, EngineUnreachable

#: Errors that mean the engine could not be reached at all.
_CANNOT_CONNECT = (requests.exceptions.ConnectionError, ConnectionRefusedError, FileNotFoundError)
#: Errors that mean an established conversation with the engine broke.
_BROKEN = (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
           ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
_TIMEOUTS = (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, socket.timeout, TimeoutError)


def refusal(exc: docker.errors.APIError) -> DaemonResponse:
    """The engine's explanation of a refused request."""
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", errors="replace")
    return DaemonResponse(str(explanation or exc).strip(), not_found=exc.status_code == 404,
                          status_code=exc.status_code or 0)


def unreachable(endpoint) -> EngineUnreachable:
    """docker's own sentence, plus what chose this engine (and how to get one locally)."""
    hint = f"selected by {endpoint.source}"
    if endpoint.is_default:
        hint += "; start one with `dockerd &` as root, or point DOCKER_HOST at a running engine"
    return EngineUnreachable(
        f"Cannot connect to the Docker daemon at {endpoint.describe()}. Is the docker daemon running? "
        f"({hint})")


def lost(endpoint, exc: BaseException) -> EngineLost:
    return EngineLost(f"the Docker engine at {endpoint.describe()} stopped answering "
                      f"({_reason(exc)})")


def timed_out(endpoint, seconds: float | None) -> EngineLost:
    within = f" within {seconds:g} s" if seconds else ""
    return EngineLost(f"the Docker engine at {endpoint.describe()} did not answer{within}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
        return "the connection ended in the middle of a response"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset"
    return type(exc).__name__


def is_transport_error(exc: BaseException) -> bool:
    return isinstance(exc, (*_CANNOT_CONNECT, *_BROKEN, *_TIMEOUTS, docker.errors.DockerException, OSError))


def _causes(exc: BaseException):
    """``exc`` and what it wraps: requests and urllib3 carry the real reason in their
    arguments, docker-py in ``__cause__``."""
    seen, pending = set(), [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        pending.extend(c for c in (current.__cause__, current.__context__) if c is not None)


def _found(exc: BaseException, kind):
    return next((cause for cause in _causes(exc) if isinstance(cause, kind)), None)


def tls_failure(endpoint, exc: ssl.SSLError) -> EngineUnreachable:
    """A TLS handshake the engine and runmagic could not agree on, naming the engine."""
    reason = getattr(exc, "verify_message", None) or exc.reason or str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        trusted = endpoint.tls.ca if endpoint.tls and endpoint.tls.ca else "the system's CAs"
        reason = f"tls: failed to verify certificate: {reason} (trusting {trusted})"
    else:
        reason = "tls: " + (exc.reason.lower().replace("_", " ") if exc.reason else str(exc))
        if endpoint.tls is not None and not endpoint.tls.cert:
            reason += " (no client certificate was offered: does the engine require one?)"
    return EngineUnreachable(f"error during connect: {endpoint.describe()}: {reason}")


def translate(exc: BaseException, endpoint, timeout: float | None = None) -> Exception:
    """The runmagic error for an exception raised while talking to ``endpoint``."""
    if isinstance(exc, docker.errors.APIError):
        return refusal(exc)
    ssh_failure = _found(exc, SSHFailure)
    if ssh_failure is not None:
        return EngineUnreachable(str(ssh_failure))
    handshake = _found(exc, ssl.SSLError)
    if handshake is not None:
        return tls_failure(endpoint, handshake)
    if isinstance(exc, _TIMEOUTS) or isinstance(getattr(exc, "args", [None])[0] if exc.args else None,
                                                urllib3.exceptions.ReadTimeoutError):
        return timed_out(endpoint, timeout)
    if isinstance(exc, _BROKEN):
        return lost(endpoint, exc)
    if isinstance(exc, _CANNOT_CONNECT):
        inner = exc.args[0] if exc.args else None
        if isinstance(inner, urllib3.exceptions.ProtocolError) or "Connection aborted" in str(exc):
            return lost(endpoint, exc)
        return unreachable(endpoint)
    if isinstance(exc, docker.errors.DockerException):
        return unreachable(endpoint)
    if isinstance(exc, OSError):
        return lost(endpoint, exc)
    return exc


@contextlib.contextmanager
def translated(endpoint, timeout: float | None = None):
    """Run a block that talks to the engine; its failures leave as runmagic's errors."""
    try:
        yield
    except (DaemonResponse, EngineUnreachable, EngineLost):
        raise
    except Exception as exc:
        error = translate(exc, endpoint, timeout)
        if error is exc:
            raise
        raise error from None
