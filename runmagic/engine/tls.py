"""TLS to a ``tcp://`` engine: the docker CLI's settings, and a half-close that keeps reading.

One :class:`ssl.SSLContext` is made from the endpoint's files and used by its own
requests adapter. requests would otherwise replace the CA docker-py hands it with
``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` from the environment
(``Session.merge_environment_settings`` reads them whenever a request does not name
its own ``verify``), so the engine's private CA is never consulted and verification
fails with "self-signed certificate in certificate chain". The adapter here ignores
requests' ``verify``/``cert``: the context decides.

A cell body's end reaches the container as the end of the attach stream's input:
over TLS that is a close_notify alert with the connection left open for the output
still to come (Go's ``tls.Conn.CloseWrite``, what the docker CLI sends). Python's
``SSLSocket`` cannot send one and read on: its ``shutdown(SHUT_WR)`` drops TLS and
half-closes the raw socket, and ``unwrap()`` calls OpenSSL's ``SSL_shutdown`` twice,
the second time reading, which fails with APPLICATION_DATA_AFTER_CLOSE_NOTIFY and
loses the output when the container has already answered. :class:`TLSConnection`
runs TLS over memory buffers instead, so it can hold back what has arrived while
OpenSSL sends the alert.
"""

from __future__ import annotations

import io
import socket
import ssl
import threading

import requests.adapters
import urllib3.connection
import urllib3.connectionpool
from docker.constants import DEFAULT_MAX_POOL_SIZE

from runmagic.engine.endpoint import TLS
from runmagic.errors import EngineUnreachable

#: Bytes asked of the raw socket at a time (a few TLS records).
_RECEIVE_SIZE = 64 * 1024
#: Bytes encrypted at a time, so a large stdin body is not held twice in memory.
_SEND_SIZE = 256 * 1024
_BLOCKED = (ssl.SSLWantReadError, ssl.SSLWantWriteError)


class TLSConnection:
    """A client TLS connection over ``raw``, socket-like enough for http.client, urllib3
    and a stream session.

    Two locks: ``_tls`` guards OpenSSL's state and the memory buffers and is never held
    while waiting on the network, so a reader is never stuck behind a writer that waits
    for the engine to read; ``_sending`` keeps records on the wire in the order they
    were made. Reading drains every whole record already received, so a ``select()``
    on :meth:`fileno` never waits while decrypted output is at hand.
    """

    def __init__(self, raw: socket.socket, context: ssl.SSLContext, server_hostname: str | None):
        self.raw = raw
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls_object = context.wrap_bio(self._incoming, self._outgoing,
                                            server_hostname=server_hostname)
        self._tls = threading.Lock()
        self._sending = threading.Lock()
        self._raw_ended = False  # the network said end (with or without close_notify)
        self._tls_ended = False  # the engine's close_notify was read
        self._handshake()

    def _handshake(self) -> None:
        while True:
            with self._tls:
                try:
                    self._tls_object.do_handshake()
                    done = True
                except ssl.SSLWantReadError:
                    done = False
                written = self._outgoing.read()
            if written:
                self.raw.sendall(written)
            if done:
                return
            if not self._receive():
                raise ssl.SSLEOFError(ssl.SSL_ERROR_EOF, "EOF occurred in violation of protocol")

    def _receive(self) -> bool:
        """Move what the network has into OpenSSL's input; False at the raw stream's end."""
        data = self.raw.recv(_RECEIVE_SIZE)
        if not data:
            self._raw_ended = True
            return False
        with self._tls:
            self._incoming.write(data)
        return True

    # -- reading ----------------------------------------------------------------

    def _decrypt_into(self, view: memoryview) -> int | None:
        """Bytes decrypted into ``view`` from what was received (0 at the end);
        None while a record is still incomplete."""
        count = 0
        with self._tls:
            while count < len(view) and not self._tls_ended:
                try:
                    got = self._tls_object.read(len(view) - count, view[count:])
                except ssl.SSLWantReadError:
                    break
                except ssl.SSLZeroReturnError:  # close_notify, after ours
                    got = 0
                if not got:  # the engine's close_notify
                    self._tls_ended = True
                    break
                count += got
            incomplete = count == 0 and not self._tls_ended and not self._raw_ended
        self._send_made_while_reading()
        return None if incomplete else count

    def recv_into(self, buffer, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        view = view[:nbytes or len(view)]
        while True:
            count = self._decrypt_into(view)
            if count is not None:
                return count
            self._receive()

    def recv(self, size: int = 1024, flags: int = 0) -> bytes:
        buffer = bytearray(size)
        return bytes(buffer[:self.recv_into(buffer)])

    def _send_made_while_reading(self) -> None:
        # Reading can make records of its own (a TLS 1.3 key update). They go out after
        # the records already taken, so only when no writer is sending.
        if self._outgoing.pending and self._sending.acquire(blocking=False):
            try:
                with self._tls:
                    written = self._outgoing.read()
                self.raw.sendall(written)
            finally:
                self._sending.release()

    # -- writing ----------------------------------------------------------------

    def sendall(self, data, flags: int = 0) -> None:
        with memoryview(data) as whole, whole.cast("B") as view:
            for start in range(0, len(view), _SEND_SIZE):
                with self._sending:
                    with self._tls:
                        self._tls_object.write(view[start:start + _SEND_SIZE])
                        written = self._outgoing.read()
                    self.raw.sendall(written)

    def shutdown(self, how: int) -> None:
        """``SHUT_WR`` sends close_notify and leaves reading open; others act on the raw socket."""
        if how != socket.SHUT_WR:
            self.raw.shutdown(how)
            return
        with self._sending:
            with self._tls:
                # OpenSSL reads after sending its alert; what has arrived stays ours.
                arrived = self._incoming.read()
                try:
                    self._tls_object.unwrap()
                except _BLOCKED:
                    pass
                finally:
                    if arrived:
                        self._incoming.write(arrived)
                written = self._outgoing.read()
            self.raw.sendall(written)

    # -- the socket around it --------------------------------------------------------

    def makefile(self, mode: str = "r", buffering: int | None = None, **_unused):
        """A buffered reader, as http.client asks for its response."""
        if mode not in ("r", "rb"):
            raise ValueError(f"a TLS connection is read through makefile, not {mode!r}")
        self.raw._io_refs += 1  # closed when both the connection and its reader are
        stream = socket.SocketIO(self, "rb")
        if buffering == 0:
            return stream
        return io.BufferedReader(stream, buffering if buffering and buffering > 0
                                 else io.DEFAULT_BUFFER_SIZE)

    def _decref_socketios(self) -> None:
        self.raw._decref_socketios()

    def fileno(self) -> int:
        return self.raw.fileno()

    def settimeout(self, value: float | None) -> None:
        self.raw.settimeout(value)

    def gettimeout(self) -> float | None:
        return self.raw.gettimeout()

    def setsockopt(self, *args) -> None:
        self.raw.setsockopt(*args)

    def getpeercert(self, binary_form: bool = False):
        return self._tls_object.getpeercert(binary_form)

    def selected_alpn_protocol(self) -> str | None:
        return self._tls_object.selected_alpn_protocol()

    def close(self) -> None:
        self.raw.close()


class EngineTLSContext(ssl.SSLContext):
    """An SSLContext whose connections are :class:`TLSConnection`."""

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True,
                    suppress_ragged_eofs=True, server_hostname=None, session=None):
        return TLSConnection(sock, self, server_hostname)


