"""The multipart API's rules that need no storage, and the endpoints when they are off; the
API itself runs against S3 (``tests/s3/test_multipart_s3.py``): the dev storage takes one
POST of any size it allows, and no parts."""

from __future__ import annotations

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


@pytest.mark.usefixtures("dev_storage")
def test_only_json_is_accepted(client):
    """A cross-site form can post text/plain or form data, never JSON without a preflight."""
    token = sign_folder(FOLDER, 10**9, content_type_condition("video/*"))
    body = json.dumps({"token": token, "key": KEY, "size": 1})
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post("/__s3file__/multipart/create/", body, content_type=content_type)
        assert response.status_code == 415


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
def test_the_endpoints_are_off_with_the_dev_storage(client):
    """The dev storage takes one POST of any size it allows: the script never asks for parts."""
    status, body = create(client)
    assert (status, body["code"]) == (404, "action")
