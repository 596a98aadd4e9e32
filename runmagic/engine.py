"""The connection to the Docker engine, and docker's words for its errors.

The client comes from the environment as docker-py (and the docker CLI) take
it: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, else the default socket.
"""

import os

import docker
import docker.errors
import requests.exceptions

from .errors import DaemonError, EngineUnreachable

DEFAULT_HOST = "unix:///var/run/docker.sock"


def _engine_address(environ) -> str:
    return environ.get("DOCKER_HOST") or DEFAULT_HOST


def unreachable(environ) -> EngineUnreachable:
    """docker's own sentence, plus how to get an engine."""
    address = _engine_address(environ)
    where = "DOCKER_HOST" if environ.get("DOCKER_HOST") else "the default socket"
    return EngineUnreachable(
        f"Cannot connect to the Docker daemon at {address}. Is the docker daemon running? "
        f"(tried {where}; start one with `dockerd &` as root, or point DOCKER_HOST at a running engine)"
    )


def environment_key(environ) -> tuple:
    """What in the environment selects the engine and how to reach it."""
    return tuple(environ.get(name) for name in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"))


def connect(environ=os.environ) -> docker.APIClient:
    """A low-level client with the API version negotiated with the engine."""
    try:
        client = docker.APIClient(
            version="auto", **docker.utils.kwargs_from_env(environment=dict(environ))
        )
    except docker.errors.DockerException:
        raise unreachable(environ) from None
    return client


_clients: dict[tuple, docker.APIClient] = {}


def client_for(environ=os.environ) -> docker.APIClient:
    """The kernel's client for the engine the environment names now: read on
    every call, as the docker CLI reads it, so ``%env DOCKER_HOST=...`` takes
    effect; one client (and its connection pool) per engine."""
    key = environment_key(environ)
    if key not in _clients:
        _clients[key] = connect(environ)
    return _clients[key]


def forget_client(environ=os.environ) -> None:
    """Drop the client of an engine that stopped answering, to reconnect next time."""
    _clients.pop(environment_key(environ), None)


def daemon_error(exc: docker.errors.APIError) -> DaemonError:
    """The engine's explanation, as ``docker: Error response from daemon: ...``."""
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", errors="replace")
    return DaemonError(str(explanation or exc).strip())


def is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, (requests.exceptions.ConnectionError, ConnectionError, FileNotFoundError))
