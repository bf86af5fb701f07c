"""The multipart endpoints with the dev storage, and the part-size rule."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from s3file.multipart import (
    MAX_PARTS,
    MiB,
    MultipartError,
    Part,
    Upload,
    check_complete,
    part_size,
    sign_upload,
)
from s3file.rules import content_type_condition
from tests.conftest import sign_folder

FOLDER = "tmp/s3file/mp"
KEY = f"{FOLDER}/0/video.mp4"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, 16 * MiB),
        (300 * MiB, 16 * MiB),
        (160_000 * MiB, 16 * MiB),
        (160_001 * MiB, 17 * MiB),
        (5 * 1024**4, 525 * MiB),
    ],
)
def test_part_size_keeps_within_10000_parts(size, expected):
    assert part_size(size) == expected
    assert -(-size // part_size(size)) <= MAX_PARTS


def test_part_size_is_at_least_5_mib(settings):
    settings.S3FILE_MULTIPART_PART_SIZE = 1 * MiB
    assert part_size(100 * MiB) == 5 * MiB


def api(client, action, **body):
    response = client.post(
        f"/__s3file__/multipart/{action}/", json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json()


def create(client, size=12 * MiB, key=KEY, token=None, content_type="video/mp4"):
    token = token or sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    return api(client, "create", token=token, key=key, size=size, contentType=content_type)


def b64md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def put_part(client, url, body: bytes, md5: bytes | None = None):
    headers = {}
    if md5 is not None:
        headers["HTTP_CONTENT_MD5"] = base64.b64encode(md5).decode()
    return client.generic("PUT", url, body, content_type="", **headers)


@pytest.mark.usefixtures("dev_storage")
def test_the_whole_flow_on_the_dev_endpoint(client, settings, dev_storage):
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    body = bytes(range(256)) * (12 * MiB // 256)
    status, created = create(client, size=len(body))
    assert status == 200 and created["parts"] == 3 and created["partSize"] == 5 * MiB
    assert sorted(created["urls"]) == ["1", "2", "3"]  # the first parts come signed
    status, signed = api(client, "sign", upload=created["upload"], parts=[1, 2, 3])
    assert status == 200
    for n in (1, 2, 3):
        chunk = body[(n - 1) * 5 * MiB : n * 5 * MiB]
        response = put_part(client, signed["urls"][str(n)], chunk, hashlib.md5(chunk).digest())
        assert response.status_code == 200
        assert response["ETag"] == f'"{hashlib.md5(chunk).hexdigest()}"'
    assert api(client, "list", upload=created["upload"])[1]["parts"] == [
        {"partNumber": 1, "size": 5 * MiB},
        {"partNumber": 2, "size": 5 * MiB},
        {"partNumber": 3, "size": 2 * MiB},
    ]
    md5 = [b64md5(body[n * 5 * MiB : (n + 1) * 5 * MiB]) for n in range(3)]
    assert api(client, "complete", upload=created["upload"], md5=md5) == (200, {"key": KEY})
    assert (dev_storage / KEY).read_bytes() == body
    assert not any((dev_storage / ".s3file-multipart").iterdir())


@pytest.mark.usefixtures("dev_storage")
def test_a_corrupted_part_is_refused_not_stored(client):
    _, created = create(client)
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    response = put_part(client, signed["urls"]["1"], b"corrupted", hashlib.md5(b"other").digest())
    assert response.status_code == 400 and b"BadDigest" in response.content
    assert api(client, "list", upload=created["upload"])[1]["parts"] == []


@pytest.mark.usefixtures("dev_storage")
def test_complete_refuses_an_unfinished_upload(client):
    _, created = create(client)
    status, body = api(client, "complete", upload=created["upload"])
    assert status == 400 and "incomplete" in body["error"]


@pytest.mark.usefixtures("dev_storage")
def test_abort_removes_the_parts(client, dev_storage):
    _, created = create(client)
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    put_part(client, signed["urls"]["1"], b"x" * 100)
    assert api(client, "abort", upload=created["upload"]) == (200, {})
    assert api(client, "list", upload=created["upload"])[0] == 404
    assert not any((dev_storage / ".s3file-multipart").iterdir())


@pytest.mark.usefixtures("dev_storage")
def test_a_forged_part_url_is_refused(client):
    _, created = create(client)
    _, signed = api(client, "sign", upload=created["upload"], parts=[1])
    url = signed["urls"]["1"].replace("partNumber=1", "partNumber=2")
    assert put_part(client, url, b"x").status_code == 403


def forged_handle() -> str:
    return sign_upload(Upload(KEY, "0" * 32, 12 * MiB, 5 * MiB))[:-2] + "xx"


@pytest.mark.usefixtures("dev_storage")
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


@pytest.mark.usefixtures("dev_storage")
def test_malformed_json_and_get_are_refused(client):
    response = client.post("/__s3file__/multipart/create/", "{", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/__s3file__/multipart/create/", "[1]", content_type="application/json")
    assert response.status_code == 400
    assert client.get("/__s3file__/multipart/create/").status_code == 405


@pytest.mark.usefixtures("dev_storage")
def test_an_expired_grant_is_refused(client, settings):
    token = sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    settings.S3FILE_EXPIRES = -1
    status, body = create(client, token=token)
    assert (status, body["code"]) == (403, "expired")


@pytest.mark.usefixtures("dev_storage")
def test_a_grant_starts_no_upload_after_s3file_expires(client, settings):
    """One lifetime for a grant: S3 refuses its POST after S3FILE_EXPIRES, so does create
    (it took twice as long before)."""
    settings.S3FILE_EXPIRES = 600
    fresh = sign_folder(FOLDER, 10**9, content_type_condition("video/*"), age=590)
    assert create(client, token=fresh)[0] == 200
    stale = sign_folder(FOLDER, 10**9, content_type_condition("video/*"), age=610)
    status, body = create(client, token=stale)
    assert (status, body["code"]) == (403, "expired")


@pytest.mark.usefixtures("dev_storage")
def test_only_json_is_accepted(client):
    """A cross-site form can post text/plain or form data, never JSON without a preflight."""
    token = sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    body = json.dumps({"token": token, "key": KEY, "size": 1})
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post("/__s3file__/multipart/create/", body, content_type=content_type)
        assert response.status_code == 415


@pytest.mark.usefixtures("dev_storage")
def test_the_endpoints_are_off_when_multipart_is(client, settings):
    settings.S3FILE_MULTIPART_THRESHOLD = 0
    assert create(client)[0] == 404


@pytest.mark.usefixtures("dev_storage")
def test_a_part_of_the_wrong_size_aborts_the_upload(client, dev_storage, settings):
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    _, signed = api(client, "sign", upload=created["upload"], parts=[1, 2, 3])
    for n in (1, 2, 3):
        response = put_part(client, signed["urls"][str(n)], b"x" * (6 * MiB if n == 1 else 100))
        assert response.status_code == (400 if n == 1 else 200)  # over its size: not stored
    status, answer = api(client, "complete", upload=created["upload"])
    assert status == 400 and "wrong [2, 3]" in answer["error"]
    assert api(client, "list", upload=created["upload"])[0] == 404


def put_parts(client, created, body):
    for n in range(1, created["parts"] + 1):
        chunk = body[(n - 1) * 5 * MiB : n * 5 * MiB]
        assert put_part(client, created["urls"][str(n)], chunk).status_code == 200


@pytest.mark.usefixtures("dev_storage")
def test_a_part_changed_on_the_way_is_named_then_taken_again(client, dev_storage, settings):
    """Parts go up without a Content-MD5; complete compares the browser's MD5s with the ETags."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    body = bytes(range(256)) * (12 * MiB // 256)
    _, created = create(client, size=len(body))
    garbled = body[: 5 * MiB] + b"?" + body[5 * MiB + 1 :]
    put_parts(client, created, garbled)
    md5 = [b64md5(body[n * 5 * MiB : (n + 1) * 5 * MiB]) for n in range(3)]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert status == 400 and answer["code"] == "BadDigest" and answer["parts"] == [2]
    assert not (dev_storage / KEY).exists()
    put_parts(client, created, body)  # the script sends part 2 again (here: all of them)
    assert api(client, "complete", upload=created["upload"], md5=md5) == (200, {"key": KEY})
    assert (dev_storage / KEY).read_bytes() == body


