from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devtools import chromium
from devtools.s3calls import S3Call, recording_s3_calls
from devtools.seaweedfs import SeaweedFS
from tests import live_requests

# Playwright's sync API runs an event loop in the test thread; the ORM would refuse to run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Assertions wait for what a user would see; Playwright's 5 s default is too short on two cores
# that also run the live server, SeaweedFS and Chromium. A passing test does not wait longer.
expect.set_options(timeout=20_000)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# A browser wait that runs out on a busy two-core machine (Chromium, SeaweedFS and the live
# server share it) gets one more try; the report lists it (-rR). Nothing else is rerun.
BROWSER_RERUN = pytest.mark.flaky(reruns=1, only_rerun=["TimeoutError", "Locator expected"])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what a test needs from the fixtures it uses, so `-m "not s3 and not browser"`
    selects exactly the tests that run without SeaweedFS and Chromium."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "s3_server" in fixtures:
            item.add_marker(pytest.mark.s3)
        if "page" in fixtures:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser"):
            item.add_marker(BROWSER_RERUN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Close a live-server test's browser, and let the server answer what the closing pages
    sent, before any fixture is torn down: the database is flushed then."""
    page = getattr(item, "funcargs", {}).get("page")
    if page is not None and "live_server" in getattr(item, "fixturenames", ()):
        page.context.close()
        live_requests.TRACKER.wait_until_idle()
    return (yield)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, **chromium.launch_options()}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    # Its data dies with the session: no need to give a stalled shutdown 10 s.
    server.stop(timeout=2)


@dataclass
class S3Bucket:
    """A fresh bucket on the test S3 server, set as ``STORAGES["default"]``."""

    server: SeaweedFS
    name: str
    client: Any = field(repr=False)

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, body: bytes, content_type: str = "application/octet-stream") -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=body, ContentType=content_type)

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)


#: The CSRF secret of the test clients' browser (``client``, ``bound_client()``): grants are
#: bound to the browser that rendered them, by a hash of its CSRF secret.
CSRF_SECRET = "s3fileTestCsrfSecret000000000000"


def test_binding() -> str:
    """The binding of a grant rendered for the test clients' browser."""
    from django.conf import settings
    from django.test import RequestFactory

    from s3file.rules import binding

    request = RequestFactory().get("/")
    request.COOKIES[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return binding(request)


def bound_client(client_class: Any = None, **kwargs: Any) -> Any:
    """A test client (``django.test.Client`` unless told) of the test browser."""
    from django.conf import settings
    from django.test import Client

    client = (client_class or Client)(**kwargs)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


@pytest.fixture(autouse=True)
def forget_saved_uploads() -> Iterator[None]:
    """Each test starts with no upload marked as saved (``S3UploadedFile.consume``): several
    tests post the same fixed key, each in a database of its own."""
    yield
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture
def client(client: Any) -> Any:
    """pytest-django's client, in the test browser (see ``sign_folder``)."""
    from django.conf import settings

    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


#: The test sites' views that take direct uploads: a grant ``sign_folder()`` makes may be
#: posted to each, as if its page had declared them all (``S3FileInputMixin.posts_to``).
TEST_PATHS = (
    "/describe/",
    "/describe-async/",
    "/upload/",
    "/upload/alt/",
    "/images/",
    "/kept/",
    "/kept/model/",
    "/kept/formset/",
    "/store/",
    "/store-then-fail/",
    "/h/",
    "/h/one/",
    "/h/raw/",
)


def sign_folder(
    folder: str,
    max_size: int = 10**9,
    content_type: list | None = None,
    field: str = "file",
    accept: str | None = None,
    age: int = 0,
    paths: tuple[str, ...] | None = None,
) -> str:
    """The signature the form would carry for an input ``field`` uploading into ``folder``,
    rendered for the test browser ``age`` seconds ago, to be posted to one of ``paths``
    (default ``TEST_PATHS``); ``accept`` follows ``content_type`` unless given."""
    import time
    from unittest import mock

    from django.core import signing

    from s3file.rules import Grant, sign_grant

    condition = content_type or ["starts-with", "$Content-Type", ""]
    if accept is None:
        accept = condition[2] if condition[0] == "eq" else condition[2] + "*" * bool(condition[2])
    paths = TEST_PATHS if paths is None else paths
    grant = Grant(folder, max_size, condition, accept, field, test_binding(), paths)
    then = signing.b62_encode(int(time.time()) - age)
    with mock.patch.object(signing.TimestampSigner, "timestamp", lambda self: then):
        return sign_grant(grant)


def new_folder() -> str:
    """A fresh upload folder of the default storage, as a rendered input gets one."""
    from s3file.backends import backend
    from s3file.rules import new_grant

    store = backend()
    assert store is not None
    return new_grant(store.upload_prefix(), 0, "").folder


def s3_storage_settings(server: SeaweedFS, bucket: str, **options: Any) -> dict:
    return {
        "default": {
            "BACKEND": "s3file.storages_optimized.S3OptimizedUploadStorage",
            "OPTIONS": {**server.storage_options(bucket), **options},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def s3_buckets(s3_server: SeaweedFS) -> list[str]:
    """Emptied buckets to reuse: SeaweedFS gives each bucket volumes of its own, which are
    slow to make (0.2 s) and, with a bucket per test, run out."""
    return []


@pytest.fixture
def s3(settings: Any, s3_server: SeaweedFS, s3_buckets: list[str]) -> Iterator[S3Bucket]:
    """Point the default storage at an empty bucket of the SeaweedFS server."""
    name = s3_buckets.pop() if s3_buckets else f"t-{uuid.uuid4().hex[:16]}"
    s3_server.create_bucket(name)  # (again): its CORS rules as the tests expect them
    settings.STORAGES = s3_storage_settings(s3_server, name)
    yield S3Bucket(s3_server, name, s3_server.client())
    s3_server.empty_bucket(name)
    s3_buckets.append(name)


@pytest.fixture
def dev_storage(settings: Any, tmp_path: Path) -> Path:
    """Use FileSystemStorage in a temp dir, which turns the dev endpoint on; MEDIA_ROOT.
    Pending uploads wait beside it, in ``dev_pending``."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.S3FILE_DEV_PENDING_ROOT = str(tmp_path / "pending")
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    (tmp_path / "media").mkdir()
    return tmp_path / "media"


@pytest.fixture
def dev_pending(dev_storage: Path) -> Path:
    """The folder the dev endpoint keeps uploads in until a form takes them (outside
    MEDIA_ROOT, which the site serves)."""
    return dev_storage.parent / "pending"


@pytest.fixture
def s3_calls() -> Iterator[list[S3Call]]:
    """Record every S3 API call boto3 makes in this process (they still go to the server)."""
    with recording_s3_calls() as calls:
        yield calls


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@dataclass
class APIUser:
    """A user of the test API (``tests.apiapp``) and its DRF token."""

    user: Any
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


def make_api_user(username: str) -> APIUser:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    user = User.objects.create_user(username, password="pw")
    return APIUser(user, Token.objects.create(user=user).key)


@pytest.fixture
def api_user(db: Any, settings: Any) -> APIUser:
    """A user with a DRF token, on the test API's URLs."""
    settings.ROOT_URLCONF = "tests.apiapp.urls"
    return make_api_user("alice")
