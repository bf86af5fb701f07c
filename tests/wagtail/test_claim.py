"""Wagtail's documents and images saved where the browser uploaded them (``S3FILE_CLAIM``),
against SeaweedFS (files in parts, which carry the pending tag: see tests/s3/test_claim.py)."""

from __future__ import annotations

import hashlib

import pytest

from devtools.images import noise
from tests.claims import inputs, key_template, submit, tags, upload

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
MiB = 1024 * 1024
COPIES = {"CopyObject", "UploadPartCopy"}


@pytest.fixture
def editor_client(client, settings, s3, editor, wagtail_site):
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS stores no tag from a POST
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    client.force_login(editor)
    return client


def root_collection() -> int:
    from wagtail.models import Collection

    return int(Collection.get_first_root_node().pk)


def test_a_document_is_saved_where_it_was_uploaded_without_a_copy(editor_client, s3, s3_calls):
    from wagtail.documents.models import Document

    url = "/cms/documents/add/"
    attrs = inputs(editor_client, url)["file"]
    assert key_template(attrs).startswith("documents/")
    data = bytes(range(256)) * (6 * MiB // 256)
    key = upload(editor_client, attrs, "handbook.pdf", data, "application/pdf")
    s3_calls.clear()

    response = submit(
        editor_client, url, attrs, "file", key, title="Handbook", collection=root_collection()
    )
    ops = [call.operation for call in s3_calls]

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name == key
    assert document.file_size == len(data)
    assert document.file_hash == hashlib.sha1(data).hexdigest()  # posted none: read once
    assert s3.keys() == [key]
    assert s3.read(key) == data
    assert tags(s3, key) == []
    assert not COPIES & set(ops) and "DeleteObject" not in ops


def test_an_image_is_saved_where_it_was_uploaded_without_a_copy(editor_client, s3, s3_calls):
    from wagtail.images import get_image_model

    url = "/cms/images/add/"
    attrs = inputs(editor_client, url)["file"]
    assert key_template(attrs).startswith("original_images/")
    data = noise(1400, 1400)  # random pixels: a PNG over 5 MiB, in two parts
    assert len(data) > 5 * MiB
    key = upload(editor_client, attrs, "noise.png", data, "image/png")
    s3_calls.clear()

    response = submit(
        editor_client, url, attrs, "file", key, title="Noise", collection=root_collection()
    )
    ops = [call.operation for call in s3_calls]

    assert response.status_code == 302, response.content[:2000]
    image = get_image_model().objects.get()
    assert image.file.name == key
    assert (image.width, image.height) == (1400, 1400)
    assert s3.read(key) == data
    assert tags(s3, key) == []
    assert not COPIES & set(ops) and "DeleteObject" not in ops


def test_a_claimed_document_takes_the_sha1_the_browser_posted_and_reads_no_byte(
    editor_client, s3, s3_calls
):
    from wagtail.documents.models import Document

    url = "/cms/documents/add/"
    attrs = inputs(editor_client, url)["file"]
    data = bytes(range(256)) * (6 * MiB // 256)
    key = upload(editor_client, attrs, "handbook.pdf", data, "application/pdf")
    digest = hashlib.sha1(data).hexdigest()
    s3_calls.clear()

    # As the script posts a file it sent in parts.
    fields = {
        "title": "Handbook",
        "collection": root_collection(),
        "file-s3f-sha1": f"{digest}:{key}",
    }
    response = submit(editor_client, url, attrs, "file", key, **fields)
    ops = [call.operation for call in s3_calls]

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.file.name, document.file_size, document.file_hash) == (
        key,
        len(data),
        digest,
    )
    assert "GetObject" not in ops
    assert not COPIES & set(ops)
    assert tags(s3, key) == []


@pytest.mark.parametrize("trusted", [True, False])
def test_the_browsers_sha1_is_its_word_unless_the_site_trusts_it_not(
    editor_client, settings, s3, s3_calls, trusted
):
    from wagtail.documents.models import Document

    settings.S3FILE_TRUST_BROWSER_SHA1 = trusted
    url = "/cms/documents/add/"
    attrs = inputs(editor_client, url)["file"]
    data = b"%PDF-1.7 " * 1000
    key = upload(editor_client, attrs, "notes.pdf", data, "application/pdf")
    s3_calls.clear()

    # Not the file's SHA-1: S3 cannot tell.
    fields = {
        "title": "Notes",
        "collection": root_collection(),
        "file-s3f-sha1": f"{'ab' * 20}:{key}",
    }
    submit(editor_client, url, attrs, "file", key, **fields)

    document = Document.objects.get()
    assert document.file_hash == ("ab" * 20 if trusted else hashlib.sha1(data).hexdigest())
    assert ("GetObject" in [call.operation for call in s3_calls]) is not trusted
