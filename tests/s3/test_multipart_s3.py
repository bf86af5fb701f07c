"""The multipart endpoints against SeaweedFS: real uploads, refusals, cleanup (the browser
uploads in parts only to S3)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests

from s3file.multipart import MAX_PARTS, MiB, Upload, sign_upload
from s3file.rules import content_type_condition
from tests.conftest import new_folder, s3_storage_settings, sign_folder

pytestmark = pytest.mark.s3
FOLDER = "tmp/s3file/mp"
KEY = f"{FOLDER}/0/video.mp4"


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


# The API's rules, against S3 -----------------------------------------------------------------


def create(client, size=12 * MiB, key=KEY, token=None, content_type="video/mp4"):
    token = token or sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    return api(client, "create", token=token, key=key, size=size, contentType=content_type)


def b64md5(data: bytes) -> str:
    return md5(data)


def put_part(client, url, body: bytes):
    """PUT a part to its presigned URL, as the browser does (``client``: the test's, unused)."""
    return requests.put(url, data=body, timeout=30)


@pytest.mark.usefixtures("s3")
@pytest.mark.parametrize(
    ("action", "body", "status"),
    [
        ("create", {"token": "forged", "key": KEY, "size": 1}, 403),
        ("create", {"token": None, "key": KEY, "size": 1}, 403),
        ("create", {"key": KEY, "size": 1}, 400),
        ("create", {"token": "T", "key": "tmp/s3file/other/0/x.mp4", "size": 1}, 403),
        ("create", {"token": "T", "key": f"{FOLDER}/0/../../../x", "size": 1}, 403),
        ("create", {"token": "T", "key": f"{FOLDER}/x.mp4", "size": 1}, 403),
        ("create", {"token": "T", "key": KEY, "size": 10**10}, 400),
        ("create", {"token": "T", "key": KEY, "size": 0}, 400),
        ("create", {"token": "T", "key": KEY, "size": "many"}, 400),
        ("create", {"token": "T", "key": KEY, "size": 1, "contentType": "text/html"}, 403),
        ("sign", {"upload": "forged", "parts": [1]}, 403),
        ("sign", {"upload": "H", "parts": [0]}, 400),
        ("sign", {"upload": "H", "parts": [4]}, 400),
        ("sign", {"upload": "H", "parts": []}, 400),
        ("sign", {"upload": "H", "parts": list(range(1, 1002))}, 400),
        ("sign", {"upload": "H", "parts": "1"}, 400),
        ("list", {"upload": "bogus-upload-id"}, 403),
        ("complete", {"upload": "F"}, 403),
        ("abort", {"upload": "F"}, 403),
        ("explode", {"upload": "H"}, 404),
    ],
)
def test_refusals_are_4xx_with_a_message(client, action, body, status):
    token = sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    _, created = create(client)
    replacements = {"T": token, "H": created["upload"], "F": forged_handle()}
    body = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    got, answer = api(client, action, **body)
    assert got == status
    assert answer["error"]


def forged_handle() -> str:
    return sign_upload(Upload(KEY, "0" * 32, 12 * MiB, 5 * MiB))[:-2] + "xx"


@pytest.mark.usefixtures("s3")
def test_malformed_json_and_get_are_refused(client):
    response = client.post("/__s3file__/multipart/create/", "{", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/__s3file__/multipart/create/", "[1]", content_type="application/json")
    assert response.status_code == 400
    assert client.get("/__s3file__/multipart/create/").status_code == 405


@pytest.mark.usefixtures("s3")
def test_an_expired_grant_is_refused(client, settings):
    token = sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    settings.S3FILE_EXPIRES = -1
    status, body = create(client, token=token)
    assert (status, body["code"]) == (403, "expired")


@pytest.mark.usefixtures("s3")
def test_a_part_of_the_wrong_size_aborts_the_upload(client, s3, settings):
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    _, signed = api(client, "sign", upload=created["upload"], parts=[1, 2, 3])
    for n in (1, 2, 3):
        response = put_part(client, signed["urls"][str(n)], b"x" * (6 * MiB if n == 1 else 100))
        assert response.status_code == 200  # S3 checks no part's size on arrival
    status, answer = api(client, "complete", upload=created["upload"])
    assert status == 400 and "wrong [1, 2, 3]" in answer["error"]
    assert api(client, "list", upload=created["upload"])[0] == 404


def put_parts(client, created, body):
    for n in range(1, created["parts"] + 1):
        chunk = body[(n - 1) * 5 * MiB : n * 5 * MiB]
        assert put_part(client, created["urls"][str(n)], chunk).status_code == 200


@pytest.mark.usefixtures("s3")
@pytest.mark.parametrize(
    "md5",
    [[], ["AAAA"] * 3, ["not base64!"] * 3, [b64md5(b"x")] * 2, {"1": b64md5(b"x")}, "x"],
)
def test_complete_needs_an_md5_for_each_part(client, settings, md5):
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert (status, answer["code"]) == (400, "malformed")


@pytest.mark.usefixtures("s3")
def test_with_content_md5_complete_takes_no_md5s(client, s3, settings):
    """S3FILE_MULTIPART_CONTENT_MD5: S3 checked each part on arrival (ETags may not be MD5s)."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    assert api(client, "complete", upload=created["upload"]) == (200, {"key": KEY})
    assert s3.read(KEY) == b"x" * 12 * MiB


@pytest.mark.usefixtures("s3")
def test_complete_takes_the_md5s_of_10000_parts(client, settings):
    """The most parts an upload can have: their MD5s fit in what the endpoint reads."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    token = sign_folder(FOLDER, MAX_PARTS * 5 * MiB, content_type_condition("video/*"))
    _, created = create(client, size=MAX_PARTS * 5 * MiB, token=token)
    assert created["parts"] == MAX_PARTS
    md5 = [b64md5(str(n).encode()) for n in range(MAX_PARTS)]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert status == 400 and "parts missing [1, 2" in answer["error"]  # read, not refused


@pytest.mark.usefixtures("s3")
@pytest.mark.parametrize("setting", [False, True])
def test_create_says_how_parts_are_checked_and_the_handle_keeps_it(client, settings, setting):
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    settings.S3FILE_MULTIPART_CONTENT_MD5 = setting
    _, created = create(client, size=12 * MiB)
    assert created["contentMd5"] is setting
    put_parts(client, created, b"x" * 12 * MiB)
    settings.S3FILE_MULTIPART_CONTENT_MD5 = not setting  # changed meanwhile: the upload keeps its
    md5 = [b64md5(b"y")] * 3  # not what was sent: only compared without Content-MD5
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert (status, answer.get("code")) == ((200, None) if setting else (502, "etag"))


@pytest.mark.usefixtures("s3")
def test_a_script_of_before_8_0_completes_without_md5s(client, s3, settings):
    """It posted none: it sent each part with a Content-MD5 (a page loaded before a deploy)."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    assert api(client, "complete", upload=created["upload"]) == (200, {"key": KEY})
    assert s3.read(KEY) == b"x" * 12 * MiB


@pytest.mark.usefixtures("s3")
def test_when_no_part_matches_the_etags_are_no_md5s(client, s3, settings, caplog):
    """Sending every part again would not help: a 502 that names no part, and an error log."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    md5 = [b64md5(b"y" * 5 * MiB)] * 2 + [b64md5(b"y" * 2 * MiB)]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert (status, answer["code"]) == (502, "etag") and "parts" not in answer
    assert "S3FILE_MULTIPART_CONTENT_MD5" in caplog.text
    assert s3.keys(KEY) == []


@pytest.mark.usefixtures("s3")
def test_list_says_how_parts_are_checked(client, settings):
    """A page resuming an upload follows its handle, not what an older script remembered."""
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True
    _, created = create(client)
    settings.S3FILE_MULTIPART_CONTENT_MD5 = False
    assert api(client, "list", upload=created["upload"]) == (
        200,
        {"parts": [], "contentMd5": True},
    )


@pytest.mark.usefixtures("s3")
def test_the_endpoints_are_off_when_multipart_is(client, settings):
    settings.S3FILE_MULTIPART_THRESHOLD = 0
    assert create(client)[0] == 404
