"""Direct uploads for APIs against SeaweedFS: the Python client uploads, a DRF ModelViewSet
and a django-ninja API make and change objects from the values, and S3 holds the files."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

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
