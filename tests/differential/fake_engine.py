"""A fake Docker engine on a unix socket that records what the docker CLI would create.

It answers ``_ping`` and ``version`` as an engine of the API version it is given,
and refuses ``POST /containers/create`` after recording its body and query, so
the CLI exits without creating anything. Used to compare runmagic's create
requests with the CLI's at API versions the real engine on this machine doesn't
speak (and, by hand, ``python3 tests/differential/fake_engine.py SOCKET 1.44``).
"""

from __future__ import annotations

import json
import os
import socketserver
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler

REFUSAL = "fake engine: recorded"


class FakeEngine:
    def __init__(self, path: str, api_version: str, os_type: str = "linux"):
        self.path, self.api_version, self.os_type = path, api_version, os_type
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        engine = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, code: int, payload) -> None:
                body = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Api-Version", engine.api_version)
                self.send_header("Ostype", engine.os_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self):
                self._send(200, {})

            def do_GET(self):
                if self.path.endswith("/_ping"):
                    return self._send(200, "OK")
                if self.path.endswith("/version"):
                    return self._send(200, {"ApiVersion": engine.api_version, "MinAPIVersion": "1.12",
                                            "Os": engine.os_type, "Arch": "amd64"})
                self._send(404, {"message": f"fake engine: no {self.path}"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else b""
                url = urllib.parse.urlparse(self.path)
                if url.path.endswith("/containers/create"):
                    with engine._lock:
                        engine.requests.append({
                            "query": {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()},
                            "body": json.loads(data or b"null")})
                    return self._send(500, {"message": REFUSAL})
                self._send(404, {"message": f"fake engine: no {self.path}"})

        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

        if os.path.exists(path):
            os.unlink(path)
        self.server = Server(path, Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def __enter__(self) -> "FakeEngine":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        os.unlink(self.path)


if __name__ == "__main__":
    with FakeEngine(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "1.41") as fake:
        print(f"DOCKER_HOST={fake.url}", flush=True)
        fake.thread.join()
