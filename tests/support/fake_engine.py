"""A fake Docker engine on a unix socket, for tests that need no engine.

In the spirit of docker-py's ``tests/unit/fake_api.py``, but at the socket, so
everything between runmagic and the engine (docker-py, requests, urllib3, the
hijacked attach socket) runs for real:

* answers per route: ``fake.on("POST", "/containers/create", reply(201, {...}))``;
  a route's answer is a response, a list of responses (used in turn, the last
  one repeating), or a function of the :class:`Request` returning one. Later
  routes win over earlier ones, so a test overrides the defaults;
* the responses: :func:`reply` (JSON), :func:`stream` (a chunked body sent part
  by part, with :class:`Pause` / :class:`Until` between parts, ending cleanly
  or with :data:`HANG_UP`), :func:`raw` (an answer written byte for byte, for
  framing tests), :func:`hijack` (an attach or exec
  socket: docker's ``101 UPGRADED`` then raw bytes, multiplexed :func:`frame`
  s or a TTY's raw bytes; what the client writes is kept on the request as
  stdin, and its half-close as ``stdin_closed``), :data:`SILENCE` (accept the
  request, never answer), :data:`HANG_UP` (close without a word), and
  :func:`slow` (answer after a delay);
* a request log: ``fake.calls()`` gives ``(method, path)`` of every request but
  the API version handshake; each :class:`Request` has its query and body.

:class:`ScriptedContainer` puts the routes of one container's life (create,
inspect, attach, wait, start, kill, remove) on a fake, for runner tests.
"""

from __future__ import annotations

import json
import os
import re
import signal as signals
import socket
import struct
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import responses as REASONS

API_VERSION = "1.41"
_VERSIONED = re.compile(r"/v(\d+\.\d+)(/.*)")


@dataclass
class Request:
    method: str
    path: str  # without the /vX.Y prefix
    query: dict  # name -> value (a list when repeated)
    headers: dict  # lower-case names
    body: bytes
    version: str | None = None
    stdin: bytearray = field(default_factory=bytearray)
    stdin_closed: threading.Event = field(default_factory=threading.Event)

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


# -- responses -------------------------------------------------------------------


@dataclass
class Pause:
    """Wait this many seconds before the next part."""

    seconds: float


@dataclass
class Until:
    """Wait for this event before the next part (never past the fake's close)."""

    event: threading.Event


class _Sentinel:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: Close the connection at this point (a chunked body then ends prematurely).
HANG_UP = _Sentinel("HANG_UP")
#: Read the request and never answer.
SILENCE = _Sentinel("SILENCE")


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def reply(status: int = 200, body=None, headers: dict | None = None) -> Reply:
    """A whole answer: ``body`` as JSON (None: no body; bytes/str: as is)."""
    if body is None:
        return Reply(status, b"", "text/plain", headers or {})
    if isinstance(body, (bytes, str)):
        data = body.encode() if isinstance(body, str) else body
        return Reply(status, data, "text/plain", headers or {})
    return Reply(status, json.dumps(body).encode(), "application/json", headers or {})


def refuse(status: int, message: str) -> Reply:
    """The engine's refusal, as ``{"message": ...}``."""
    return reply(status, {"message": message})


@dataclass
class Stream:
    parts: tuple
    status: int = 200
    content_type: str = "application/json"


def stream(*parts, status: int = 200, content_type: str = "application/json") -> Stream:
    """A chunked body: each part (bytes, str, or a dict sent as a JSON line) is one chunk."""
    return Stream(parts, status, content_type)


@dataclass
class Raw:
    parts: tuple


def raw(*parts) -> Raw:
    """An answer written byte for byte as the parts spell it (status line, headers, body),
    with :class:`Pause`, :class:`Until` or :data:`HANG_UP` between parts: any framing,
    a chunk cut across reads included."""
    return Raw(parts)


@dataclass
class Hijack:
    parts: tuple
    with_answer: bool = False


def hijack(*parts, with_answer: bool = False) -> Hijack:
    """An upgraded attach/exec connection: the parts are raw bytes (use :func:`frame`
    for multiplexed streams); it ends with a clean close unless a part says otherwise.
    ``with_answer``: the first part goes out in the same write as the ``101`` answer, as
    when an exec's output is there before the client has read the answer."""
    return Hijack(parts, with_answer)


