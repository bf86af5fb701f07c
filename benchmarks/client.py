"""A small HTTP client that streams request bodies from disk, as a browser posts a form."""

from __future__ import annotations

import http.client
import time
import urllib.request
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

MiB = 1024**2


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    wall: float  # seconds from the first byte sent to the last byte of the answer


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            found = {name: value or "" for name, value in attrs}
            self.inputs.setdefault(found.get("name", ""), found)


@dataclass(frozen=True)
class FormPage:
    """A rendered form: its inputs' attributes by name, and the CSRF cookie it set."""

    inputs: dict[str, dict[str, str]]
    cookie: str

    @property
    def csrf_token(self) -> str:
        return self.inputs["csrfmiddlewaretoken"]["value"]


def get_form(url: str) -> FormPage:
    with urllib.request.urlopen(url, timeout=60) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        html = response.read().decode()
    parser = _Inputs()
    parser.feed(html)
    return FormPage(parser.inputs, "; ".join(c.split(";", 1)[0] for c in cookies))


def encode_multipart(
    fields: list[tuple[str, str]], file: tuple[str, Path, str] | None = None
) -> tuple[str, list[bytes | Path], int]:
    """A multipart/form-data body as pieces (a ``Path`` is sent from disk), and its length."""
    boundary = "----s3filebench" + uuid.uuid4().hex
    pieces: list[bytes | Path] = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        f"{value}\r\n".encode()
        for name, value in fields
    ]
    if file:
        name, path, content_type = file
        pieces += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode(),
            path,
            b"\r\n",
        ]
    pieces.append(f"--{boundary}--\r\n".encode())
    length = sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in pieces)
    return f"multipart/form-data; boundary={boundary}", pieces, length


def post_multipart(
    url: str,
    fields: list[tuple[str, str]],
    file: tuple[str, Path, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 900,
) -> Response:
    """POST a form to ``url`` on a fresh connection, streaming any file in 1 MiB writes."""
    content_type, pieces, length = encode_multipart(fields, file)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        start = time.perf_counter()
        connection.putrequest("POST", parts.path + (f"?{parts.query}" if parts.query else ""))
        for name, value in {
            "Content-Type": content_type,
            "Content-Length": str(length),
            **(headers or {}),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        for piece in pieces:
            if isinstance(piece, Path):
                with open(piece, "rb") as f:
                    while chunk := f.read(MiB):
                        connection.send(chunk)
            else:
                connection.send(piece)
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, body, time.perf_counter() - start)
    finally:
        connection.close()
