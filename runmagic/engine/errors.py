"""docker-py's and the transport's exceptions, turned into runmagic's errors.

Everything that reaches the engine goes through :func:`translated`, so no
``requests``, ``urllib3``, socket or docker-py exception escapes the engine
package: a refusal becomes :class:`DaemonResponse` in the engine's words, a
connection that cannot be made :class:`EngineUnreachable` in docker's words,
a connection that broke or went silent :class:`EngineLost`.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import ssl

import docker.errors
import requests.exceptions
import urllib3.exceptions

from runmagic.engine.http_body import MalformedBody
from runmagic.engine.transports import SSHFailure
from runmagic.errors import DaemonResponse, EngineLost, EngineUnreachable

#: Errors that mean an established conversation with the engine broke.
_BROKEN = (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
           ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
_TIMEOUTS = (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, socket.timeout, TimeoutError)


#: Podman's explanations of a 404 (an object that does not exist), and Docker's words for them.
_PODMAN_NOT_FOUND = (
    (re.compile(r'no container with name or ID "(?P<ref>.+)" found: no such container'),
     "No such container: {ref}"),
    # A reference holds no ": " (a colon and a space): the first one ends it.
    (re.compile(r"no such image: (?P<ref>.+?): image not known"), "No such image: {ref}"),
    (re.compile(r"failed to find image (?P<ref>.+?): .*(?:image not known|No such image)"),
     "No such image: {ref}"),
    (re.compile(r"unable to find network with name or ID (?P<ref>.+): network not found"),
     "network {ref} not found"),
    (re.compile(r"volume with name (?P<ref>.+) not found: no such volume"), "get {ref}: no such volume"),
    (re.compile(r"no exec session with ID (?P<ref>.+) found: no such exec session"),
     "No such exec instance: {ref}"),
)


def _in_dockers_words(explanation: str) -> str:
    """A 404's explanation as Docker words it: Podman names a missing object its own way."""
    for pattern, words in _PODMAN_NOT_FOUND:
        found = pattern.fullmatch(explanation)
        if found:
            return words.format(ref=found["ref"])
    return explanation


def refusal(exc: docker.errors.APIError) -> DaemonResponse:
    """The engine's explanation of a refused request."""
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", errors="replace")
    explanation = str(explanation or exc).strip()
    if exc.status_code == 404:
        explanation = _in_dockers_words(explanation)
    return DaemonResponse(explanation, not_found=exc.status_code == 404, status_code=exc.status_code or 0)


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
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError,
                        http.client.IncompleteRead)):
        return "the connection ended in the middle of a response"
    if isinstance(exc, MalformedBody):
        return f"its answer was malformed: {exc}"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection closed before an answer"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset"
    if isinstance(exc, BrokenPipeError):
        return "the connection closed while a request was sent"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


def _cause(exc: BaseException) -> BaseException:
    """The transport's own exception inside docker-py's, requests' and urllib3's wrappers:
    what decides between "cannot connect", "stopped answering" and "did not answer"."""
    for _ in range(8):
        if isinstance(exc, docker.errors.DockerException) and exc.__cause__ is not None:
            inner = exc.__cause__  # "Error while fetching server API version: ..."
        elif isinstance(exc, requests.exceptions.RequestException) and exc.args \
                and isinstance(exc.args[0], BaseException):
            inner = exc.args[0]
        elif isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
            inner = exc.reason
        elif isinstance(exc, urllib3.exceptions.ProtocolError) and len(exc.args) > 1 \
                and isinstance(exc.args[1], OSError):
            inner = exc.args[1]  # ("Connection aborted.", the socket's error)
        else:
            return exc
        exc = inner
    return exc


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
    cause = _cause(exc)
    # A connection that could not be made (urllib3 counts a refused one as a connect timeout).
    if isinstance(cause, (urllib3.exceptions.NewConnectionError, ConnectionRefusedError,
                          FileNotFoundError)):
        return unreachable(endpoint)
    if isinstance(cause, (urllib3.exceptions.ConnectTimeoutError, requests.exceptions.ConnectTimeout)):
        return timed_out(endpoint, timeout)
    if isinstance(cause, _TIMEOUTS):
        return timed_out(endpoint, timeout)
    if isinstance(cause, (*_BROKEN, http.client.HTTPException)):
        return lost(endpoint, cause)
    if isinstance(cause, (requests.exceptions.ConnectionError, docker.errors.DockerException)):
        return unreachable(endpoint)
    if isinstance(cause, OSError):
        return lost(endpoint, cause)
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
