"""The kernel's connections to Docker engines: one :class:`Engine` per endpoint.

An Engine wraps docker-py's low-level client. Its methods are the only calls
into docker-py in runmagic (private helpers included), and every failure
leaves them as runmagic's errors (see :mod:`runmagic.engine.errors`).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading

import docker
import docker.auth
import docker.constants

from runmagic.engine import endpoint as endpoints
from runmagic.engine import http_body, transports
from runmagic.engine.errors import translated
from runmagic.engine.session import ResponseBody, StreamSession
from runmagic.errors import DaemonResponse

#: Seconds a request may wait for the engine's answer (streams and waits have none).
DEFAULT_TIMEOUT = 60
#: Seconds Docker gives a container between the stop signal and SIGKILL when its
#: create request named none.
DOCKER_STOP_TIMEOUT = 10
#: The headers that ask the engine to hand the connection over to a container's streams.
_UPGRADE = {"Connection": "Upgrade", "Upgrade": "tcp"}


def _shut_down(sock, response) -> None:
    """End a streamed response that a thread may be blocked reading: the connection is
    shut down first, as closing the response would wait for that read to return."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        response.close()
    except OSError:
        pass


class Wait:
    """A registered ``POST /containers/{id}/wait``: the engine answers when the container stops.

    A thread reads the answer, so that an interrupt while the kernel waits for it
    (the main thread, in :meth:`status`) never leaves a half-read response: the
    interrupt ladder asks again, and the answer is whole."""

    def __init__(self, engine: "Engine", response, sock):
        self._engine = engine
        self._response = response
        self._sock = sock
        self._answered = threading.Event()
        self._body = b""
        self._error: Exception | None = None
        threading.Thread(target=self._read, daemon=True, name="runmagic-wait").start()

    def _read(self) -> None:
        try:
            self._body = self._response.content
        except Exception as exc:  # raised, translated, by status()
            self._error = exc
        self._answered.set()

    def status(self, report_error=None) -> int:
        """The exit status (125 when the engine gives none); the engine's error message,
        if any, goes to ``report_error``."""
        self._answered.wait()
        with self._engine.translated():
            if self._error is not None:
                raise self._error
            body = json.loads(self._body or b"{}")
        message = (body.get("Error") or {}).get("Message")
        if message and report_error is not None:
            report_error(message)
        return int(body.get("StatusCode", 125))

    def close(self) -> None:
        _shut_down(self._sock, self._response)


class ExitThenRemoval:
    """A ``removed`` wait for Podman, whose own (4.3) answers status 0 whatever the
    container's: the status comes from a ``next-exit`` wait, and the answer waits for
    the ``removed`` one, so the container is gone when it returns, as on Docker."""

    def __init__(self, exit_wait: Wait, removal_wait: Wait):
        self._exit_wait = exit_wait
        self._removal_wait = removal_wait

    def status(self, report_error=None) -> int:
        status = self._exit_wait.status(report_error)
        self._removal_wait.status()
        return status

    def close(self) -> None:
        self._exit_wait.close()
        self._removal_wait.close()


class JsonStream:
    """The decoded JSON messages of a streamed response (pull, events), closeable from another thread."""

    def __init__(self, engine: "Engine", response, messages, sock):
        self._engine = engine
        self._response = response
        self._messages = messages
        self._sock = sock

    def __iter__(self):
        with self._engine.translated():
            yield from self._messages

    def close(self) -> None:
        _shut_down(self._sock, self._response)


def _refused_before_progress(messages):
    """Pull messages, a failure before any progress raised as the engine's refusal: Docker
    answers such a pull (an unreachable registry, an unknown tag) with an error status, while
    Podman 4.3 answers 200 and sends the error as its first message."""
    for index, message in enumerate(messages):
        if index == 0 and message.get("error"):
            raise DaemonResponse(message["error"].strip())
        yield message


class ByteStream:
    """A streamed response body as a binary readable (``read(n)``, ``readinto``), read
    straight off the connection (see :mod:`runmagic.engine.http_body`) and closeable from
    another thread."""

    def __init__(self, engine: "Engine", response):
        self._engine = engine
        self._response = response
        connection = engine._api._get_raw_response_socket(response)
        self._sock = getattr(connection, "_sock", connection)
        # http.client has read the headers (and perhaps the body's first bytes) through
        # its buffered reader; the body goes on from there.
        head = response.raw._fp
        self._body = http_body.body_reader(head.fp, self._sock.recv_into, chunked=head.chunked,
                                           length=head.length,
                                           coding=response.headers.get("Content-Encoding", ""))

    # A try costs nothing until it catches (a ``with`` block costs a generator's round
    # trip per call, and these run per piece of an export): failures are translated then.
    def readinto(self, buffer) -> int:
        try:
            return self._body.readinto(buffer)
        except Exception:
            with self._engine.translated():
                raise

    def read(self, size: int = -1) -> bytes:
        try:
            return self._body.read(size)
        except Exception:
            with self._engine.translated():
                raise

    def close(self) -> None:
        _shut_down(self._sock, self._response)


