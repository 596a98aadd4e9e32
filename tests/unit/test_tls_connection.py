"""TLSConnection against a TLS server in this process: the half-close keeps what has
arrived, reads drain whole records, and a writer thread never blocks a reader."""

from __future__ import annotations

import select
import socket
import ssl
import threading

import pytest

from runmagic.engine.endpoint import TLS
from runmagic.engine.tls import TLSConnection, ssl_context
from tests.support.transports import Certificates


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return Certificates(tmp_path_factory.mktemp("certs"))


class Server:
    """One TLS connection served by ``handle(tls_socket)`` on a thread."""

    def __init__(self, certificates: Certificates, handle):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificates.server, certificates.server_key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._serve, args=(handle,), daemon=True)
        self.thread.start()

    def _serve(self, handle) -> None:
        raw, _ = self.listener.accept()
        try:
            with self.context.wrap_socket(raw, server_side=True) as tls:
                handle(tls)
        except BaseException as exc:  # reported by finish()
            self.error = exc

    def finish(self) -> None:
        self.thread.join(10)
        self.listener.close()
        assert not self.thread.is_alive() and self.error is None, self.error


def connect(server: Server, certificates: Certificates) -> TLSConnection:
    context = ssl_context(TLS(str(certificates.ca)))
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    connection = context.wrap_socket(raw, server_hostname="127.0.0.1")
    assert isinstance(connection, TLSConnection)
    return connection


def read_to_end(connection: TLSConnection) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def read_until_end(tls: ssl.SSLSocket) -> bytes:
    chunks = []
    while chunk := tls.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("server_says_close_notify", [True, False])
def test_output_already_arrived_survives_the_half_close(certificates, server_says_close_notify):
    def echo_after_eof(tls):
        tls.sendall(b"early\n")  # the container answers before the input ends
        body = read_until_end(tls)  # our close_notify ends the input
        tls.sendall(b"late:" + body)
        if server_says_close_notify:
            tls.unwrap()

    server = Server(certificates, echo_after_eof)
    connection = connect(server, certificates)
    try:
        connection.sendall(b"body\n")
        # The early record is in the socket's buffer before the half-close: the case
        # where Python's own SSL_shutdown reads it and fails.
        assert select.select([connection], [], [], 10)[0]
        connection.shutdown(socket.SHUT_WR)
        assert read_to_end(connection) == b"early\nlate:body\n"
    finally:
        connection.close()
    server.finish()


def test_one_read_returns_every_whole_record_received(certificates):
    # Three records in one network write: after one read, nothing may be left that a
    # select() on the socket cannot see.
    done = threading.Event()

    def three_records_at_once(tls):
        tls.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        for part in (b"one ", b"two ", b"three"):
            tls.sendall(part)
        tls.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
        done.wait(10)

    server = Server(certificates, three_records_at_once)
    connection = connect(server, certificates)
    try:
        assert select.select([connection], [], [], 10)[0]
        assert connection.recv(65536) == b"one two three"
    finally:
        done.set()
        connection.close()
    server.finish()


def test_a_writer_thread_never_blocks_the_reader(certificates):
    # The server echoes as it reads, so the stream only moves if our reads go on
    # while a thread is still sending (socket buffers are far smaller than the body).
    body = bytes(range(256)) * (8 * 1024 * 4)  # 8 MiB

    def echo(tls):
        while chunk := tls.recv(65536):
            tls.sendall(chunk)

    server = Server(certificates, echo)
    connection = connect(server, certificates)
    try:
        def send_then_end():
            connection.sendall(body)
            connection.shutdown(socket.SHUT_WR)

        writer = threading.Thread(target=send_then_end, daemon=True)
        writer.start()
        assert read_to_end(connection) == body
        writer.join(10)
        assert not writer.is_alive()
    finally:
        connection.close()
    server.finish()


def test_makefile_reads_through_tls_and_closes_with_the_connection(certificates):
    def answer(tls):
        assert tls.recv(1024) == b"GET\n"
        tls.sendall(b"line one\nline two\n")

    server = Server(certificates, answer)
    connection = connect(server, certificates)
    reader = connection.makefile("rb")
    connection.sendall(b"GET\n")
    assert reader.readline() == b"line one\n"
    assert reader.read() == b"line two\n"
    connection.close()
    assert connection.raw.fileno() != -1  # the reader still holds it
    reader.close()
    assert connection.raw.fileno() == -1
    server.finish()


@pytest.mark.parametrize("we_half_closed_first", [True, False])
def test_the_engines_close_notify_ends_the_stream_on_an_open_connection(certificates,
                                                                      we_half_closed_first):
    # A TLS-terminating proxy (socat) sends close_notify and keeps the TCP connection
    # open until our side ends too: the alert alone is the end of the stream.
    done = threading.Event()

    def answer_then_close_notify(tls):
        if we_half_closed_first:
            assert read_until_end(tls) == b"input"
        tls.sendall(b"output")
        try:
            tls.unwrap()  # sends close_notify, then waits for ours (or for the end)
        except ssl.SSLEOFError:  # we closed without one, as a reader at the end does
            pass
        done.wait(10)

    server = Server(certificates, answer_then_close_notify)
    connection = connect(server, certificates)
    try:
        if we_half_closed_first:
            connection.sendall(b"input")
            connection.shutdown(socket.SHUT_WR)
        assert read_to_end(connection) == b"output"
    finally:
        done.set()
        connection.close()
    server.finish()
