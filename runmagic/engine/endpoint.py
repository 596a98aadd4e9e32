"""Which engine a command talks to, resolved exactly as docker CLI 28 resolves it.

An :class:`Endpoint` is what the docker CLI settles before it sends a request:
an address (``unix://``, ``tcp://``, ``ssh://``), TLS settings, the context it came
from and what chose that context. The order (cli/command/cli.go, resolveContextName):

1. ``--context`` — here the kernel's setting (``%config DockerRun.context``, see
   :func:`select_context`), which touches no file;
2. a non-empty ``DOCKER_HOST``: the default context at that address;
3. a non-empty ``DOCKER_CONTEXT``;
4. ``currentContext`` in ``$DOCKER_CONFIG/config.json`` (default ``~/.docker``);
5. the default context: the default socket.

The default context takes its TLS from ``DOCKER_TLS_VERIFY``/``DOCKER_TLS`` and the
files in ``DOCKER_CERT_PATH`` (default: the config folder). A stored context uses its
own TLS material and ``SkipTLSVerify``. A context name that is not stored is an error
naming it, never the local socket.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from runmagic.engine import contexts
from runmagic.engine.contexts import DEFAULT_CONTEXT, ContextError

DEFAULT_HOST = "unix:///var/run/docker.sock"

#: What chose the context, for messages.
BY_SETTING = "DockerRun.context"
BY_DOCKER_HOST = "DOCKER_HOST"
BY_DOCKER_CONTEXT = "DOCKER_CONTEXT"
BY_DEFAULT = "the default socket"


@dataclass(frozen=True)
class TLS:
    """TLS to a ``tcp://`` engine: files to trust and present; ``verify`` off = skip-tls-verify."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    verify: bool = True


@dataclass(frozen=True)
class Endpoint:
    """An engine's address and what selected it."""

    host: str
    #: The docker context it came from ("default" when no stored context chose it).
    context: str = DEFAULT_CONTEXT
    #: What selected it, for messages: "DOCKER_HOST", "DOCKER_CONTEXT", ...
    source: str = BY_DEFAULT
    #: None: plain HTTP (or no HTTP-level security: unix sockets, ssh).
    tls: TLS | None = None

    @property
    def is_default(self) -> bool:
        return self.context == DEFAULT_CONTEXT and self.host == DEFAULT_HOST

    @property
    def scheme(self) -> str:
        return self.host.partition("://")[0] if "://" in self.host else "tcp"

    @property
    def note(self) -> str:
        """What panels and listings say of the engine: nothing for the default one (the
        default context on the default socket), else :meth:`describe`."""
        return "" if self.is_default else self.describe()

    def describe(self) -> str:
        """How messages name the engine: its address, and its context when one chose it."""
        if self.context != DEFAULT_CONTEXT:
            return f"{self.host} (context {self.context!r})"
        return self.host


#: The kernel's own choice of context (``--context`` for every command of this kernel).
_kernel_context: str | None = None


def select_context(name: str | None) -> None:
    """Make ``name`` this process's context, as ``docker --context NAME`` would for each
    command (None or "" gives the choice back to the environment and config.json).
    The name is checked when an engine is next resolved, not here."""
    global _kernel_context
    _kernel_context = name or None


def selected_context() -> str | None:
    return _kernel_context


def context_choice(environ=os.environ, context: str | None = None) -> tuple[str, str]:
    """The name of the context docker would use, and what chose it."""
    chosen = context if context is not None else _kernel_context
    if chosen:
        return chosen, BY_SETTING
    if environ.get("DOCKER_HOST"):
        return DEFAULT_CONTEXT, BY_DOCKER_HOST
    if environ.get("DOCKER_CONTEXT"):
        return environ["DOCKER_CONTEXT"], BY_DOCKER_CONTEXT
    store = contexts.Store.from_environ(environ)
    current = store.current_context()
    if current:
        return current, f"currentContext in {store.config_file}"
    return DEFAULT_CONTEXT, BY_DEFAULT


def resolve(environ=os.environ, context: str | None = None) -> Endpoint:
    """The engine docker would talk to; ``context`` overrides everything (as ``--context``)."""
    name, source = context_choice(environ, context)
    if name == DEFAULT_CONTEXT:
        return default_endpoint(environ, source)
    try:
        stored = contexts.Store.from_environ(environ).load(name)
    except ContextError as exc:
        raise ContextError(f"unable to resolve docker endpoint: {exc.message}") from None
    return Endpoint(stored.host or _default_host(environ), name, source, context_tls(stored))


def _default_host(environ) -> str:
    return environ.get("DOCKER_HOST") or DEFAULT_HOST


def default_endpoint(environ=os.environ, source: str | None = None) -> Endpoint:
    """The default context: DOCKER_HOST or the default socket, TLS from the environment."""
    host = environ.get("DOCKER_HOST") or DEFAULT_HOST
    if source is None or source == BY_SETTING:
        source = BY_DOCKER_HOST if environ.get("DOCKER_HOST") else BY_DEFAULT
    verify = bool(environ.get("DOCKER_TLS_VERIFY"))
    tls = None
    if verify or environ.get("DOCKER_TLS"):
        cert_path = environ.get("DOCKER_CERT_PATH") or contexts.config_dir(environ)
        cert, key = (os.path.join(cert_path, f) for f in ("cert.pem", "key.pem"))
        # docker keeps ca.pem even when missing (and then fails reading it), and drops a
        # missing cert.pem/key.pem.
        tls = TLS(ca=os.path.join(cert_path, "ca.pem") if verify else None,
                  cert=cert if os.path.isfile(cert) else None,
                  key=key if os.path.isfile(key) else None, verify=verify)
    return Endpoint(host, DEFAULT_CONTEXT, source, tls)


def context_tls(stored: contexts.DockerContext) -> TLS | None:
    """A stored context's TLS: none unless it has TLS files or skips verification."""
    if not stored.tls_files and not stored.skip_tls_verify:
        return None
    return TLS(stored.tls_file("ca.pem"), stored.tls_file("cert.pem"), stored.tls_file("key.pem"),
               verify=not stored.skip_tls_verify)


def child_environ(environ=os.environ, context: str | None = None) -> dict[str, str]:
    """An environment in which a helper process (the reaper) resolves the same engine:
    the kernel's own context choice becomes DOCKER_CONTEXT, which DOCKER_HOST would beat."""
    chosen = context if context is not None else _kernel_context
    child = dict(environ)
    if chosen:
        if chosen != DEFAULT_CONTEXT:
            child.pop("DOCKER_HOST", None)
        child["DOCKER_CONTEXT"] = chosen
    return child
