"""S3UploadedFile against SeaweedFS: lazy metadata, ranged reads, bounded memory."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from s3file.files import S3UploadedFile

pytestmark = pytest.mark.s3
MiB = 1024 * 1024
KEY = "tmp/s3file/abc/0/movie.mp4"


@pytest.fixture
def big(s3) -> bytes:
    body = bytes(range(256)) * (32 * MiB // 256)
    s3.put(KEY, body, "video/mp4")
    return body


def test_metadata_costs_one_head_and_nothing_more(big, s3_calls):
    upload = S3UploadedFile(storages["default"], KEY)
    assert s3_calls == []
    assert (upload.name, upload.size, upload.content_type) == ("movie.mp4", 32 * MiB, "video/mp4")
    assert [c.operation for c in s3_calls] == ["HeadObject"]


def test_reading_a_header_downloads_only_the_header(big, s3_calls):
    upload = S3UploadedFile(storages["default"], KEY)
    assert upload.size == len(big)  # the HEAD, and boto3's client, before measuring
    tracemalloc.start()
    try:
        assert upload.read(64) == big[:64]
        upload.seek(1000)  # inside what was buffered: no request
        assert upload.read(10) == big[1000:1010]
        upload.seek(20 * MiB)
        assert upload.read(10) == big[20 * MiB : 20 * MiB + 10]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MiB
    gets = [c.params for c in s3_calls if c.operation == "GetObject"]
    assert [g["Range"] for g in gets] == ["bytes=0-", f"bytes={20 * MiB}-"]
    assert [c.operation for c in s3_calls].count("HeadObject") == 1


def test_streaming_everything_stays_in_bounded_memory(big):
    upload = S3UploadedFile(storages["default"], KEY)
    assert upload.size == len(big)  # the HEAD, and boto3's client, before measuring
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        for chunk in upload.chunks():
            digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == hashlib.sha256(big).hexdigest()
    assert peak < 4 * MiB


def test_seek_and_tell_work_like_a_file(big):
    upload = S3UploadedFile(storages["default"], KEY)
    upload.seek(-5, io.SEEK_END)
    assert upload.read() == big[-5:]
    assert upload.tell() == len(big)
    upload.open()
    assert upload.read(3) == big[:3]


def test_a_missing_object_is_a_validation_error(s3):
    upload = S3UploadedFile(storages["default"], "tmp/s3file/abc/0/gone.txt")
    with pytest.raises(ValidationError, match="“gone.txt” is no longer in storage"):
        upload.size  # noqa: B018


def test_sha1_comes_from_the_checksum_s3_verified(s3, s3_calls):
    body = b"checked by S3"
    checksum = hashlib.sha1(body).digest()
    import base64

    s3.client.put_object(
        Bucket=s3.name, Key=KEY, Body=body, ChecksumSHA1=base64.b64encode(checksum).decode()
    )
    s3_calls.clear()
    assert S3UploadedFile(storages["default"], KEY).sha1 == checksum.hex()
    assert [c.operation for c in s3_calls] == ["HeadObject"]


def test_sha1_is_streamed_when_s3_has_none(big):
    assert S3UploadedFile(storages["default"], KEY).sha1 == hashlib.sha1(big).hexdigest()


def test_location_is_honoured(s3, settings):
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(s3.server, s3.name, location="site/media")
    s3.put("site/media/tmp/s3file/x/0/a.txt", b"abc", "text/plain")
    upload = S3UploadedFile(storages["default"], "site/media/tmp/s3file/x/0/a.txt")
    assert upload.storage_name == "tmp/s3file/x/0/a.txt"
    assert upload.read() == b"abc"


def test_an_object_swapped_after_its_check_is_neither_read_nor_copied(s3):
    from django.core.exceptions import SuspiciousOperation

    s3.put(KEY, b"\x89PNG checked image", "image/png")
    upload = S3UploadedFile(storages["default"], KEY)
    assert upload.size == 18  # validation saw this object
    s3.put(KEY, b"<script>swapped in</script>", "image/png")
    with pytest.raises(SuspiciousOperation, match="changed after its check"):
        upload.read()
    with pytest.raises(SuspiciousOperation, match="changed after its check"):
        storages["default"].save("images/x.png", upload)
    assert s3.keys("images/") == []


def test_repr_costs_no_request(s3, s3_calls):
    upload = S3UploadedFile(storages["default"], KEY)
    assert repr(upload) == f"<S3UploadedFile: movie.mp4 ({KEY})>"
    assert s3_calls == []


def test_limits_are_checked_against_what_s3_holds(s3):
    s3.put(KEY, b"<html>" + b"x" * 100, "text/html")
    upload = S3UploadedFile(storages["default"], KEY)
    upload.add_limit(10, "")
    with pytest.raises(ValidationError, match="larger than this field allows"):
        upload.size  # noqa: B018
    other = S3UploadedFile(storages["default"], KEY)
    other.add_limit(10**6, "image/*")
    with pytest.raises(ValidationError, match="not of a type this field accepts"):
        other.size  # noqa: B018


def test_django_image_field_reads_from_a_file_on_disk_not_memory(s3):
    import os

    from django import forms
    from PIL import Image

    picture = io.BytesIO()
    Image.frombytes("RGB", (2500, 2500), os.urandom(2500 * 2500 * 3)).save(picture, "PNG")
    s3.put("tmp/s3file/abc/0/noise.png", picture.getvalue(), "image/png")
    upload = S3UploadedFile(storages["default"], "tmp/s3file/abc/0/noise.png")
    assert upload.size > 17 * MiB
    tracemalloc.start()
    try:
        cleaned = forms.ImageField().clean(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert cleaned.image.size == (2500, 2500)
    assert peak < 5 * MiB  # reading it into memory, as Django does otherwise, takes 18 MiB
    path = upload.temporary_file_path()
    upload.close()
    assert not os.path.exists(path)
