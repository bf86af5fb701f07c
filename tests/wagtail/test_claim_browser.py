"""Wagtail documents uploaded in parts into their final folder (``S3FILE_CLAIM``), in Chromium
against SeaweedFS: the browser hashes each file (SHA-1) while its parts travel and posts the
hash with the key, so saving reads no byte of it (Wagtail's ``file_hash``)."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from tests.wagtail.conftest import sha1, write
from tests.wagtail.test_kept import choose, fail_on_the_title, kept_block, save_again

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
MiB = 1024 * 1024


@pytest.fixture
def claiming(settings):
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS: files go in parts, which carry the tag
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB


@pytest.mark.usefixtures("claiming")
def test_a_document_kept_then_saved_takes_the_browsers_sha1_and_is_never_read(
    admin_page, s3, s3_calls, s3_bytes_read, tmp_path
):
    data = random.Random(19).randbytes(11 * MiB)  # three parts
    admin_page.goto(admin_page.admin_url + "documents/add/")
    choose(admin_page, write(tmp_path / "survey.pdf", data))
    fail_on_the_title(admin_page, "Upload")  # the SHA-1 is posted again with the kept key
    expect(kept_block(admin_page)).to_contain_text("survey.pdf")
    [key] = s3.keys("documents/")

    assert save_again(admin_page, s3, "Upload", "Survey") == []
    document = get_document_model().objects.get()
    assert (document.file.name, document.file_size) == (key, len(data))
    assert document.file_hash == sha1(data)
    operations = {call.operation for call in s3_calls}
    assert "UploadPart" not in operations  # the parts went from the browser
    assert not {"GetObject", "CopyObject", "UploadPartCopy"} & operations
    assert s3_bytes_read.total == 0
    assert s3.read(key) == data


@pytest.mark.usefixtures("claiming")
def test_the_multiple_upload_saves_documents_with_the_browsers_sha1(
    admin_page, s3, s3_calls, s3_bytes_read, tmp_path
):
    rng = random.Random(20)
    documents = {"one.pdf": rng.randbytes(6 * MiB), "two.pdf": rng.randbytes(7 * MiB + 3)}
    paths = [write(tmp_path / name, data) for name, data in documents.items()]

    admin_page.goto(admin_page.admin_url + "documents/multiple/add/")
    admin_page.set_input_files("#fileupload", paths)
    rows = admin_page.locator("#upload-list > li")
    expect(rows.and_(admin_page.locator(".upload-success"))).to_have_count(2)

    saved = {d.title: d for d in get_document_model().objects.all()}
    assert {title: d.file_hash for title, d in saved.items()} == {
        "one": sha1(documents["one.pdf"]),
        "two": sha1(documents["two.pdf"]),
    }
    assert all(d.file.name.startswith("documents/") for d in saved.values())
    assert s3_bytes_read.total == 0
    assert not {"GetObject", "CopyObject", "UploadPartCopy"} & {c.operation for c in s3_calls}
