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
