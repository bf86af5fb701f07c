"""S3OptimizedUploadStorage against SeaweedFS: server-side copy, parameters, fallbacks."""

from __future__ import annotations

import pytest
from boto3.s3.transfer import TransferConfig
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages

from s3file.files import S3UploadedFile
from tests.conftest import s3_storage_settings

pytestmark = pytest.mark.s3
MiB = 1024 * 1024
TEMP = "tmp/s3file/abc/0/photo.jpg"


def operations(calls) -> list[str]:
    return [call.operation for call in calls]


def test_an_upload_is_copied_inside_s3_and_the_temp_object_deleted(s3, s3_calls):
    s3.put(TEMP, b"\xff\xd8 jpeg bytes", "image/jpeg")
    s3_calls.clear()
    upload = S3UploadedFile(storages["default"], TEMP)
    name = storages["default"].save("photos/photo.jpg", upload)
    assert name == "photos/photo.jpg"
    assert s3.read("photos/photo.jpg") == b"\xff\xd8 jpeg bytes"
    assert s3.head("photos/photo.jpg")["ContentType"] == "image/jpeg"
    assert s3.keys() == ["photos/photo.jpg"]
    ops = operations(s3_calls)
    assert "CopyObject" in ops and "DeleteObject" in ops
    assert "GetObject" not in ops[: ops.index("DeleteObject")]
    assert "PutObject" not in ops


def test_object_parameters_and_acl_are_applied(s3, settings):
    settings.STORAGES = s3_storage_settings(
        s3.server,
        s3.name,
        object_parameters={"CacheControl": "max-age=86400", "Metadata": {"origin": "s3file"}},
        default_acl="private",
    )
    s3.put(TEMP, b"data", "image/jpeg")
    storages["default"].save("photos/p.jpg", S3UploadedFile(storages["default"], TEMP))
    head = s3.head("photos/p.jpg")
    assert head["CacheControl"] == "max-age=86400"
    assert head["Metadata"] == {"origin": "s3file"}
    assert head["ContentType"] == "image/jpeg"


def test_temp_object_kept_when_deletion_is_off(s3, settings):
    settings.S3FILE_DELETE_TEMP_FILES = False
    s3.put(TEMP, b"data")
    storages["default"].save("photos/p.jpg", S3UploadedFile(storages["default"], TEMP))
    assert s3.keys() == ["photos/p.jpg", TEMP]


def test_a_wrapped_upload_is_still_copied(s3, s3_calls):
    s3.put(TEMP, b"data")
    s3_calls.clear()
    storages["default"].save("p.jpg", File(S3UploadedFile(storages["default"], TEMP)))
    assert "CopyObject" in operations(s3_calls)
    assert "PutObject" not in operations(s3_calls)


def test_other_content_is_uploaded_as_usual(s3, s3_calls):
    name = storages["default"].save("notes/n.txt", ContentFile(b"typed in a form"))
    assert s3.read(name) == b"typed in a form"
    assert "PutObject" in operations(s3_calls) and "CopyObject" not in operations(s3_calls)


def test_above_the_threshold_the_copy_goes_in_parts(s3, settings, s3_calls):
    """What objects over 5 GiB get, with the threshold lowered from 1 GiB to 5 MiB."""
    settings.STORAGES = s3_storage_settings(
        s3.server, s3.name, copy_threshold=5 * MiB, copy_chunksize=5 * MiB
    )
    body = bytes(range(256)) * (12 * MiB // 256)
    s3.put(TEMP, body)
    storages["default"].save("big/b.bin", S3UploadedFile(storages["default"], TEMP))
    ops = operations(s3_calls)
    assert ops.count("UploadPartCopy") == 3
    assert "CompleteMultipartUpload" in ops and "CopyObject" not in ops
    assert s3.read("big/b.bin") == body
    assert s3.keys() == ["big/b.bin"]


def test_below_the_threshold_one_copy_object_whatever_the_upload_config(s3, settings, s3_calls):
    settings.STORAGES = s3_storage_settings(
        s3.server, s3.name, transfer_config=TransferConfig(multipart_threshold=5 * MiB)
    )
    s3.put(TEMP, b"x" * (12 * MiB))
    s3_calls.clear()
    storages["default"].save("big/b.bin", S3UploadedFile(storages["default"], TEMP))
    ops = operations(s3_calls)
    assert ops.count("CopyObject") == 1 and "UploadPartCopy" not in ops


def test_location_is_honoured(s3, settings):
    settings.STORAGES = s3_storage_settings(s3.server, s3.name, location="site")
    s3.put("site/" + TEMP, b"data")
    storages["default"].save("p.jpg", S3UploadedFile(storages["default"], "site/" + TEMP))
    assert s3.keys() == ["site/p.jpg"]


def test_gzip_content_is_compressed_through_python(s3, settings):
    settings.STORAGES = s3_storage_settings(s3.server, s3.name, gzip=True)
    s3.put("tmp/s3file/abc/0/a.css", b"body { color: red }" * 100, "text/css")
    upload = S3UploadedFile(storages["default"], "tmp/s3file/abc/0/a.css")
    storages["default"].save("a.css", upload)
    assert s3.head("a.css")["ContentEncoding"] == "gzip"


def test_one_upload_saved_twice_is_copied_twice(s3, s3_calls):
    s3.put(TEMP, b"shared attachment", "image/jpeg")
    upload = S3UploadedFile(storages["default"], TEMP)
    first = storages["default"].save("a/photo.jpg", upload)
    second = storages["default"].save("b/photo.jpg", upload)
    assert s3.keys() == [first, second]
    assert s3.read(second) == b"shared attachment"
    copies = [c.params["CopySource"]["Key"] for c in s3_calls if c.operation == "CopyObject"]
    assert copies == [TEMP, first]
    assert upload.read() == b"shared attachment"


def test_a_file_of_another_s3_field_is_copied_not_downloaded(s3, s3_calls):
    storage = storages["default"]
    storage.save("originals/report.pdf", ContentFile(b"%PDF original", name="report.pdf"))
    s3_calls.clear()
    with storage.open("originals/report.pdf") as original:
        name = storage.save("copies/report.pdf", File(original))
    ops = operations(s3_calls)
    assert "CopyObject" in ops and "GetObject" not in ops and "PutObject" not in ops
    assert s3.read(name) == b"%PDF original"
    assert s3.keys() == ["copies/report.pdf", "originals/report.pdf"]  # the original stays