def frame(stream_name: str, data: bytes | str) -> bytes:
    """One multiplexed frame of stdout or stderr."""
    payload = data.encode() if isinstance(data, str) else data
    return struct.pack(">BxxxL", {"stdin": 0, "stdout": 1, "stderr": 2}[stream_name], len(payload)) + payload


@dataclass
class Slow:
    seconds: float
    then: object


def slow(seconds: float, then) -> Slow:
    return Slow(seconds, then)


def _chunk(part) -> bytes:
    if isinstance(part, dict):
        part = json.dumps(part) + "\r\n"
    if isinstance(part, str):
        part = part.encode()
    return part


class _Closed(Exception):
    """The fake is closing, or the client went away."""


class FakeEngine:
    """The fake engine on its own unix socket; use as a context manager."""

    def __init__(self, path: str | None = None, api_version: str = API_VERSION):
        self._dir = None
        if path is None:
            self._dir = tempfile.mkdtemp(prefix="runmagic-fake-")
            path = os.path.join(self._dir, "engine.sock")
        self.path = path
        self.api_version = api_version
        self.requests: list[Request] = []
        self._routes: list[tuple[str, re.Pattern, object]] = []
        self._used: dict[int, int] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.on("GET", "/_ping", reply(200, "OK"))
        self.on("GET", "/version", lambda request: reply(200, {
            "ApiVersion": self.api_version, "MinAPIVersion": "1.12", "Os": "linux",
            "Arch": "amd64", "Version": "20.10.99-fake"}))

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    # -- routes and the log -------------------------------------------------------

    def on(self, method: str, path: str, answer) -> "FakeEngine":
        """Answer ``method`` on paths fully matching the regex ``path``."""
        with self._lock:
            self._routes.append((method, re.compile(path), answer))
        return self

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every request but the version handshake, in order."""
        return [(r.method, r.path) for r in self.requests if r.path not in ("/version", "/_ping")]

    def requests_to(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and re.fullmatch(path, r.path)]

    def _answer_for(self, request: Request):
        with self._lock:
            for index in range(len(self._routes) - 1, -1, -1):
                method, pattern, answer = self._routes[index]
                if method == request.method and pattern.fullmatch(request.path):
                    if isinstance(answer, list):
                        used = self._used.get(index, 0)
                        self._used[index] = used + 1
                        answer = answer[min(used, len(answer) - 1)]
                    break
            else:
                return refuse(404, f"page not found: {request.method} {request.path}")
        if callable(answer) and not isinstance(answer, (Reply, Stream, Raw, Hijack, Slow, _Sentinel)):
            answer = answer(request)
        return answer

    # -- serving ------------------------------------------------------------------

    def __enter__(self) -> "FakeEngine":
        if os.path.exists(self.path):
            os.unlink(self.path)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(64)
        threading.Thread(target=self._accept, daemon=True, name="fake-engine").start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop answering: every open connection is closed, as when an engine dies."""
        self._closing.set()
        self._stop_listening()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _close(connection)
        if os.path.exists(self.path):
            os.unlink(self.path)
        if self._dir is not None:
            try:
                os.rmdir(self._dir)
            except OSError:
                pass

    def die(self) -> None:
        """Cut every open connection now and refuse new ones (the socket file stays,
        as a killed dockerd leaves it): the engine died."""
        self._closing.set()
        self._stop_listening()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _close(connection)

    def _stop_listening(self) -> None:
        if self._listener is not None:
            _close(self._listener)  # shut down first: the accepting thread is blocked on it

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections.add(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True,
                             name="fake-engine-connection").start()

    def _serve(self, connection: socket.socket) -> None:
        reader = _Reader(connection)
        try:
            while not self._closing.is_set():
                request = reader.request()
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                if not self._respond(connection, reader, request, self._answer_for(request)):
                    return
        except (_Closed, OSError):
            pass
        finally:
            with self._lock:
                self._connections.discard(connection)
            _close(connection)

    def _wait(self, seconds: float | None = None, event: threading.Event | None = None) -> None:
        deadline = None if seconds is None else time.monotonic() + seconds
        while not self._closing.is_set():
            if event is not None and event.is_set():
                return
            left = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if left <= 0:
                return
            if event is not None:
                event.wait(left)
            else:
                time.sleep(left)
        raise _Closed()

    def _respond(self, connection, reader, request, answer) -> bool:
        """Send ``answer``; False when the connection is done."""
        if isinstance(answer, Slow):
            self._wait(answer.seconds)
            answer = answer.then
        if answer is SILENCE:
            self._wait()
        if answer is HANG_UP:
            return False
        if isinstance(answer, Reply):
            head = _head(answer.status, {"Content-Type": answer.content_type,
                                         "Content-Length": str(len(answer.body)),
                                         "Api-Version": self.api_version, **answer.headers})
            connection.sendall(head + answer.body)
            return True
        if isinstance(answer, Stream):
            connection.sendall(_head(answer.status, {"Content-Type": answer.content_type,
                                                     "Transfer-Encoding": "chunked"}))
            for part in answer.parts:
                if not self._part(connection, part, chunked=True):
                    return False
            connection.sendall(b"0\r\n\r\n")
            return True
        if isinstance(answer, Raw):
            return all(self._part(connection, part, chunked=False) for part in answer.parts)
        if isinstance(answer, Hijack):
            parts = iter(answer.parts)  # lazily: a scripted container's parts wait on events
            first = _chunk(next(parts)) if answer.with_answer else b""
            connection.sendall(b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream"
                               b"\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n" + first)
            threading.Thread(target=self._read_stdin, args=(reader, request), daemon=True,
                             name="fake-engine-stdin").start()
            for part in parts:
                if not self._part(connection, part, chunked=False):
                    return False
            # A clean end: the engine closes its side; the client may still be writing.
            try:
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self._wait(10, request.stdin_closed)
            return False
        raise TypeError(f"not a fake answer: {answer!r}")

    def _part(self, connection, part, chunked: bool) -> bool:
        if isinstance(part, Pause):
            self._wait(part.seconds)
        elif isinstance(part, Until):
            self._wait(event=part.event)
        elif part is HANG_UP:
            _close(connection)  # shut down: another thread may be blocked reading it
            return False
        elif part is SILENCE:
            self._wait()
        else:
            data = _chunk(part)
            if data:
                connection.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        return True

    def _read_stdin(self, reader, request) -> None:
        try:
            request.stdin += reader.take_buffered()
            while True:
                data = reader.sock.recv(65536)
                if not data:
                    break
                request.stdin += data
        except OSError:
            pass
        request.stdin_closed.set()


