"""Upload a local file straight to storage through a django-s3file site's endpoints, as
the browser script does: a grant from the API (``s3file.api``), then one presigned POST, or
a multipart upload in parallel parts for a large file. For scripts, management commands
and tests; the standard library only (no Django needed)::

    client = Client("https://example.com/", headers={"Authorization": "Token 0123..."})
    value = client.upload("report.pdf", "library.Document.file", progress=print)
    requests.post("https://example.com/api/documents/", json={"file": value}, ...)

``upload()`` returns the value to send as the field's value to the site's API.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import mimetypes
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

#: Bytes read and sent at a time (and between two progress reports).
CHUNK = 256 * 1024
#: What a part is sent again after (S3's codes, and no answer at all), as the script does.
TRANSIENT = {"network", "BadDigest", "RequestTimeout", "SlowDown", "InternalError"}
#: Progress: bytes of the file sent so far, and its size.
Progress = Callable[[int, int], None]


class UploadError(Exception):
    """An upload the site or the storage refused, or that could not reach them: ``code``
    (the endpoint's or S3's code, ``network`` when nothing answered) and the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def safe_name(name: str) -> str:
    """The name as the script keys it: no path, no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f\\/]", "_", name)
    return "_" if name in (".", "..") else name or "file"


def key_for(template: str, name: str) -> str:
    """The key under the policy's template: a random subfolder of its own, as the script."""
    return template.replace("${filename}", f"{secrets.token_hex(8)}/{safe_name(name)}")


def s3_error(body: bytes) -> tuple[str, str]:
    """S3's error code and message from its XML answer."""
    text = body.decode(errors="replace")
    code = re.search(r"<Code>(.*?)</Code>", text)
    message = re.search(r"<Message>(.*?)</Message>", text)
    return (code.group(1) if code else "", message.group(1) if message else text[:200])


class Client:
    """A site's direct-upload endpoints: ``base_url`` is the site's root, ``headers`` go with
    every request to the site (``Authorization`` for a token, or a ``Cookie`` and
    ``X-CSRFToken``), never to the storage."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        endpoint_path: str = "__s3file__/",
        timeout: float = 60,
    ) -> None:
        self.base_url = base_url
        self.headers = dict(headers or {})
        self.endpoint = urljoin(base_url, endpoint_path)
        self.timeout = timeout

    def upload(
        self,
        path: str | Path,
        field: str,
        *,
        name: str | None = None,
        content_type: str | None = None,
        progress: Progress | None = None,
    ) -> str:
        """Upload the file at ``path`` for API field ``field``; return the value to send.
        ``progress(sent, size)`` is called as bytes go (from several threads for a large
        file, one at a time)."""
        path = Path(path)
        size = path.stat().st_size
        name = name or path.name
        kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        ask = {"field": field, "name": name, "size": size, "type": kind}
        policy = self.call(urljoin(self.endpoint, "grant/"), ask)
        # The site's type for an extension the field accepts, as the script sends it.
        types: dict[str, str] = policy.get("types") or {}
        kind = next((t for ext, t in types.items() if name.lower().endswith(ext)), kind)
        key = key_for(policy["fields"]["key"], name)
        report = Reporter(size, progress)
        threshold = policy["multipart"]["threshold"]
        if threshold and size > threshold:
            key = Multipart(self, policy["multipart"], path, size, report).run(
                policy["token"], key, kind
            )
        else:
            self.post(policy, path, key, kind, report)
        return f"{policy['token']}/{key}"

    def call(self, url: str, body: Mapping[str, Any]) -> Any:
        """POST ``body`` as JSON to one of the site's endpoints; its JSON answer."""
        headers = {**self.headers, "Content-Type": "application/json"}
        data = json.dumps(body).encode()
        status, answer = self.send("POST", url, data, headers)
        try:
            found = json.loads(answer or b"{}")
        except ValueError:
            found = {}
        if not 200 <= status < 300:
            error = UploadError(found.get("code", "refused"), found.get("error", ""), status)
            error.parts = found.get("parts") or []  # type: ignore[attr-defined]
            raise error
        return found

    def send(
        self, method: str, url: str, data: Any, headers: Mapping[str, str]
    ) -> tuple[int, bytes]:
        """One request; its status and body whatever the status. ``UploadError("network")``
        when there is no answer."""
        request = urllib.request.Request(
            urljoin(self.base_url, url), data=data, headers=dict(headers), method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            with e:
                return e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            raise UploadError("network", str(e)) from e

    def post(
        self, policy: Mapping[str, Any], path: Path, key: str, kind: str, report: Reporter
    ) -> None:
        """One presigned POST of the file, streamed from disk."""
        boundary = secrets.token_hex(16)
        fields = {**policy["fields"], "key": key, "Content-Type": kind}
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
            for n, v in fields.items()
        )
        filename = json.dumps(safe_name(path.name))  # quoted, escaped
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename={filename}'
            f"\r\nContent-Type: {kind}\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = path.stat().st_size

        def body() -> Iterator[bytes]:
            yield head
            with path.open("rb") as file:
                while chunk := file.read(CHUNK):
                    yield chunk
                    report.add(len(chunk))
            yield tail

        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        }
        status, answer = self.send("POST", policy["url"], body(), headers)
        if not 200 <= status < 300:
            code, message = s3_error(answer)
            expired = code == "AccessDenied" and "expired" in message.lower()
            raise UploadError("expired" if expired else code or "refused", message, status)


