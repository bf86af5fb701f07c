"""The middleware with the dev storage: what it adds, what it refuses, what it leaves alone."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient

from tests.conftest import bound_client, sign_folder
from tests.testapp.models import Document

FOLDER = "tmp/s3file/0123"


def stored(*files: tuple[str, bytes], folder: str = FOLDER) -> list[str]:
    """Put files into the dev storage as the script would; return their keys."""
    pending = Path(settings.S3FILE_DEV_PENDING_ROOT)
    keys = []
    for index, (name, body) in enumerate(files):
        key = f"{folder}/{index}/{name}"
        (pending / key).parent.mkdir(parents=True, exist_ok=True)
        (pending / key).write_bytes(body)
        keys.append(key)
    return keys


def upload_fields(field: str, keys: list[str], folder: str = FOLDER) -> dict:
    signature = sign_folder(folder, field=field)
    return {"s3file": field, field: keys, f"{field}-s3f-signature": signature}


@pytest.mark.usefixtures("dev_storage")
def test_keys_become_request_files_and_leave_post(client):
    keys = stored(("report.pdf", b"%PDF-1.7 data"), ("report.pdf", b"other"))
    response = client.post("/describe/", {**upload_fields("docs", keys), "title": "x"})
    assert response.status_code == 200
    assert response.json()["files"] == {
        "docs": [
            {"name": "report.pdf", "size": 13, "content_type": "application/pdf"},
            {"name": "report.pdf", "size": 5, "content_type": "application/pdf"},
        ]
    }
    assert response.json()["post"] == {"title": ["x"]}


@pytest.mark.usefixtures("dev_storage")
def test_keys_are_taken_back_for_twice_s3file_expires(client, settings):
    """An upload may start until the grant expires; the form may come later."""
    settings.S3FILE_EXPIRES = 600
    keys = stored(("a.txt", b"a"))
    late = {
        **upload_fields("docs", keys),
        "docs-s3f-signature": sign_folder(FOLDER, field="docs", age=1190),
    }
    assert client.post("/describe/", late).status_code == 200
    stale = {**late, "docs-s3f-signature": sign_folder(FOLDER, field="docs", age=1210)}
    assert client.post("/describe/", stale).status_code == 400


@pytest.mark.usefixtures("dev_storage")
def test_two_fields_and_a_classic_upload_in_one_request(client):
    first = stored(("a.txt", b"a"), folder="tmp/s3file/one")
    second = stored(("a.txt", b"bb"), folder="tmp/s3file/two")
    data = {
        **upload_fields("one", first, "tmp/s3file/one"),
        **upload_fields("two", second, "tmp/s3file/two"),
        "s3file": ["one", "two"],
        "classic": SimpleUploadedFile("c.txt", b"ccc"),
    }
    files = client.post("/describe/", data).json()["files"]
    assert {field: [f["size"] for f in items] for field, items in files.items()} == {
        "one": [1],
        "two": [2],
        "classic": [3],
    }


@pytest.mark.usefixtures("dev_storage")
@pytest.mark.parametrize(
    "change",
    [
        {"docs-s3f-signature": "forged"},
        {"docs-s3f-signature": ""},
        {"docs": "tmp/s3file/other/0/a.txt"},
        {"docs": f"{FOLDER}/0/../../../../etc/passwd"},
        {"docs": f"{FOLDER}/0/%2e%2e/%2e%2e/x"},
        {"docs": f"{FOLDER}/0\\..\\..\\x"},
        {"docs": f"/{FOLDER}/0/a.txt"},
        {"docs": f"{FOLDER}/a.txt"},
        {"docs": ""},
    ],
    ids=[
        "forged",
        "no-signature",
        "outside",
        "traversal",
        "encoded",
        "backslash",
        "absolute",
        "folder-root",
        "empty",
    ],
)
def test_refused_with_400_and_a_log_line(client, caplog, change):
    keys = stored(("a.txt", b"a"))
    with caplog.at_level(logging.WARNING, logger="s3file"):
        response = client.post("/describe/", {**upload_fields("docs", keys), **change})
    assert response.status_code == 400
    assert "Refused uploaded files for field 'docs'" in caplog.text


@pytest.mark.usefixtures("dev_storage")
def test_more_keys_than_django_allows_are_refused(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    keys = [f"{FOLDER}/{i}/a.txt" for i in range(3)]
    assert client.post("/describe/", upload_fields("docs", keys)).status_code == 400


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_a_key_whose_object_is_gone_is_a_form_error(client):
    data = {"title": "t", **upload_fields("file", [f"{FOLDER}/0/gone.pdf"])}
    response = client.post("/upload/", data)
    assert response.status_code == 200
    assert "The uploaded file “gone.pdf” is no longer in storage" in response.content.decode()
    assert not Document.objects.exists()


def test_webhook_reading_the_raw_multipart_body_still_works(client):
    body = SimpleUploadedFile("payload.bin", b"\x00raw bytes\xff" * 100)
    response = client.post("/webhook/", {"s3file": "x", "event": "paid", "file": body})
    sent = response.wsgi_request.body
    assert response.json() == {"length": len(sent), "sha256": hashlib.sha256(sent).hexdigest()}
    assert response.json()["length"] > 1100


def test_views_choosing_their_upload_handlers_still_work(client):
    response = client.post("/temporary-files/", {"f": SimpleUploadedFile("a.txt", b"a")})
    assert response.json() == {"f": True}


def test_requests_without_the_marker_cost_no_storage_access(client, settings, s3_calls):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.testapp.storages.ExplodingStorage"},
    }
    response = client.post("/describe/", {"title": "x", "f": SimpleUploadedFile("a", b"1")})
    assert response.json()["files"]["f"][0]["size"] == 1
    assert client.get("/describe/").status_code == 200
    assert s3_calls == []


@pytest.mark.usefixtures("dev_storage")
def test_works_under_asgi():
    keys = stored(("a.txt", b"abc"))

    def post(*args):
        # A thread of its own: Playwright may have left an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, bound_client(AsyncClient).post(*args)).result()

    response = post("/describe-async/", upload_fields("docs", keys))
    assert response.status_code == 200
    assert response.json()["files"]["docs"][0]["size"] == 3
    assert post("/describe-async/", upload_fields("docs", ["../x"])).status_code == 400


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_a_key_naming_a_folder_is_a_form_error(client, dev_pending):
    (dev_pending / FOLDER / "0" / "dir.pdf").mkdir(parents=True)
    data = {"title": "t", **upload_fields("file", [f"{FOLDER}/0/dir.pdf"])}
    response = client.post("/upload/", data)
    assert response.status_code == 200
    assert "“dir.pdf” is no longer in storage" in response.content.decode()


@pytest.mark.usefixtures("dev_storage")
def test_a_name_with_percent_signs_is_kept(client):
    keys = stored(("100%2F%2F done.pdf", b"x"))
    response = client.post("/describe/", upload_fields("docs", keys))
    assert response.json()["files"]["docs"][0]["name"] == "100%2F%2F done.pdf"


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_a_file_over_its_grants_limit_is_a_form_error(client):
    keys = stored(("big.pdf", b"x" * 100))
    fields = upload_fields("file", keys)
    fields["file-s3f-signature"] = sign_folder(FOLDER, 10, ["eq", "$Content-Type", "image/png"])
    response = client.post("/upload/", {"title": "t", **fields})
    assert "“big.pdf” is larger than this field allows (10\xa0bytes)" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.usefixtures("dev_storage")
@pytest.mark.parametrize(
    ("name", "body", "error"),
    [
        ("huge.png", b"x" * 300_000, "is larger than this field allows (195.3\xa0KB)"),
        ("page.html", b"<html>", "is not of a type this field accepts"),
    ],
)
def test_the_receiving_field_enforces_its_own_limits_whatever_the_grant(client, name, body, error):
    """A grant from a lax field on another page does not widen this field's limits."""
    keys = stored((name, body))
    response = client.post("/images/", {"title": "t", **upload_fields("image", keys)})
    assert f"“{name}” {error}" in response.content.decode()