class Engine:
    """One engine, reached at ``endpoint``; ``api`` is docker-py's client."""

    def __init__(self, api: docker.APIClient, endpoint: endpoints.Endpoint, timeout: float):
        self._api = api
        self.endpoint = endpoint
        self.timeout = timeout
        self._version: dict | None = None

    # -- identity -------------------------------------------------------------

    @property
    def api_version(self) -> str:
        return self._api.api_version

    def translated(self):
        """A block whose engine failures leave as runmagic's errors naming this engine."""
        return translated(self.endpoint, self.timeout)

    def version(self) -> dict:
        """``GET /version``, asked once per Engine."""
        if self._version is None:
            with self.translated():
                self._version = self._api.version()
        return self._version

    def os_type(self) -> str:
        return self.version().get("Os", "linux")

    def is_podman(self) -> bool:
        """Podman's Docker-compatible API (its /version names a "Podman Engine" component)."""
        return any(component.get("Name") == "Podman Engine"
                   for component in self.version().get("Components") or [])

    def ping(self) -> None:
        with self.translated():
            self._api.ping()

    def close(self) -> None:
        self._api.close()

    # -- plain requests -------------------------------------------------------

    def _checked(self, response):
        self._api._raise_for_status(response)
        return response

    def get_raw(self, path: str, *path_args: str, params: dict | None = None) -> bytes:
        """GET a document and return the engine's bytes (for byte-exact output)."""
        with self.translated():
            return self._checked(self._api._get(self._api._url(path, *path_args),
                                                params=params or {})).content

    def get_json(self, path: str, *path_args: str, params: dict | None = None):
        return json.loads(self.get_raw(path, *path_args, params=params))

    def post(self, path: str, *path_args: str, params: dict | None = None, body=None,
             wait: bool = False):
        """POST and return the decoded answer (None when the engine sends none).
        ``wait``: no client timeout, for requests that last as long as a container
        takes to stop."""
        url = self._api._url(path, *path_args)
        options = {"params": params or {}, **({"timeout": None} if wait else {})}
        with self.translated():
            if body is None:
                response = self._api._post(url, **options)
            else:
                response = self._api._post_json(url, data=body, **options)
            content = self._checked(response).content
        return json.loads(content) if content else None

    def _get_stream(self, path: str, *path_args: str, params: dict | None = None):
        """GET a body to read as it streams: the response, its body not read yet."""
        with self.translated():
            # As sent (requests would ask for gzip): an archive gains nothing by it here.
            return self._checked(self._api._get(self._api._url(path, *path_args), params=params or {},
                                                headers={"Accept-Encoding": "identity"},
                                                stream=True, timeout=None))

    def delete(self, path: str, *path_args: str, params: dict | None = None) -> None:
        with self.translated():
            self._checked(self._api._delete(self._api._url(path, *path_args), params=params or {}))

    # -- containers -----------------------------------------------------------

    def containers(self, *, all: bool = False, limit: int = -1, size: bool = False,
                   filters: dict | None = None) -> list[dict]:
        """``GET /containers/json`` (``filters`` as {name: [values]})."""
        params = {"all": int(all), "limit": limit, "size": int(size), **filters_param(filters)}
        return self.get_json("/containers/json", params=params)

    def inspect_container(self, ref: str, size: bool = False) -> dict:
        """The engine resolves a full ID, a unique prefix or a name, and refuses an
        ambiguous prefix in docker's words."""
        return self.get_json("/containers/{0}/json", ref, params={"size": 1} if size else None)

    def inspect_image(self, ref: str) -> dict:
        return self.get_json("/images/{0}/json", ref)

    def create_container(self, body: dict, name: str | None = None, platform: str | None = None) -> dict:
        if body.get("StopTimeout") is None and self.is_podman():
            # Podman 4.3 gives such a container 0 s: every stop would be a SIGKILL.
            body = {**body, "StopTimeout": DOCKER_STOP_TIMEOUT}
        params = {"name": name} if name else {}
        if platform:
            params["platform"] = platform
        return self.post("/containers/create", body=body, params=params)

    def start(self, ref: str) -> None:
        self.post("/containers/{0}/start", ref)

    def kill(self, ref: str, signal: str = "") -> None:
        self.post("/containers/{0}/kill", ref, params={"signal": signal} if signal else {})

    def stop(self, ref: str, timeout: int | None = None, signal: str = "") -> None:
        params = {} if timeout is None else {"t": timeout}
        if signal:
            params["signal"] = signal
        self.post("/containers/{0}/stop", ref, params=params, wait=True)

    def restart(self, ref: str, timeout: int | None = None, signal: str = "") -> None:
        if timeout is None and self.is_podman():
            # Docker waits the container's stop timeout; Podman 4.3 waits 0 s unless told.
            timeout = self.inspect_container(ref)["Config"].get("StopTimeout")
            if timeout is None:
                timeout = DOCKER_STOP_TIMEOUT
        params = {} if timeout is None else {"t": timeout}
        if signal:
            params["signal"] = signal
        self.post("/containers/{0}/restart", ref, params=params, wait=True)

    def remove_container(self, ref: str, *, force: bool = False, volumes: bool = False,
                         link: bool = False) -> None:
        self.delete("/containers/{0}", ref,
                    params={"force": int(force), "v": int(volumes), "link": int(link)})

    def logs(self, ref: str, params: dict) -> bytes:
        """The logs so far, multiplexed as the engine sends them (see ``session.demultiplex``)."""
        return self.get_raw("/containers/{0}/logs", ref, params=params)

    def images(self) -> list[dict]:
        return self.get_json("/images/json")

    def networks(self) -> list[dict]:
        return self.get_json("/networks")

    def volumes(self) -> list[dict]:
        return self.get_json("/volumes").get("Volumes") or []

    # -- streams --------------------------------------------------------------

    def _hijacked(self, response, tty: bool) -> StreamSession:
        """The stream of an upgraded (``101``) answer. http.client read the answer through
        a buffered reader, which may hold the stream's first bytes too (an exec's output
        can come in the same packet): they go first, then the connection."""
        wrapper = self._api._get_raw_response_socket(response)
        self._api._disable_socket_timeout(wrapper)
        sock = getattr(wrapper, "_sock", wrapper)
        sock.settimeout(0)  # take only what the reader holds, or what is already there
        try:
            early = response.raw._fp.fp.peek()
        finally:
            sock.settimeout(None)
        return StreamSession(sock, tty, closables=(wrapper,), on_broken=self._broken, early=early)

    def _broken(self, exc: BaseException) -> Exception:
        from runmagic.engine.errors import lost

        return lost(self.endpoint, exc)

    def _json_stream(self, response, read=iter) -> JsonStream:
        """``read``: what the decoded messages go through on their way to the reader."""
        connection = self._api._get_raw_response_socket(response)
        return JsonStream(self, response, read(self._api._stream_helper(response, decode=True)),
                          getattr(connection, "_sock", connection))

    def open_wait(self, ref: str, condition: str = "") -> "Wait | ExitThenRemoval":
        """POST wait and return once the engine has answered its headers, so the wait
        is registered before anything that could end the container."""
        if condition == "removed" and self.is_podman():
            return ExitThenRemoval(self._open_wait(ref, "next-exit"), self._open_wait(ref, "removed"))
        return self._open_wait(ref, condition)

    def _open_wait(self, ref: str, condition: str) -> Wait:
        with self.translated():
            response = self._api._post(self._api._url("/containers/{0}/wait", ref),
                                       params={"condition": condition} if condition else {},
                                       stream=True, timeout=None)
            self._checked(response)
            connection = self._api._get_raw_response_socket(response)
        return Wait(self, response, getattr(connection, "_sock", connection))

    def attach(self, ref: str, *, tty: bool, stdin: bool, stdout: bool = True, stderr: bool = True,
               detach_keys: str = "", logs: bool = False) -> StreamSession:
        params = {"stdin": int(stdin), "stdout": int(stdout), "stderr": int(stderr), "stream": 1}
        if logs:
            params["logs"] = 1
        if detach_keys:
            params["detachKeys"] = detach_keys
        with self.translated():
            response = self._api._post(self._api._url("/containers/{0}/attach", ref), params=params,
                                       headers=_UPGRADE, stream=True)
            return self._hijacked(self._checked(response), tty)

    def exec_create(self, ref: str, command: list[str], *, stdin: bool, stdout: bool, stderr: bool,
                    tty: bool, privileged: bool = False, user: str = "", environment=None,
                    workdir: str = "", detach_keys: str = "") -> str:
        with self.translated():
            return self._api.exec_create(
                ref, command, stdout=stdout, stderr=stderr, stdin=stdin, tty=tty,
                privileged=privileged, user=user, environment=environment or None,
                workdir=workdir or None, detach_keys=detach_keys or None)["Id"]

    def exec_start(self, exec_id: str, *, tty: bool) -> StreamSession:
        with self.translated():
            response = self._api._post_json(self._api._url("/exec/{0}/start", exec_id),
                                            data={"Tty": tty, "Detach": False},
                                            headers=_UPGRADE, stream=True)
            return self._hijacked(self._checked(response), tty)

    def exec_start_detached(self, exec_id: str, *, tty: bool) -> None:
        with self.translated():
            self._api.exec_start(exec_id, detach=True, tty=tty)

    def exec_inspect(self, exec_id: str) -> dict:
        return self.get_json("/exec/{0}/json", exec_id)

    def resize(self, ref: str, height: int, width: int) -> None:
        """The TTY size of a container started with ``-t``."""
        self.post("/containers/{0}/resize", ref, params={"h": height, "w": width})

    def exec_resize(self, exec_id: str, height: int, width: int) -> None:
        self.post("/exec/{0}/resize", exec_id, params={"h": height, "w": width})

    def follow_logs(self, ref: str, params: dict, tty: bool) -> StreamSession:
        """A logs stream (``follow``) as a session."""
        with self.translated():
            response = self._checked(self._api._get(self._api._url("/containers/{0}/logs", ref),
                                                    params=params, stream=True, timeout=None))
            connection = self._api._get_raw_response_socket(response)
            # A follow may be quiet for longer than the client timeout.
            self._api._disable_socket_timeout(connection)
        body = ResponseBody(response, getattr(connection, "_sock", connection))
        return StreamSession(body.reader, tty, closables=(body,), on_broken=self._broken,
                             failure=body.failure)

    def events(self, *, since: str | None = None, until: str | None = None,
               filters: dict | None = None) -> JsonStream:
        params = {"since": since, "until": until, **filters_param(filters)}
        with self.translated():
            response = self._checked(self._api._get(self._api._url("/events"),
                                                    params={k: v for k, v in params.items() if v},
                                                    stream=True, timeout=None))
        return self._json_stream(response)

    def pull(self, repository: str, tag: str | None, platform: str | None = None) -> JsonStream:
        """``POST /images/create`` as docker-py's pull does (with the registry
        credentials of the docker config): the engine's progress messages."""
        registry, _ = docker.auth.resolve_repository_name(repository)
        headers = {}
        with self.translated():
            credentials = docker.auth.get_config_header(self._api, registry)
            if credentials:
                headers["X-Registry-Auth"] = credentials
            params = {"fromImage": repository, "tag": tag}
            if platform:
                params["platform"] = platform
            response = self._checked(self._api._post(self._api._url("/images/create"), params=params,
                                                     headers=headers, stream=True, timeout=None))
        return self._json_stream(response, _refused_before_progress)

    # -- images ---------------------------------------------------------------

    def export_image(self, ref: str) -> "ByteStream":
        """``GET /images/{name}/get``: the image's export tar, read as it streams."""
        return ByteStream(self, self._get_stream("/images/{0}/get", ref))

    def list_images(self, *, all: bool = False, filters: dict | None = None) -> list[dict]:
        """``GET /images/json`` (``filters`` as {name: [values]})."""
        return self.get_json("/images/json", params={"all": int(all), **filters_param(filters)})

    def image_history(self, ref: str) -> list[dict]:
        return self.get_json("/images/{0}/history", ref)

    def remove_image(self, ref: str, *, force: bool = False, prune: bool = True) -> list[dict]:
        """``DELETE /images/{name}``: what was untagged and deleted."""
        with self.translated():
            response = self._checked(self._api._delete(
                self._api._url("/images/{0}", ref),
                params={"force": int(force), "noprune": int(not prune)}))
        return json.loads(response.content or b"[]")

    def tag_image(self, ref: str, repository: str, tag: str | None) -> None:
        self.post("/images/{0}/tag", ref, params={"repo": repository, **({"tag": tag} if tag else {})})

    def prune_images(self, filters: dict | None = None) -> dict:
        return self.post("/images/prune", params=filters_param(filters)) or {}

    def export_images(self, refs: list[str]) -> "ByteStream":
        """``GET /images/get?names=...``: several images in one archive."""
        return ByteStream(self, self._get_stream("/images/get", params={"names": refs}))

    def load_images(self, archive, quiet: bool = False) -> JsonStream:
        """``POST /images/load`` with ``archive`` (a readable) as the body."""
        with self.translated():
            response = self._checked(self._api._post(
                self._api._url("/images/load"), data=archive, params={"quiet": int(quiet)},
                headers={"Content-Type": "application/x-tar"}, stream=True, timeout=None))
        return self._json_stream(response)

    def build(self, context, params: dict, headers: dict | None = None) -> JsonStream:
        """``POST /build`` (the classic builder) with ``context`` (a tar readable)."""
        with self.translated():
            response = self._checked(self._api._post(
                self._api._url("/build"), data=context, params=params,
                headers={"Content-Type": "application/x-tar", **(headers or {})}, stream=True,
                timeout=None))
        return self._json_stream(response)

    def container_changes(self, ref: str) -> list[dict]:
        return self.get_json("/containers/{0}/changes", ref) or []

    def path_stat(self, ref: str, path: str) -> dict:
        """``HEAD /containers/{id}/archive``: the stat of ``path`` in the container."""
        with self.translated():
            # docker-py wraps get/post/put/delete only; head is the requests Session's.
            response = self._checked(self._api.head(self._api._url("/containers/{0}/archive", ref),
                                                    params={"path": path}, timeout=self.timeout))
        return _path_stat(response)

    def get_archive(self, ref: str, path: str) -> tuple["ByteStream", dict]:
        """``GET /containers/{id}/archive``: a tar of ``path``, and its stat."""
        response = self._get_stream("/containers/{0}/archive", ref, params={"path": path})
        return ByteStream(self, response), _path_stat(response)

    def put_archive(self, ref: str, path: str, archive, copy_uid_gid: bool = False) -> None:
        """``PUT /containers/{id}/archive``: extract ``archive`` (a tar readable) at ``path``."""
        params = {"path": path, "noOverwriteDirNonDir": "true",
                  **({"copyUIDGID": "true"} if copy_uid_gid else {})}
        with self.translated():
            self._checked(self._api._put(self._api._url("/containers/{0}/archive", ref),
                                         params=params, data=archive, timeout=None))


