"""Issue 20, item 11: a form submitted twice, one after the other or both at once, saves its
upload once and answers the other submit sensibly (the field's error in a form, a 400 in a
view without one, never a 500), with every storage direct uploads go to: the dev storage,
``S3OptimizedUploadStorage`` and django-storages' plain ``S3Boto3Storage`` on SeaweedFS.

Through HTTP as the script speaks it (``tests.hardening``)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests import hardening
from tests.conftest import bound_client
from tests.hardening import dev_post, render, s3_post
from tests.testapp.models import Document

SUBMITTED = "this form was submitted already"


class Site:
    """The hardening site on one storage: upload as the browser would, list what was saved."""

    def __init__(self, kind: str, request: pytest.FixtureRequest) -> None:
        self.kind = kind
        if kind == "dev":
            self.root: Path = request.getfixturevalue("dev_storage")
            return
        self.bucket = request.getfixturevalue("s3")
        if kind == "s3-plain":
            settings = request.getfixturevalue("settings")
            default = settings.STORAGES["default"]
            plain = {**default, "BACKEND": "storages.backends.s3.S3Storage"}
            settings.STORAGES = {**settings.STORAGES, "default": plain}

    def upload(self, client: Any, attrs: dict[str, str], name: str, body: bytes) -> str:
        """Upload ``body`` as the input ``attrs`` lets the browser; the key."""
        if self.kind == "dev":
            response, key = dev_post(client, attrs, name, body, "text/plain")
            assert response.status_code == 201
            return key
        status, key = s3_post(attrs, name, body, "text/plain")
        assert status == 201
        return key

    def saved(self, folder: str) -> list[str]:
        """The files saved under ``folder`` (pending uploads are elsewhere)."""
        if self.kind != "dev":
            return self.bucket.keys(folder)
        found = (self.root / folder).rglob("*")
        return sorted(str(p.relative_to(self.root)) for p in found if p.is_file())


@pytest.fixture(params=["dev", pytest.param("s3", marks=pytest.mark.s3), pytest.param("s3-plain")])
def site(request, settings) -> Site:
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return Site(request.param, request)


@pytest.fixture
def barrier() -> Any:
    """Two requests at once: each waits, once its form is valid, until both are."""
    hardening.BARRIER = threading.Barrier(2)
    yield
    hardening.BARRIER = None


def at_once(url: str, data: dict[str, Any]) -> list[Any]:
    """POST ``data`` to ``url`` from two clients of one browser, at the same time."""
    clients = [bound_client(), bound_client()]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda c: c.post(url, data), clients))
    return sorted(answers, key=lambda answer: answer.status_code)


def posted(field: str, key: str, token: str, **others: str) -> dict[str, Any]:
    return {"s3file": field, field: [key], f"{field}-s3f-signature": [token], **others}


def error(response: Any, field: str) -> str:
    (message,) = [e["message"] for e in response.json()["errors"][field]]
    return str(message)


@pytest.mark.django_db
def test_a_model_form_submitted_twice_saves_once_and_says_so_the_second_time(client, site):
    attrs = render(client, "/h/model/")["file"]
    key = site.upload(client, attrs, "a.txt", b"once")
    data = posted("file", key, attrs["data-s3f-signature"], title="Report")
    assert client.post("/h/model/", data).json() == {"saved": "documents/a.txt"}

    second = client.post("/h/model/", data)

    assert second.status_code == 200
    assert SUBMITTED in error(second, "file")
    assert [d.file.name for d in Document.objects.all()] == ["documents/a.txt"]
    assert site.saved("documents/") == ["documents/a.txt"]


@pytest.mark.django_db
def test_a_view_saving_request_files_itself_answers_a_second_submit_with_a_400(
    client, site, caplog
):
    attrs = render(client, "/h/raw-model/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"once")
    data = posted("doc", key, attrs["data-s3f-signature"])
    assert client.post("/h/raw-model/", data).json() == {"saved": "documents/a.txt"}

    second = client.post("/h/raw-model/", data)

    assert second.status_code == 400
    assert "“a.txt”" in second.content.decode()
    assert SUBMITTED in second.content.decode()
    assert Document.objects.count() == 1
    assert site.saved("documents/") == ["documents/a.txt"]


@pytest.mark.django_db
def test_a_form_that_comes_back_with_an_error_keeps_its_upload_for_the_next_submit(client, site):
    """Taken when saved, not when posted: the same key posted again after a validation
    error (issue 19's kept upload) is saved."""
    attrs = render(client, "/h/model/")["file"]
    key = site.upload(client, attrs, "a.txt", b"kept")
    token = attrs["data-s3f-signature"]
    first = client.post("/h/model/", posted("file", key, token, title=""))
    assert "title" in first.json()["errors"]
    answer = client.post("/h/model/", posted("file", key, token, title="Report"))
    assert answer.json() == {"saved": "documents/a.txt"}
    assert site.saved("documents/") == ["documents/a.txt"]


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_a_model_form_at_once_save_once(client, site, barrier, caplog):
    attrs = render(client, "/h/model/")["file"]
    key = site.upload(client, attrs, "a.txt", b"once")
    data = posted("file", key, attrs["data-s3f-signature"], title="Report")

    won, lost = at_once("/h/model/", data)

    assert won.status_code == 200
    assert won.json() == {"saved": "documents/a.txt"}
    assert lost.status_code == 400
    assert "“a.txt”" in lost.content.decode()
    assert [d.file.name for d in Document.objects.all()] == ["documents/a.txt"]
    assert site.saved("documents/") == ["documents/a.txt"]
    assert any("Answered 400" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["dev", pytest.param("s3", marks=pytest.mark.s3)])
def test_two_submits_at_once_of_a_view_saving_with_the_storage_save_once(
    client, request, settings, barrier, kind
):
    """A view that calls ``default_storage.save()`` itself: the dev storage's move and
    ``S3OptimizedUploadStorage.save`` take the upload once."""
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    site = Site(kind, request)
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"once")

    won, lost = at_once("/h/", posted("doc", key, attrs["data-s3f-signature"]))

    assert won.json() == {"saved": {"doc": "saved/doc/a.txt"}}
    assert lost.status_code == 400, lost.content
    assert "“a.txt”" in lost.content.decode()
    assert site.saved("saved/") == ["saved/doc/a.txt"]


def test_the_second_submit_is_told_so_in_german_too():
    from django.utils import translation

    from s3file.files import SUBMITTED

    with translation.override("de"):
        message = str(SUBMITTED) % {"name": "a.txt"}
    assert message.startswith("Die hochgeladene Datei „a.txt“ wurde schon gespeichert")
