"""Which engine a command talks to, and how to reach it.

An :class:`Endpoint` is what the docker CLI resolves before it sends a request:
an address (``unix://``, ``tcp://``, ``ssh://``), TLS material, and the name
of the context it came from. :func:`resolve` reads the environment the way the
docker CLI does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_HOST = "unix:///var/run/docker.sock"


@dataclass(frozen=True)
class Endpoint:
    """An engine's address and what selected it."""

    host: str
    #: The docker context it came from ("default" when nothing selected one).
    context: str = "default"
    #: What selected it, for messages: "DOCKER_HOST", "DOCKER_CONTEXT", ...
    source: str = "the default socket"
    tls_verify: bool = False
    cert_path: str | None = None

    @property
    def is_default(self) -> bool:
        return self.context == "default" and self.host == DEFAULT_HOST

    def describe(self) -> str:
        """How messages name the engine: its address, and its context when one chose it."""
        if self.context != "default":
            return f"{self.host} (context {self.context!r})"
        return self.host


def resolve(environ=os.environ) -> Endpoint:
    """The engine the environment names: a non-empty DOCKER_HOST, else the default socket."""
    host = environ.get("DOCKER_HOST")
    tls_verify = bool(environ.get("DOCKER_TLS_VERIFY"))
    cert_path = environ.get("DOCKER_CERT_PATH") or None
    if host:
        return Endpoint(host, source="DOCKER_HOST", tls_verify=tls_verify, cert_path=cert_path)
    return Endpoint(DEFAULT_HOST, tls_verify=tls_verify, cert_path=cert_path)