@pytest.mark.usefixtures("dev_storage")
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


@pytest.mark.usefixtures("dev_storage")
def test_with_content_md5_complete_takes_no_md5s(client, dev_storage, settings):
    """S3FILE_MULTIPART_CONTENT_MD5: S3 checked each part on arrival (ETags may not be MD5s)."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    assert api(client, "complete", upload=created["upload"]) == (200, {"key": KEY})
    assert (dev_storage / KEY).read_bytes() == b"x" * 12 * MiB


def test_of_a_part_listed_twice_complete_joins_the_copy_the_browser_sent():
    """SeaweedFS lists a part sent twice twice (S3 keeps the last): the ETag decides."""
    upload = Upload(KEY, "id", 12 * MiB, 5 * MiB)
    good, bad = hashlib.md5(b"good").hexdigest(), hashlib.md5(b"bad").hexdigest()
    sizes = {1: 5 * MiB, 2: 5 * MiB, 3: 2 * MiB}
    listed = [Part(partNumber=n, size=sizes[n], etag=f'"{good}"') for n in (1, 2, 3)]
    listed[1:1] = [Part(partNumber=2, size=5 * MiB, etag=f'"{bad}"')]  # an earlier try
    md5 = [good] * 3
    joined = check_complete(upload, listed, lambda upload: None, md5)
    assert [(p["partNumber"], p["etag"]) for p in joined] == [(n, f'"{good}"') for n in (1, 2, 3)]
    with pytest.raises(MultipartError) as refused:
        check_complete(
            upload,
            [p for p in listed if p["etag"] != f'"{good}"' or p["partNumber"] != 2],
            lambda upload: None,
            md5,
        )
    assert (refused.value.code, refused.value.parts) == ("BadDigest", [2])


@pytest.mark.usefixtures("dev_storage")
def test_complete_takes_the_md5s_of_10000_parts(client, settings):
    """The most parts an upload can have: their MD5s fit in what the endpoint reads."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    token = sign_folder(FOLDER, MAX_PARTS * 5 * MiB, content_type_condition("video/*"))
    _, created = create(client, size=MAX_PARTS * 5 * MiB, token=token)
    assert created["parts"] == MAX_PARTS
    md5 = [b64md5(str(n).encode()) for n in range(MAX_PARTS)]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert status == 400 and "parts missing [1, 2" in answer["error"]  # read, not refused


@pytest.mark.parametrize(
    ("created", "etag_md5"),
    [
        ({}, True),
        ({"ServerSideEncryption": "AES256"}, True),
        ({"ServerSideEncryption": "aws:kms"}, False),
        ({"ServerSideEncryption": "aws:kms:dsse"}, False),
        ({"ServerSideEncryption": "AES256", "SSECustomerAlgorithm": "AES256"}, False),
    ],
)
def test_parts_of_a_kms_or_sse_c_upload_have_no_md5_etags(created, etag_md5):
    """What S3 answers to CreateMultipartUpload says, for the bucket's default encryption too."""
    from s3file.backends.s3 import etags_are_md5

    assert etags_are_md5({"UploadId": "x", **created}) is etag_md5


@pytest.mark.usefixtures("dev_storage")
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


@pytest.mark.usefixtures("dev_storage")
def test_a_script_of_before_8_0_completes_without_md5s(client, dev_storage, settings):
    """It posted none: it sent each part with a Content-MD5 (a page loaded before a deploy)."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    assert api(client, "complete", upload=created["upload"]) == (200, {"key": KEY})
    assert (dev_storage / KEY).read_bytes() == b"x" * 12 * MiB


@pytest.mark.usefixtures("dev_storage")
def test_when_no_part_matches_the_etags_are_no_md5s(client, dev_storage, settings, caplog):
    """Sending every part again would not help: a 502 that names no part, and an error log."""
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, created = create(client, size=12 * MiB)
    put_parts(client, created, b"x" * 12 * MiB)
    md5 = [b64md5(b"y" * 5 * MiB)] * 2 + [b64md5(b"y" * 2 * MiB)]
    status, answer = api(client, "complete", upload=created["upload"], md5=md5)
    assert (status, answer["code"]) == (502, "etag") and "parts" not in answer
    assert "S3FILE_MULTIPART_CONTENT_MD5" in caplog.text
    assert not (dev_storage / KEY).exists()


@pytest.mark.usefixtures("dev_storage")
def test_list_says_how_parts_are_checked(client, settings):
    """A page resuming an upload follows its handle, not what an older script remembered."""
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True
    _, created = create(client)
    settings.S3FILE_MULTIPART_CONTENT_MD5 = False
    assert api(client, "list", upload=created["upload"]) == (
        200,
        {"parts": [], "contentMd5": True},
    )
