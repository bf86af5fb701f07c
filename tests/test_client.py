"""s3file_api's Python client against a live server with the dev endpoint's storage: one
POST, progress, and the value a DRF API takes (multipart: tests/s3/test_api_s3.py)."""

from __future__ import annotations

import pytest
import requests

from s3file_api.client import Client, UploadError, key_for, safe_name
from tests.apiapp.models import Record

pytestmark = pytest.mark.django_db(transaction=True)
MiB = 1024**2


@pytest.fixture
def site(api_user, live_server, dev_storage):
    return Client(live_server.url, headers=api_user.headers)


def create(live_server, api_user, **fields):
    return requests.post(
        f"{live_server.url}/api/records/", json=fields, headers=api_user.headers, timeout=30
    )


def test_a_small_file_uploads_in_one_post_and_makes_an_object(
    site, live_server, api_user, dev_storage, tmp_path
):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 small")
    seen = []
    value = site.upload(path, "apiapp.Record.file", progress=lambda sent, size: seen.append(sent))
    assert seen[-1] == path.stat().st_size
    response = create(live_server, api_user, title="small", file=value)
    assert response.status_code == 201, response.text
    assert (dev_storage / Record.objects.get().file.name).read_bytes() == b"%PDF-1.4 small"


def test_a_large_file_goes_in_one_post_where_the_storage_takes_no_parts(
    site, live_server, api_user, dev_storage, tmp_path, settings
):
    settings.S3FILE_MULTIPART_THRESHOLD = MiB  # the dev endpoint takes one POST of any size
    body = bytes(range(256)) * (3 * MiB // 256)
    path = tmp_path / "big.bin"
    path.write_bytes(body)
    value = site.upload(path, "apiapp.Record.file")
    response = create(live_server, api_user, title="big", file=value)
    assert response.status_code == 201, response.text
    assert (dev_storage / Record.objects.get().file.name).read_bytes() == body


def test_a_refused_grant_raises_with_the_endpoints_code(live_server, api_user, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("text")
    with pytest.raises(UploadError) as refused:
        Client(live_server.url).upload(path, "apiapp.Record.file")
    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    with pytest.raises(UploadError) as refused:
        Client(live_server.url, headers=api_user.headers).upload(path, "apiapp.Record.image")
    assert (refused.value.status, refused.value.code) == (403, "type")


def test_no_server_is_a_network_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("text")
    with pytest.raises(UploadError) as failed:
        Client("http://127.0.0.1:9/", timeout=2).upload(path, "apiapp.Record.file")
    assert failed.value.code == "network"


def test_keys_are_made_as_the_script_makes_them():
    key = key_for("tmp/s3file/abc/${filename}", "../a\\b\x00.txt")
    folder, random, name = key.rsplit("/", 2)
    assert (folder, len(random), name) == ("tmp/s3file/abc", 16, ".._a_b_.txt")
    assert safe_name("..") == "_"