class _Reader:
    """HTTP/1.1 requests off one connection."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._buffer = b""

    def take_buffered(self) -> bytes:
        data, self._buffer = self._buffer, b""
        return data

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self._buffer += data
        return True

    def _until(self, marker: bytes) -> bytes | None:
        while marker not in self._buffer:
            if not self._fill():
                return None
        data, _, self._buffer = self._buffer.partition(marker)
        return data

    def _exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise _Closed()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def request(self) -> Request | None:
        head = self._until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._until(b"\r\n").split(b";")[0], 16)
                body += self._exactly(size)
                self._exactly(2)
                if size == 0:
                    break
        else:
            body = self._exactly(int(headers.get("content-length") or 0))
        url = urllib.parse.urlsplit(target)
        path, version = url.path, None
        versioned = _VERSIONED.fullmatch(path)
        if versioned:
            version, path = versioned.groups()
        query = {}
        for name, value in urllib.parse.parse_qsl(url.query, keep_blank_values=True):
            if name in query:
                query[name] = [*([query[name]] if isinstance(query[name], str) else query[name]), value]
            else:
                query[name] = value
        return Request(method, path, query, headers, body, version)


def _head(status: int, headers: dict) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        connection.close()
    except OSError:
        pass


# -- one container's life ------------------------------------------------------------


class ScriptedContainer:
    """The routes of one container on ``fake``: create answers ``id``; the attach
    stream sends ``output`` once the container is started, then ends when it exits;
    the wait answers ``status`` when it exits.

    It exits after its output, unless ``runs_until`` names signals it dies of (a
    ``sleep``: ``{"SIGKILL"}``, one that obeys SIGINT: ``{"SIGINT", "SIGTERM",
    "SIGKILL"}``); with ``cat`` its output is what it read on stdin, after EOF.
    Created with ``--rm``, it is removed ``removal_delay`` seconds after it exits.
    """

    def __init__(self, fake: FakeEngine, *, id: str = "c0ffee" * 10 + "abcd", name: str = "fake_name",
                 output=(), status: int = 0, runs_until: set | None = None, cat: bool = False,
                 tty: bool = False, removal_delay: float = 0.0):
        self.fake = fake
        self.id = id
        self.name = name
        self.output = list(output)
        self.status = status
        self.runs_until = runs_until
        self.cat = cat
        self.tty = tty
        self.removal_delay = removal_delay
        self.created = threading.Event()
        self.started = threading.Event()
        self.exited = threading.Event()
        self.removed = threading.Event()
        self.signals: list[str] = []
        self.auto_remove = False
        prefix = f"/containers/({re.escape(id)}|{re.escape(id[:12])}|{re.escape(name)})"
        fake.on("POST", "/containers/create", self._create)
        fake.on("GET", prefix + "/json", self._inspect)
        fake.on("POST", prefix + "/attach", self._attach)
        fake.on("POST", prefix + "/wait", self._wait)
        fake.on("POST", prefix + "/start", self._start)
        fake.on("POST", prefix + "/kill", self._kill)
        fake.on("POST", prefix + "/stop", self._stop)
        fake.on("DELETE", prefix, self._remove)

    def _create(self, request: Request):
        self.auto_remove = bool(((request.json or {}).get("HostConfig") or {}).get("AutoRemove"))
        if request.query.get("name"):
            self.name = request.query["name"]
        self.created.set()
        return reply(201, {"Id": self.id, "Warnings": []})

    def _inspect(self, request: Request):
        if self.removed.is_set() or not self.created.is_set():
            return refuse(404, f"No such container: {request.path.split('/')[2]}")
        state = "exited" if self.exited.is_set() else "running" if self.started.is_set() else "created"
        return reply(200, {"Id": self.id, "Name": "/" + self.name, "Config": {"Tty": self.tty},
                           "State": {"Status": state, "Running": state == "running",
                                     "ExitCode": self.status if state == "exited" else 0}})

    def _attach(self, request: Request):
        def parts():
            yield Until(self.started)
            if self.cat:
                yield Until(request.stdin_closed)
                yield bytes(request.stdin) if self.tty else frame("stdout", bytes(request.stdin))
            yield from self.output
            if self.runs_until is None:
                self._exit(self.status)
            yield Until(self.exited)

        return Hijack(_LazyParts(parts))

    def _wait(self, request: Request):
        def answer():
            yield Until(self.exited)
            if request.query.get("condition") == "removed":
                yield Until(self.removed)
            yield {"StatusCode": self.status, "Error": None}

        return Stream(_LazyParts(answer))

    def _start(self, request: Request):
        if self.started.is_set():
            return reply(304)
        self.started.set()
        return reply(204)

    def _exit(self, status: int) -> None:
        if not self.exited.is_set():
            self.status = status
            self.exited.set()
            if self.auto_remove:
                threading.Timer(self.removal_delay, self.removed.set).start()

    def _kill(self, request: Request):
        name = request.query.get("signal") or "SIGKILL"
        self.signals.append(name)
        if self.exited.is_set() or not self.started.is_set():
            return refuse(409, f"Container {self.id} is not running")
        if self.runs_until is not None and name in self.runs_until:
            self._exit(128 + getattr(signals, name))
        return reply(204)

    def _stop(self, request: Request):
        self.signals.append("stop")
        self._exit(137)
        return reply(204)

    def _remove(self, request: Request):
        if self.started.is_set() and not self.exited.is_set() and request.query.get("force") != "1":
            return refuse(409, "You cannot remove a running container")
        self.removed.set()
        self._exit(137)
        return reply(204)


class _LazyParts:
    """Parts made while the answer is sent (so they can depend on what happened)."""

    def __init__(self, make):
        self._make = make

    def __iter__(self):
        return iter(self._make())
