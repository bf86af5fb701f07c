"""A Wagtail site to upload into: its tree and collection, a signed-in editor, test files."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from devtools.images import noise as image_bytes  # noqa: F401  (the tests' noise images)
from tests.browser.conftest import (
    login,
    page,  # noqa: F401  (the page that records s3file events)
)

#: Wagtail's ``generate_rendition_file`` never closes the SpooledTemporaryFile it renders
#: into; tests whose pages show thumbnails would fail on the ResourceWarning of its collection.
WAGTAIL_RENDITION_LEAK = pytest.mark.filterwarnings(
    "ignore:Unclosed file <tempfile.SpooledTemporaryFile:ResourceWarning"
)


@pytest.fixture(autouse=True)
def rendered_files(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let go of the files Wagtail rendered thumbnails into during the test, in the test
    (where WAGTAIL_RENDITION_LEAK applies), not in a later one: ``s3_calls`` keeps the
    PutObject body that wraps them."""
    calls = request.getfixturevalue("s3_calls") if "s3_calls" in request.fixturenames else []
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        calls.clear()
        gc.collect()


@pytest.fixture
def wagtail_site(db: Any) -> Any:
    """The home page of the default site; recreated, since transactional tests flush the rows
    Wagtail's data migrations made."""
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().first() or root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture
def editor(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("editor", "editor@example.com", "secret")


@pytest.fixture
def admin_page(
    page: Any,  # noqa: F811
    live_server: Any,
    editor: Any,
    wagtail_site: Any,
) -> Iterator[Any]:
    """The browser page, signed in to Wagtail's admin as ``editor``."""
    login(page, live_server, editor)
    page.admin_url = live_server.url + "/cms/"
    yield page
    # Wagtail's editor talks to the server after each load (its editing-session pings): let
    # those requests end before the test's database is flushed under the live server.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")


@dataclass
class BytesRead:
    """Bytes this process read from S3 object bodies since the fixture started."""

    total: int = 0


@pytest.fixture
def s3_bytes_read() -> Iterator[BytesRead]:
    """Count the bytes read from every S3 GetObject body (the data still comes from S3)."""
    from botocore.response import StreamingBody

    counter = BytesRead()
    lock = threading.Lock()
    original = StreamingBody.read

    def read(self: Any, amt: int | None = None) -> bytes:
        data = original(self, amt)
        with lock:
            counter.total += len(data)
        return data

    StreamingBody.read = read  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        StreamingBody.read = original  # type: ignore[method-assign]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sha1(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def rendition(image: Any, spec: str) -> tuple[tuple[int, int], str]:
    """Render ``image`` (its original read from S3); the rendition's size and name."""
    made = image.get_rendition(spec)
    return (made.width, made.height), made.file.name