def ssl_context(tls: TLS) -> ssl.SSLContext:
    """The TLS settings the docker CLI applies: TLS 1.2 or newer; the endpoint's CA
    only (never the system's); its client certificate when it has one."""
    context = EngineTLSContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls.verify:
        if tls.ca:
            try:
                context.load_verify_locations(cafile=tls.ca)
            except (OSError, ssl.SSLError) as exc:
                raise EngineUnreachable(f'could not read CA certificate "{tls.ca}": '
                                        f"{getattr(exc, 'strerror', None) or exc}") from None
        else:
            context.load_default_certs()
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if tls.cert and tls.key:
        try:
            context.load_cert_chain(tls.cert, tls.key)
        except (OSError, ssl.SSLError) as exc:
            raise EngineUnreachable(f"could not load X509 key pair ({tls.cert}, {tls.key}): "
                                    f"{getattr(exc, 'strerror', None) or exc}") from None
    return context


class _ChosenlyUnverifiedConnection(urllib3.connection.HTTPSConnection):
    """A context with skip-tls-verify: unverified by the user's choice, so no
    InsecureRequestWarning on every request (the docker CLI gives none)."""

    def connect(self):
        super().connect()
        self.is_verified = True


class _ChosenlyUnverifiedPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _ChosenlyUnverifiedConnection


class TLSAdapter(requests.adapters.HTTPAdapter):
    """https through one SSLContext; requests' own verify/cert arguments are ignored."""

    def __init__(self, context: ssl.SSLContext):
        self._context = context
        super().__init__(pool_maxsize=DEFAULT_MAX_POOL_SIZE)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        super().init_poolmanager(connections, maxsize, block, ssl_context=self._context, **pool_kwargs)
        if self._context.verify_mode == ssl.CERT_NONE:
            self.poolmanager.pool_classes_by_scheme = {
                **self.poolmanager.pool_classes_by_scheme, "https": _ChosenlyUnverifiedPool}

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, _ = super().build_connection_pool_key_attributes(request, True, None)
        return host_params, {}

    def cert_verify(self, conn, url, verify, cert):
        """The SSLContext already says what to trust and what to present."""
