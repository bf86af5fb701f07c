"""A loopback HTTP proxy in front of the test S3 server that breaks chosen part uploads.

Point the storage's ``endpoint_url`` at it: presigned URLs then name the proxy's host, which
it passes on unchanged, so S3's signature checks still hold. Every request gets its own
connection (``Connection: close``), which keeps the relaying trivial.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

_ERROR = b"<Error><Code>InternalError</Code><Message>Internal error.</Message></Error>"
SERVER_ERROR = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\n"
    b"Access-Control-Allow-Origin: *\r\nConnection: close\r\n"
    + f"Content-Length: {len(_ERROR)}\r\n\r\n".encode()
    + _ERROR
)


class FaultProxy:
    """Relays to S3, breaking what ``faults`` plans.

    ``faults[part number]`` lists what happens to that part's successive uploads (PUTs that
    copy nothing, counted in ``attempts``): ``"500"`` answers an S3 InternalError, ``"drop"``
    closes the connection halfway through the body, ``"corrupt"`` changes its first byte on the
    way (S3 stores it: only the part's MD5 can tell), anything else passes it through.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: dict[int, list[str]] = {}
        #: While True, every connection is closed at once, as if S3 were gone.
        self.down = False
        self.log: list[tuple[str, int | None, str]] = []  # method, part number, outcome
        self.attempts: dict[int, int] = defaultdict(int)
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy.serve(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve(self, client: socket.socket) -> None:
        if self.down:
            client.shutdown(socket.SHUT_RDWR)
            return
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                return
            head += chunk
        head, body = head.split(b"\r\n\r\n", 1)
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = [line.split(":", 1) for line in header_lines]
        length = next((int(v) for k, v in headers if k.strip().lower() == "content-length"), 0)
        part = parse_qs(urlsplit(target).query).get("partNumber", [None])[0]
        number = int(part) if part else None
        fault = ""
        copy = any(k.strip().lower() == "x-amz-copy-source" for k, _ in headers)
        if method == "PUT" and number is not None and not copy:  # a part from the browser
            self.attempts[number] += 1
            planned = self.faults.get(number, [])
            fault = planned.pop(0) if planned else ""
        self.log.append((method, number, fault or "ok"))
        if fault == "drop":
            while len(body) < length // 2:
                body += client.recv(65536)
            client.shutdown(socket.SHUT_RDWR)
            return
        while len(body) < length:
            chunk = client.recv(min(1 << 20, length - len(body)))
            if not chunk:
                return
            body += chunk
        if fault == "500":
            client.sendall(SERVER_ERROR)
            return
        if fault == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        kept = [f"{k}:{v}" for k, v in headers if k.strip().lower() != "connection"]
        upstream_head = "\r\n".join([request_line, *kept, "Connection: close", "", ""])
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            upstream.sendall(upstream_head.encode("latin-1") + body)
            while chunk := upstream.recv(1 << 20):
                client.sendall(chunk)
