"""Streaming a container's output into the cell, as ``%docker_run`` does.

Attach and exec sockets are raw streams that :func:`runmagic.streaming.pump`
reads directly. A logs response is chunked HTTP, so a thread copies its
body into one end of a socket pair and ``pump`` reads the other: the same
batching, the same flood control (:class:`runmagic.output.OutputSink`) and
the same way an interrupt reaches the main thread while it waits.
"""

from __future__ import annotations

import json
import os
import socket
import threading

from .. import streaming
from ..output import OutputSink
from .daemon import Context

#: Bodies up to this size fit the socket buffers; larger ones are sent by a thread.
INLINE_STDIN = 64 * 1024


def new_sink(ctx: Context, log_name: str) -> OutputSink:
    """A sink with the kernel's run settings; over-limit logs go to ``<log_name>-<stream>.log``."""
    settings = ctx.settings
    return OutputSink(
        ctx.out, ctx.err,
        live_limit=settings.live_limit, tail_lines=settings.tail_lines,
        capture_limit=settings.capture_limit, flush_interval=settings.flush_interval,
        log_path=lambda stream: os.path.join(settings.log_dir, f"{log_name}-{stream}.log"),
        on_first_output=ctx.flush,
    )


def raw_socket(wrapper):
    """The socket under docker-py's socket wrapper (attach, exec start)."""
    return getattr(wrapper, "_sock", wrapper)


def close_quietly(*closables) -> None:
    for closable in closables:
        if closable is not None:
            try:
                closable.close()
            except OSError:
                pass


class ResponseBody:
    """The body of a streamed HTTP response, readable by ``pump`` through ``reader``."""

    def __init__(self, api, response):
        self.response = response
        connection = api._get_raw_response_socket(response)
        api._disable_socket_timeout(connection)  # a follow may be quiet for longer than the client timeout
        self._connection = raw_socket(connection)
        self.reader, writer = socket.socketpair()

        def copy() -> None:
            try:
                for chunk in response.raw.stream(streaming.READ_SIZE, decode_content=False):
                    writer.sendall(chunk)
            except Exception:  # the connection was shut down: the reader sees the end
                pass
            finally:
                writer.close()

        threading.Thread(target=copy, daemon=True, name="runmagic-response").start()

    def close(self) -> None:
        # Shut the connection down first: the copying thread is blocked reading
        # it, and closing the response would wait for that read to return.
        try:
            self._connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        close_quietly(self.response, self.reader)


class _Collector:
    """A sink that keeps everything (for ``handle.logs()`` as a string)."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def feed(self, stream: str, data: bytes) -> None:
        self.chunks.append(data)


def demultiplex(data: bytes, tty: bool) -> bytes:
    """A whole multiplexed body as the bytes of both streams, in order."""
    if tty:
        return data
    collector = _Collector()
    streaming.demux(bytearray(data), collector)
    return b"".join(collector.chunks)


def send_keep_open(sock, data: bytes) -> None:
    """Send ``data`` without ending stdin (what typing into a terminal does)."""
    def send() -> None:
        try:
            sock.sendall(data)
        except OSError:  # the container exited without reading it all
            pass

    if len(data) <= INLINE_STDIN:
        send()
    else:  # a large body must not block while the container waits on its own output
        threading.Thread(target=send, daemon=True, name="runmagic-stdin").start()


def open_wait(api, container_id: str, condition: str):
    """POST wait and return once the engine has answered its headers, so the
    wait is registered before anything that could end the container."""
    params = {"condition": condition} if condition else {}
    url = api._url("/containers/{0}/wait", container_id)
    response = api._post(url, params=params, stream=True, timeout=None)
    api._raise_for_status(response)
    return response


def read_wait(response, err) -> int:
    body = json.loads(response.content or b"{}")
    message = (body.get("Error") or {}).get("Message")
    if message:
        err(f"{message}\n")
    return int(body.get("StatusCode", 125))
