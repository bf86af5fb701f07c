"""Direct uploads for APIs against SeaweedFS: the Python client uploads, a DRF ModelViewSet
and a django-ninja API make and change objects from the values, and S3 holds the files."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

from s3file.api import uploaded_file
from s3file_api.client import Client
from tests.apiapp.models import Record
from tests.conftest import make_api_user

pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True)]
MiB = 1024**2


@pytest.fixture
def site(s3, api_user, live_server):
    return Client(live_server.url, headers=api_user.headers)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "PNG")
    return out.getvalue()


def call(method, live_server, api_user, path, **fields):
    return requests.request(
        method, f"{live_server.url}{path}", json=fields, headers=api_user.headers, timeout=60
    )


def test_a_viewset_creates_and_updates_from_python_client_uploads(
    site, s3, live_server, api_user, tmp_path, settings
):
    settings.S3FILE_MULTIPART_THRESHOLD = 5 * MiB
    small = tmp_path / "report.pdf"
    small.write_bytes(b"%PDF-1.4 small")
    image = tmp_path / "dot.png"
    image.write_bytes(png())
    created = call(
        "POST",
        live_server,
        api_user,
        "/api/records/",
        title="one",
        file=site.upload(small, "apiapp.Record.file"),
        image=site.upload(image, "apiapp.Record.image"),
    )
    assert created.status_code == 201, created.text
    record = Record.objects.get()
    assert s3.read(record.file.name) == b"%PDF-1.4 small"
    assert s3.read(record.image.name) == image.read_bytes()
    assert s3.head(record.image.name)["ContentType"] == "image/png"

    large = tmp_path / "large.bin"
    body = bytes(range(256)) * (12 * MiB // 256)
    large.write_bytes(body)
    sent = []
    value = site.upload(large, "apiapp.Record.file", progress=lambda n, size: sent.append(n))
    assert max(sent) == len(body)
    updated = call("PATCH", live_server, api_user, f"/api/records/{record.pk}/", file=value)
    assert updated.status_code == 200, updated.text
    record.refresh_from_db()
    assert s3.read(record.file.name) == body
    # The uploads were moved into place: nothing is left in the upload folder.
    assert s3.keys("tmp/") == []


def test_a_ninja_api_creates_from_a_python_client_upload(
    site, s3, live_server, api_user, tmp_path
):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"notes")
    value = site.upload(path, "apiapp.Record.file")
    response = call("POST", live_server, api_user, "/ninja/records", title="ninja", file=value)
    assert response.status_code == 200, response.text
    assert s3.read(Record.objects.get().file.name) == b"notes"


def test_another_users_upload_is_refused_and_left_alone(site, s3, live_server, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF")
    value = site.upload(path, "apiapp.Record.file")
    other = make_api_user("mallory")
    response = call("POST", live_server, other, "/api/records/", title="x", file=value)
    assert response.status_code == 400
    assert response.json() == {"file": ["This upload was made for another field or another user."]}
    assert not Record.objects.exists()
    assert len(s3.keys("tmp/")) == 1


COPIES = {"CopyObject", "UploadPartCopy"}


@pytest.fixture
def claims(settings, s3):
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS stores no tag from a POST: parts do
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    return s3


def test_with_claims_a_viewset_saves_uploads_where_they_lie_without_a_copy(
    site, claims, live_server, api_user, tmp_path, s3_calls
):
    large = tmp_path / "report.pdf"
    body = bytes(range(256)) * (11 * MiB // 256)
    large.write_bytes(body)
    image = tmp_path / "dot.png"
    image.write_bytes(png())
    file = site.upload(large, "apiapp.Record.file")
    cover = site.upload(image, "apiapp.Record.image")
    s3_calls.clear()

    created = call(
        "POST", live_server, api_user, "/api/records/", title="claimed", file=file, image=cover
    )
    ops = [c.operation for c in s3_calls]  # the server's; the test's own reads follow

    assert created.status_code == 201, created.text
    record = Record.objects.get()
    # The keys the client uploaded to, in the model fields' folders: nothing was moved.
    assert record.file.name == file.partition("/")[2]
    assert record.file.name.startswith("records/") and record.file.name.endswith("/report.pdf")
    assert record.image.name.startswith("records/images/")
    assert record.image.name.endswith("/dot.png")
    assert sorted(claims.keys()) == sorted([record.file.name, record.image.name])
    assert claims.read(record.file.name) == body
    assert claims.read(record.image.name) == image.read_bytes()
    assert not COPIES & set(ops)
    assert "DeleteObject" not in ops and "PutObject" not in ops
    assert ops.count("DeleteObjectTagging") == 2
    tagging = claims.client.get_object_tagging(Bucket=claims.name, Key=record.file.name)
    assert tagging["TagSet"] == []  # claimed: the lifecycle rule no longer expires it


def test_with_claims_a_ninja_api_saves_an_upload_where_it_lies(
    site, claims, live_server, api_user, tmp_path, s3_calls
):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"notes " * 1000)
    value = site.upload(path, "apiapp.Record.file")
    s3_calls.clear()
    response = call("POST", live_server, api_user, "/ninja/records", title="ninja", file=value)
    ops = [c.operation for c in s3_calls]
    assert response.status_code == 200, response.text
    name = Record.objects.get().file.name
    assert name == value.partition("/")[2]
    assert claims.keys() == [name]
    assert not COPIES & set(ops)


def test_with_claims_a_project_name_still_uploads_to_the_upload_folder(claims, api_user, settings):
    from django.test import Client as DjangoClient

    settings.S3FILE_API_FIELDS = {"apiapp.Record.file": {}, "avatars": {}}
    answers = {
        name: DjangoClient().post(
            "/__s3file__/grant/",
            {"field": name, "name": "a.txt", "size": 10, "type": "text/plain"},
            content_type="application/json",
            headers=api_user.headers,
        )
        for name in ["apiapp.Record.file", "avatars"]
    }
    keys = {name: answer.json()["fields"]["key"] for name, answer in answers.items()}
    assert keys["apiapp.Record.file"].startswith("records/")
    assert keys["avatars"].startswith("tmp/s3file/")
    # Without POST tagging, a file for a final folder goes in parts, which carry the tag.
    assert answers["apiapp.Record.file"].json()["multipart"]["threshold"] == 1


def test_with_claims_a_wagtail_document_saves_an_upload_where_it_lies(
    site, claims, api_user, settings, tmp_path, s3_calls
):
    from wagtail.documents.models import Document
    from wagtail.models import Collection

    if not Collection.objects.exists():  # flushed by transactional tests
        Collection.add_root(name="Root")
    settings.S3FILE_API_FIELDS = {"wagtaildocs.Document.file": {}}
    path = tmp_path / "manual.pdf"
    path.write_bytes(b"%PDF-1.4 " * 1000)
    value = site.upload(path, "wagtaildocs.Document.file")
    s3_calls.clear()
    file = uploaded_file(value, "wagtaildocs.Document.file", api_user.user)
    document = Document.objects.create(title="Manual", file=file)
    ops = [c.operation for c in s3_calls]
    assert document.file.name == value.partition("/")[2]
    assert document.file.name.startswith("documents/")
    assert claims.keys() == [document.file.name]
    assert not COPIES & set(ops)