def test_a_projects_own_field_called_s3file_is_left_alone(client):
    response = client.post("/describe/", {"s3file": "my value", "title": "x"})
    assert response.json()["post"] == {"s3file": ["my value"], "title": ["x"]}


@pytest.mark.usefixtures("dev_storage")
def test_a_sha1_posted_with_its_key_is_the_uploads_stated_sha1_and_leaves_post(rf):
    from s3file.compat import on_body_parsed
    from s3file.middleware import add_uploaded_files

    keys = stored(("a.bin", b"a"), ("b.bin", b"b"), ("c.bin", b"c"))
    digest = hashlib.sha1(b"a").hexdigest()
    stated = [
        f"{digest}:{keys[0]}",
        f"{'0' * 40}:tmp/s3file/elsewhere/b.bin",  # another key: not b.bin's
        f"{digest.upper()}:{keys[2]}",  # not what the script posts: ignored
        f"{digest[:-1]}:{keys[2]}",
    ]
    request = rf.post("/describe/", {**upload_fields("docs", keys), "docs-s3f-sha1": stated})
    on_body_parsed(request, add_uploaded_files)  # as the middleware does

    assert [f.stated_sha1 for f in request.FILES.getlist("docs")] == [digest, "", ""]
    assert list(request.POST) == []