def _path_stat(response) -> dict:
    header = response.headers.get("X-Docker-Container-Path-Stat")
    return json.loads(base64.b64decode(header)) if header else {}


def filters_param(filters: dict | None) -> dict:
    """The ``filters`` query parameter, as the docker CLI encodes it."""
    if not filters:
        return {}
    return {"filters": json.dumps({
        name: {value: True for value in ([values] if isinstance(values, str) else values)}
        for name, values in filters.items()})}


def connect(endpoint: endpoints.Endpoint | None = None, timeout: float = DEFAULT_TIMEOUT) -> Engine:
    """A new Engine for ``endpoint`` (the environment's by default), its API version
    negotiated with the engine. docker-py's own context and TLS handling are not used:
    the endpoint says everything (see :mod:`runmagic.engine.transports`)."""
    endpoint = endpoint or endpoints.resolve()
    own_transport = endpoint.scheme == "ssh" or (endpoint.tls is not None and endpoint.scheme == "tcp")
    with translated(endpoint, timeout):
        if not own_transport:
            api = docker.APIClient(base_url=endpoint.host, version="auto", timeout=timeout)
        else:
            # Built unconnected, pointed at our transport, then the version negotiated.
            base_url = "tcp://localhost:2375" if endpoint.scheme == "ssh" else endpoint.host
            api = docker.APIClient(base_url=base_url, version=docker.constants.DEFAULT_DOCKER_API_VERSION,
                                   timeout=timeout, tls=endpoint.tls is not None)
            transports.mount(api, endpoint, timeout)
            api._version = api._retrieve_server_version()
    if endpoint.scheme in ("unix", "ssh"):
        # No HTTP proxy can stand between us and a socket or an ssh stream, and requests
        # would otherwise read the environment's proxy settings again for every request.
        api.trust_env = False
    return Engine(api, endpoint, timeout)


_engines: dict[tuple, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(environ=os.environ, timeout: float = DEFAULT_TIMEOUT) -> Engine:
    """The kernel's Engine for the engine the environment names now: read on every
    call, as the docker CLI reads it, so ``%env DOCKER_HOST=...`` takes effect; one
    Engine (and its connection pool) per endpoint."""
    endpoint = endpoints.resolve(environ)
    key = (endpoint, timeout)
    with _engines_lock:
        engine = _engines.get(key)
    if engine is None:
        engine = connect(endpoint, timeout)
        with _engines_lock:
            engine = _engines.setdefault(key, engine)
    return engine


def forget(engine: Engine) -> None:
    """Drop an Engine that stopped answering, so the next command connects afresh."""
    with _engines_lock:
        for key, known in list(_engines.items()):
            if known is engine:
                del _engines[key]
    engine.close()
