"""The multipart endpoints against SeaweedFS: real uploads, refusals, cleanup."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests

from s3file.multipart import MiB
from s3file.rules import content_type_condition
from tests.conftest import new_folder, s3_storage_settings, sign_folder

pytestmark = pytest.mark.s3


def api(client, action, **body):
    response = client.post(
        f"/__s3file__/multipart/{action}/", json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.fixture
def upload(s3, client, settings):
    """A created 11 MiB upload in a fresh folder: (created answer, key, body)."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    folder = new_folder()
    key = f"{folder}/0/data.bin"
    body = bytes(range(256)) * (11 * MiB // 256)
    token = sign_folder(folder, 10**9, content_type_condition(""))
    status, created = api(client, "create", token=token, key=key, size=len(body))
    assert status == 200 and created["parts"] == 3
    return created, key, body


def test_a_grant_starts_no_upload_after_s3file_expires(s3, client, settings):
    """The same lifetime as the grant's POST policy, which S3 enforces."""
    settings.S3FILE_EXPIRES = 600
    folder = new_folder()
    stale = sign_folder(folder, 10**9, content_type_condition(""), age=610)
    status, body = api(client, "create", token=stale, key=f"{folder}/0/a.bin", size=6 * MiB)
    assert (status, body["code"]) == (403, "expired")
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []


def md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def test_parts_put_to_presigned_urls_complete_into_the_object(s3, client, upload):
    created, key, body = upload
    _, signed = api(client, "sign", upload=created["upload"], parts=[1, 2, 3])
    for n in (1, 2, 3):
        chunk = body[(n - 1) * 5 * MiB : n * 5 * MiB]
        response = requests.put(
            signed["urls"][str(n)], data=chunk, headers={"Content-MD5": md5(chunk)}, timeout=30
        )
        assert response.status_code == 200
    md5s = [md5(body[n * 5 * MiB : (n + 1) * 5 * MiB]) for n in range(3)]
    assert api(client, "complete", upload=created["upload"], md5=md5s) == (200, {"key": key})
    assert s3.read(key) == body
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []


def test_a_part_changed_on_the_way_is_found_by_its_etag(s3, client, upload):
    """Parts go up without a Content-MD5 (hashing stays off the critical path); complete
    compares the browser's MD5s with S3's ETags, names what differs, and joins nothing."""
    created, key, body = upload
    chunks = [body[n * 5 * MiB : (n + 1) * 5 * MiB] for n in range(3)]
    garbled = [chunks[0], chunks[1], b"?" + chunks[2][1:]]
    for n, chunk in enumerate(garbled, 1):
        response = requests.put(created["urls"][str(n)], data=chunk, timeout=30)
        assert response.status_code == 200
    md5s = [md5(chunk) for chunk in chunks]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5s)
    assert status == 400 and answer["code"] == "BadDigest" and answer["parts"] == [3]
    assert s3.keys(key) == []
    assert requests.put(created["urls"]["3"], data=chunks[2], timeout=30).status_code == 200
    assert api(client, "complete", upload=created["upload"], md5=md5s) == (200, {"key": key})
    assert s3.read(key) == body


def test_s3_rejects_a_corrupted_part(s3, client, upload):
    created, key, body = upload
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    response = requests.put(
        signed["urls"]["1"], data=b"x" * 100, headers={"Content-MD5": md5(b"y")}, timeout=30
    )
    assert response.status_code == 400 and "BadDigest" in response.text
    assert api(client, "list", upload=created["upload"]) == (
        200,
        {"parts": [], "contentMd5": False},
    )


def test_completing_with_parts_missing_is_refused(s3, client, upload):
    created, key, body = upload
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    requests.put(signed["urls"]["1"], data=body[: 5 * MiB], timeout=30)
    status, answer = api(client, "complete", upload=created["upload"])
    assert status == 400 and "parts missing [2, 3]" in answer["error"]
    assert s3.keys(key) == []


def test_abort_leaves_no_parts_and_the_handle_then_finds_nothing(s3, client, upload):
    created, key, body = upload
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    requests.put(signed["urls"]["1"], data=body[: 5 * MiB], timeout=30)
    assert api(client, "abort", upload=created["upload"]) == (200, {})
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []
    status, answer = api(client, "list", upload=created["upload"])
    assert (status, answer["code"]) == (404, "missing")


def test_storage_unreachable_is_a_502_not_a_500(s3, client, settings, upload):
    created, key, body = upload
    settings.STORAGES = s3_storage_settings(s3.server, s3.name, endpoint_url="http://127.0.0.1:9")
    status, answer = api(client, "list", upload=created["upload"])
    assert status == 502 and answer["error"]
