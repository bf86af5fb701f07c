from __future__ import annotations

import pytest

from s3file.backends import LocalBackend
from s3file.rules import Grant, conditions, content_type_condition
from tests.conftest import new_folder


@pytest.mark.parametrize(
    ("accept", "condition"),
    [
        ("", ["starts-with", "$Content-Type", ""]),
        ("*/*", ["starts-with", "$Content-Type", ""]),
        ("image/*", ["starts-with", "$Content-Type", "image/"]),
        ("image/png", ["eq", "$Content-Type", "image/png"]),
        ("IMAGE/PNG", ["eq", "$Content-Type", "image/png"]),
        ("image/png, image/jpeg", ["starts-with", "$Content-Type", "image/"]),
        (".pdf", ["eq", "$Content-Type", "application/pdf"]),
        (".jpg,.png", ["starts-with", "$Content-Type", "image/"]),
        ("image/*,.pdf", ["starts-with", "$Content-Type", ""]),
        ("image/*,video/*", ["starts-with", "$Content-Type", ""]),
        (".unknown-extension", ["starts-with", "$Content-Type", ""]),
        ("nonsense", ["starts-with", "$Content-Type", ""]),
        (",, ,", ["starts-with", "$Content-Type", ""]),
    ],
)
def test_accept_becomes_the_strictest_content_type_condition(accept, condition):
    assert content_type_condition(accept) == condition


def test_folders_are_fresh_and_under_the_upload_path(settings, dev_storage):

    settings.S3FILE_UPLOAD_PATH = "/uploads/incoming/"
    one, two = new_folder(), new_folder()
    assert one != two
    assert one.startswith("uploads/incoming/") and len(one.rsplit("/", 1)[1]) == 32


def test_dev_policy_carries_every_condition(settings, dev_storage):
    from django.core.files.storage import storages

    settings.S3FILE_EXPIRES = 60
    grant = Grant("tmp/s3file/abc", 1000, content_type_condition("image/*"))
    url, fields = LocalBackend(storages["default"]).presign_post(grant)
    assert url.startswith("/__s3file__/?limit=1000&signature=")
    assert fields["key"] == "tmp/s3file/abc/${filename}"
    assert fields["success_action_status"] == "201"
    # The dev endpoint checks the signed grant itself; S3 gets it as these conditions.
    assert LocalBackend.grant(fields) == grant
    assert conditions(grant) == [
        {"success_action_status": "201"},
        ["content-length-range", 0, 1000],
        ["starts-with", "$Content-Type", "image/"],
        ["starts-with", "$x-amz-checksum-sha1", ""],
    ]


def test_storage_name_is_the_key_for_local_storage(dev_storage):
    from django.core.files.storage import storages

    assert LocalBackend(storages["default"]).storage_name("tmp/s3file/a/0/x") == "tmp/s3file/a/0/x"
