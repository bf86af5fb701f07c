"""Wagtail's documents and images saved where the browser uploaded them (``S3FILE_CLAIM``),
against SeaweedFS (files in parts, which carry the pending tag: see tests/s3/test_claim.py)."""

from __future__ import annotations

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
