"""Uploads saved where they lie (``S3FILE_CLAIM``), against SeaweedFS.

SeaweedFS refuses a ``tagging`` field in POST policies, so these tests run with
``S3FILE_POST_TAGGING = False``: files go in parts, tagged by CreateMultipartUpload (which
SeaweedFS stores). The POST with its tag is tested against moto (``test_claim_moto.py``).
"""

from __future__ import annotations

import base64
import json

import pytest
import requests
from django.core.files.storage import storages

from s3file.files import S3UploadedFile
from tests.claims import inputs, key_template, submit, tags, upload
from tests.testapp.models import Document, Scan

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
MiB = 1024 * 1024
PENDING = [{"Key": "s3file", "Value": "pending"}]
COPIES = {"CopyObject", "UploadPartCopy"}


@pytest.fixture
def claims(settings, s3):
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS stores no tag from a POST
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    return s3


def body(size: int) -> bytes:
    return bytes(range(256)) * (size // 256) + b"x" * (size % 256)


def operations(calls) -> list[str]:
    return [call.operation for call in calls]


def test_a_string_upload_to_file_is_saved_where_it_was_uploaded_without_a_copy(
    client, claims, s3_calls
):
    found = inputs(client, "/upload/")
    # The model's field says documents/; the form's own field (no model) keeps the upload folder.
    assert key_template(found["file"]).startswith("documents/")
    assert key_template(found["others"]).startswith("tmp/s3file/")
    data = body(11 * MiB + 3)
    key = upload(client, found["file"], "report.pdf", data, "application/pdf")
    assert tags(claims, key) == PENDING  # CreateMultipartUpload tagged it
    s3_calls.clear()

    response = submit(client, "/upload/", found["file"], "file", key, title="Claimed")
    ops = operations(s3_calls)  # Django's; the test's own reads follow

    assert response.status_code == 200
    document = Document.objects.get()
    assert document.file.name == key
    assert key.startswith("documents/") and key.endswith("/report.pdf")
    assert claims.keys() == [key]
    assert claims.read(key) == data
    assert claims.head(key)["ContentType"] == "application/pdf"
    assert tags(claims, key) == []  # claimed: the lifecycle rule no longer matches it
    assert not COPIES & set(ops)
    assert "DeleteObject" not in ops and "PutObject" not in ops and "GetObject" not in ops
    assert "DeleteObjectTagging" in ops


def test_same_named_uploads_get_subfolders_of_their_own(client, claims):
    first = inputs(client, "/upload/")["file"]
    second = inputs(client, "/upload/")["file"]
    assert key_template(first) != key_template(second)
    keys = [
        upload(client, first, "same.pdf", body(6 * MiB), "application/pdf"),
        upload(client, first, "same.pdf", body(7 * MiB), "application/pdf"),
        upload(client, second, "same.pdf", body(8 * MiB), "application/pdf"),
    ]
    for attrs, key in zip([first, first, second], keys, strict=True):
        assert submit(client, "/upload/", attrs, "file", key, title="t").status_code == 200
    names = sorted(Document.objects.values_list("file", flat=True))
    assert names == sorted(keys) and len(set(keys)) == 3
    sizes = sorted(len(claims.read(key)) for key in keys)
    assert sizes == [6 * MiB, 7 * MiB, 8 * MiB]


def test_an_input_cannot_upload_over_another_object_in_its_folder(client, claims):
    claims.put("documents/report.pdf", b"saved before", "application/pdf")
    attrs = inputs(client, "/upload/")["file"]
    fields = json.loads(attrs["data-s3f-fields"])
    # S3 holds the POST to its signed subfolder...
    post = {**fields, "key": "documents/report.pdf", "Content-Type": "application/pdf"}
    answer = requests.post(attrs["data-s3f-url"], data=post, files={"file": ("r", b"x")})
    assert answer.status_code == 403
    # ... and the multipart API its uploads.
    base = json.loads(attrs["data-s3f-multipart"])["url"]
    create = {"token": attrs["data-s3f-signature"], "key": "documents/report.pdf"}
    create |= {"size": 6 * MiB, "contentType": "application/pdf"}
    answer = client.post(f"{base}create/", json.dumps(create), content_type="application/json")
    assert answer.status_code == 403
    assert claims.read("documents/report.pdf") == b"saved before"


def test_a_callable_upload_to_still_uploads_to_the_upload_folder_and_copies(
    client, claims, s3_calls
):
    attrs = inputs(client, "/scans/")["file"]
    assert key_template(attrs).startswith("tmp/s3file/")
    data = body(6 * MiB)
    key = upload(client, attrs, "scan.pdf", data, "application/pdf")
    s3_calls.clear()
    assert submit(client, "/scans/", attrs, "file", key).status_code == 200
    ops = operations(s3_calls)
    assert Scan.objects.get().file.name == "scans/scan.pdf"
    assert claims.keys() == ["scans/scan.pdf"]
    assert claims.read("scans/scan.pdf") == data
    assert "CopyObject" in ops
    # The upload was an attachment (multipart uploads are created so); the copy is not.
    assert "ContentDisposition" not in claims.head("scans/scan.pdf")


def test_saving_a_claimed_upload_again_copies_it_and_keeps_the_first(client, claims, s3_calls):
    attrs = inputs(client, "/upload/")["file"]
    data = body(6 * MiB)
    key = upload(client, attrs, "twice.pdf", data, "application/pdf")
    # One upload saved by two objects (as a view that attaches it twice): no second claim.
    uploaded = S3UploadedFile(storages["default"], key)
    Document.objects.create(title="one", file=uploaded)
    s3_calls.clear()
    Document.objects.create(title="two", file=uploaded)
    ops = operations(s3_calls)
    one, two = (d.file.name for d in Document.objects.order_by("pk"))
    assert one == key and two == "documents/twice.pdf"
    assert claims.read(one) == data and claims.read(two) == data
    assert "CopyObject" in ops and "DeleteObject" not in ops
    assert claims.head(one)["ContentDisposition"] == "attachment"  # claimed: as uploaded
    assert "ContentDisposition" not in claims.head(two)  # copied: the storage's parameters


def test_a_claimed_object_stays_an_attachment(client, claims):
    """S3 changes an object's metadata only by copying it, which the claim exists to avoid:
    the final object keeps the ``Content-Disposition: attachment`` it was uploaded with."""
    attrs = inputs(client, "/upload/")["file"]
    key = upload(client, attrs, "page.html", b"<h1>hi</h1>" * 600_000, "text/html")
    assert submit(client, "/upload/", attrs, "file", key, title="page").status_code == 200
    assert Document.objects.get().file.name == key
    head = claims.head(key)
    assert (head["ContentDisposition"], head["ContentType"]) == ("attachment", "text/html")


def test_a_second_submit_of_a_claimed_upload_saves_nothing(client, claims, s3_calls):
    """Issue 20, item 11: the same key posted again (the form submitted twice) is the
    field's error, neither claimed again nor copied."""
    attrs = inputs(client, "/upload/")["file"]
    data = body(6 * MiB)
    key = upload(client, attrs, "twice.pdf", data, "application/pdf")
    assert submit(client, "/upload/", attrs, "file", key, title="one").status_code == 200
    s3_calls.clear()
    response = submit(client, "/upload/", attrs, "file", key, title="two")
    ops = operations(s3_calls)
    assert response.status_code == 200
    assert "“twice.pdf” was saved already" in response.content.decode()
    assert [d.file.name for d in Document.objects.all()] == [key]
    assert claims.keys() == [key]
    assert not COPIES & set(ops)
    assert "GetObjectTagging" not in ops and "DeleteObject" not in ops


def test_a_key_longer_than_the_field_allows_is_copied_to_a_shorter_name(client, claims):
    attrs = inputs(client, "/upload/")["file"]
    name = "a-rather-long-file-name-that-does-not-fit-in-one-hundred-characters.pdf"
    key = upload(client, attrs, name, body(6 * MiB), "application/pdf")
    assert len(key) > 100
    assert submit(client, "/upload/", attrs, "file", key, title="long").status_code == 200
    saved = Document.objects.get().file.name
    assert len(saved) <= 100 and saved.startswith("documents/a-rather-long")
    # The upload stays where it was, with its tag: the lifecycle rule removes it.
    assert tags(claims, key) == PENDING
    # The copy is saved: it has no pending tag, so the rule leaves it.
    assert tags(claims, saved) == []


def test_a_storage_writing_more_than_the_type_copies(client, claims, settings, s3_calls):
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(
        claims.server, claims.name, object_parameters={"CacheControl": "max-age=60"}
    )
    attrs = inputs(client, "/upload/")["file"]
    key = upload(client, attrs, "cached.pdf", body(6 * MiB), "application/pdf")
    s3_calls.clear()
    assert submit(client, "/upload/", attrs, "file", key, title="c").status_code == 200
    ops = operations(s3_calls)
    assert Document.objects.get().file.name == "documents/cached.pdf"
    assert claims.head("documents/cached.pdf")["CacheControl"] == "max-age=60"
    assert "CopyObject" in ops
    assert tags(claims, "documents/cached.pdf") == []


def test_an_upload_into_the_upload_folder_is_never_claimed(claims):
    claims.put("tmp/s3file/abc/def/photo.jpg", b"jpeg", "image/jpeg")
    storage = storages["default"]
    name = storage.save(
        "tmp/s3file/abc/photo.jpg", S3UploadedFile(storage, "tmp/s3file/abc/def/photo.jpg")
    )
    assert name == "tmp/s3file/abc/photo.jpg"


def test_without_the_setting_inputs_upload_to_the_upload_folder(client, claims, settings):
    settings.S3FILE_CLAIM = False
    assert key_template(inputs(client, "/upload/")["file"]).startswith("tmp/s3file/")


def test_without_post_tagging_a_post_carries_one_byte_at_most(client, claims):
    attrs = inputs(client, "/upload/")["file"]
    assert json.loads(attrs["data-s3f-multipart"])["threshold"] == 1
    fields = json.loads(attrs["data-s3f-fields"])
    assert "tagging" not in fields
    key = fields["key"].replace("${filename}", "0/two.txt")
    post = {**fields, "key": key, "Content-Type": "text/plain"}
    answer = requests.post(attrs["data-s3f-url"], data=post, files={"file": ("two.txt", b"ab")})
    assert answer.status_code == 400 and "EntityTooLarge" in answer.text


def test_apply_writes_a_rule_expiring_unclaimed_uploads_that_claimed_ones_escape(
    client, claims, settings
):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from s3file.management.commands.s3file_bucket import (
        ABORT_RULE_ID,
        UNCLAIMED_RULE_ID,
        matches,
    )

    settings.S3FILE_CORS_ORIGINS = ["https://www.example.com"]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("s3file_bucket", "--check", stdout=StringIO(), stderr=err)
    assert "uploads tagged s3file=pending under the bucket do not expire" in err.getvalue()
    out = StringIO()
    call_command("s3file_bucket", "--apply", stdout=out)
    assert f"Lifecycle rule {UNCLAIMED_RULE_ID} written" in out.getvalue()
    assert "ready for direct uploads" in out.getvalue()

    attrs = inputs(client, "/upload/")["file"]
    unclaimed = upload(client, attrs, "left.pdf", body(6 * MiB), "application/pdf")
    claimed = upload(client, attrs, "kept.pdf", body(6 * MiB), "application/pdf")
    assert submit(client, "/upload/", attrs, "file", claimed, title="kept").status_code == 200
    # The rules as SeaweedFS stored them, and each object's tags as it reports them.
    config = claims.client.get_bucket_lifecycle_configuration(Bucket=claims.name)
    rules = {rule["ID"]: rule for rule in config["Rules"]}
    assert rules[UNCLAIMED_RULE_ID]["Expiration"] == {"Days": 2}
    assert rules[ABORT_RULE_ID]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2}

    def expiring(key: str) -> list[str]:
        found = {tag["Key"]: tag["Value"] for tag in tags(claims, key)}
        return [i for i, r in rules.items() if "Expiration" in r and matches(r, key, found)]

    assert expiring(unclaimed) == [UNCLAIMED_RULE_ID]
    assert expiring(claimed) == []
    assert Document.objects.get().file.name == claimed


def test_with_post_tagging_the_policy_demands_the_pending_tag(client, claims, settings):
    # AWS S3 takes a tagging field in POST policies (SeaweedFS and moto 5 do not: there
    # the policy is checked, the tag is not stored), so this is the policy only.
    settings.S3FILE_POST_TAGGING = True
    attrs = inputs(client, "/upload/")["file"]
    fields = json.loads(attrs["data-s3f-fields"])
    xml = "<Tagging><TagSet><Tag><Key>s3file</Key><Value>pending</Value></Tag></TagSet></Tagging>"
    assert fields["tagging"] == xml
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"tagging": xml} in policy["conditions"]
    assert ["content-length-range", 0, 5 * 1024**3] in policy["conditions"]
    assert json.loads(attrs["data-s3f-multipart"])["threshold"] == 64 * MiB
    # The upload folder's inputs carry no tag.
    assert "tagging" not in json.loads(inputs(client, "/scans/")["file"]["data-s3f-fields"])
