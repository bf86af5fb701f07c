from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# Sends every s3file event the page dispatches to the test, as plain data; a binding, so
# the events of a page survive its navigation to the next one.
RECORD_EVENTS = """
const types = [
  "start", "file-start", "progress", "retry", "file-done", "error", "done", "cancelled",
  "kept", "kept-removed",
];
for (const type of types) {
  window.addEventListener(`s3file:${type}`, (event) => {
    const { file, ...rest } = event.detail || {};
    window.recordS3fileEvent({
      type, target: event.target.name || event.target.id || event.target.tagName,
      file: file?.name, ...JSON.parse(JSON.stringify(rest, (k, v) =>
        k === "files" ? v.map((f) => f.name) : v)),
    });
  });
}
"""


@pytest.fixture
def page(page: Any) -> Any:
    page.s3file_events = []
    page.expose_function("recordS3fileEvent", lambda event: page.s3file_events.append(event))
    page.add_init_script(RECORD_EVENTS)
    page.set_default_timeout(30_000)
    return page


def login(page: Any, live_server: Any, user: Any) -> None:
    """Give the browser page a logged-in session of ``user`` on the live server."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def events(page: Any, type: str | None = None) -> list[dict]:
    return [e for e in page.s3file_events if type is None or e["type"] == type]


def requests_to(page: Any, origin: str, until: Any = None) -> list[str]:
    """A list that fills with "METHOD url" of every request the page makes to ``origin``
    (an S3 endpoint: what the browser sends to S3, whatever the script does); with
    ``until``, a predicate of a request, only of those made before the first it is true of
    (the form's POST, say: the page it leads to may show thumbnails from S3)."""
    sent: list[str] = []
    ended: list[Any] = []

    def record(request: Any) -> None:
        if until is not None and until(request):
            ended.append(request)
        if not ended and request.url.startswith(origin):
            sent.append(f"{request.method} {request.url}")

    page.on("request", record)
    return sent


def result(page: Any) -> dict:
    page.wait_for_selector("#result", state="attached")
    return json.loads(page.locator("#result").text_content())


def make_file(path: Path, size: int, seed: int = 0) -> Path:
    """A file of ``size`` bytes whose content differs by ``seed``."""
    block = bytes((i * 31 + seed) % 251 for i in range(65536))
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
        f.write(block[: size % len(block)])
    return path
