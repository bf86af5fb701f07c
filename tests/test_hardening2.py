"""Issue 20 (hardening, second round), against SeaweedFS and the dev endpoint alike: each test
runs on both, through HTTP as the script speaks it (``tests.hardening``)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.hardening import dev_post, render, s3_post, submit

pytestmark = pytest.mark.django_db


class Site:
    """The hardening site on one storage: upload as the browser would, and look inside."""

    def __init__(self, kind: str, request: pytest.FixtureRequest) -> None:
        self.kind = kind
        if kind == "s3":
            self.bucket = request.getfixturevalue("s3")
        else:
            self.root = request.getfixturevalue("dev_storage")

    def upload(self, client: Any, attrs: dict[str, str], name: str, body: bytes) -> str:
        """Upload ``body`` as the input ``attrs`` lets the browser; the key."""
        if self.kind == "s3":
            status, key = s3_post(attrs, name, body, "text/plain")
            assert status == 201
        else:
            response, key = dev_post(client, attrs, name, body, "text/plain")
            assert response.status_code == 201
        return key

    def keys(self, prefix: str) -> list[str]:
        if self.kind == "s3":
            return self.bucket.keys(prefix)
        folder = self.root / prefix
        return sorted(str(p.relative_to(self.root)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture(params=["dev", pytest.param("s3", marks=pytest.mark.s3)])
def site(request, settings) -> Site:
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return Site(request.param, request)


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings) -> bool:
    settings.DEBUG = request.param
    return request.param


def warned(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("s3file") and r.levelno >= logging.WARNING
    ]


# 3. One key posted twice is refused, not copied twice ---------------------------------------


def test_3_a_key_posted_twice_is_refused_and_copied_never(client, site, debug, caplog, s3_calls):
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"once")
    token = attrs["data-s3f-signature"]
    response = submit(client, "doc", [key, key], [token])
    assert response.status_code == 400
    assert any("more than once" in message for message in warned(caplog))
    assert [c.operation for c in s3_calls if c.operation.startswith("Copy")] == []
    assert site.keys("saved/") == []
    # Posted once, it is saved.
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.txt"}}


# 5. No 5xx from a middleware order or CSRF set-up -------------------------------------------

SESSIONS_FIRST = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "s3file.middleware.S3FileMiddleware",
]
S3FILE_FIRST = [
    "s3file.middleware.S3FileMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]


def create_multipart(client: Any, attrs: dict[str, str], key_name: str = "big.bin") -> Any:
    from tests.hardening import multipart, new_key

    body = {
        "token": attrs["data-s3f-signature"],
        "key": new_key(attrs, key_name),
        "size": 70 * 1024**2,
        "contentType": "application/octet-stream",
    }
    return multipart(client, attrs, "create", body)


def test_5_a_middleware_order_that_cannot_work_is_a_system_check_error(settings):
    from s3file.checks import check_middleware_order

    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = SESSIONS_FIRST
    assert check_middleware_order() == []
    settings.MIDDLEWARE = S3FILE_FIRST
    (error,) = check_middleware_order()
    assert error.id == "s3file.E003"
    assert "SessionMiddleware" in error.hint
    settings.CSRF_USE_SESSIONS = False
    assert check_middleware_order() == []  # the secret is in a cookie: any order works


def test_5_csrf_in_sessions_uploads_in_parts_after_the_session_middleware(
    client, site, settings, debug
):
    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = SESSIONS_FIRST
    attrs = render(client)["doc"]
    response = create_multipart(client, attrs)
    assert response.status_code == 200, response.content


def test_5_csrf_in_sessions_before_the_session_middleware_is_a_4xx_with_advice(
    client, site, settings, debug, caplog
):
    """The order s3file.E003 refuses, run anyway: a 4xx saying what to change, not a 500."""
    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = S3FILE_FIRST
    attrs = render(client)["doc"]
    response = create_multipart(client, attrs)
    assert response.status_code == 403
    assert response.json()["code"] == "misconfigured"
    assert "after SessionMiddleware" in response.json()["error"]
    assert any("s3file.E003" in message for message in warned(caplog))