class Reporter:
    """The file's bytes sent, reported to ``progress`` one thread at a time."""

    def __init__(self, size: int, progress: Progress | None) -> None:
        self.size = size
        self.progress = progress
        self.sent = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            self.sent = max(0, min(self.size, self.sent + count))
            if self.progress is not None:
                self.progress(self.sent, self.size)


class Multipart:
    """A multipart upload through the site's multipart API: parts in parallel, each retried
    on a network error or a 5xx, their MD5s checked by the site (or by S3) at the end."""

    def __init__(
        self, client: Client, config: Mapping[str, Any], path: Path, size: int, report: Reporter
    ) -> None:
        self.client = client
        self.config = config
        self.path = path
        self.size = size
        self.report = report
        self.urls: dict[int, str] = {}
        self.md5: dict[int, str] = {}

    def api(self, action: str, body: Mapping[str, Any]) -> Any:
        return self.client.call(
            urljoin(self.client.base_url, self.config["url"] + action + "/"), body
        )

    def run(self, token: str, key: str, kind: str) -> str:
        created = self.api(
            "create", {"token": token, "key": key, "size": self.size, "contentType": kind}
        )
        self.handle = created["upload"]
        self.part_size = created["partSize"]
        self.content_md5 = created["contentMd5"]
        self.urls = {int(n): url for n, url in created.get("urls", {}).items()}
        numbers = list(range(1, created["parts"] + 1))
        try:
            self.send_parts(numbers)
            for _ in range(int(self.config.get("retries", 5)) + 1):
                md5 = None if self.content_md5 else [self.md5[n] for n in numbers]
                try:
                    self.api("complete", {"upload": self.handle, "md5": md5})
                    return key
                except UploadError as e:
                    if e.code != "BadDigest":
                        raise
                    self.send_parts(list(getattr(e, "parts", [])))
            raise UploadError("BadDigest", "Parts kept arriving changed.")
        except BaseException:
            with contextlib.suppress(UploadError):  # else the bucket's lifecycle rule drops it
                self.api("abort", {"upload": self.handle})
            raise

    def send_parts(self, numbers: list[int]) -> None:
        workers = max(1, int(self.config.get("concurrency", 4)))
        with ThreadPoolExecutor(workers) as pool:
            for done in [pool.submit(self.send_part, n) for n in numbers]:
                done.result()

    def url(self, number: int) -> str:
        if number not in self.urls:
            signed = self.api("sign", {"upload": self.handle, "parts": [number]})["urls"]
            self.urls.update({int(n): url for n, url in signed.items()})
        return self.urls[number]

    def send_part(self, number: int) -> None:
        start = (number - 1) * self.part_size
        with self.path.open("rb") as file:
            file.seek(start)
            blob = file.read(min(self.part_size, self.size - start))
        digest = base64.b64encode(hashlib.md5(blob, usedforsecurity=False).digest()).decode()
        self.md5[number] = digest
        headers = {"Content-MD5": digest} if self.content_md5 else {}
        retries = int(self.config.get("retries", 5))
        for attempt in range(retries + 1):
            sent = 0

            def body() -> Iterator[bytes]:
                nonlocal sent
                for offset in range(0, len(blob), CHUNK):
                    chunk = blob[offset : offset + CHUNK]
                    yield chunk
                    sent += len(chunk)
                    self.report.add(len(chunk))

            try:
                headers["Content-Length"] = str(len(blob))
                status, answer = self.client.send("PUT", self.url(number), body(), headers)
                if 200 <= status < 300:
                    return
                code, message = s3_error(answer)
                error = UploadError(code or "refused", message, status)
            except UploadError as e:
                error = e
            self.report.add(-sent)
            transient = error.code in TRANSIENT or error.status >= 500
            if not transient or attempt == retries:
                raise error
            self.urls.pop(number, None)  # sign afresh: the URL may be what failed
            time.sleep(min(30.0, 0.5 * 2**attempt))
