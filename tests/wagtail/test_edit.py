"""Replacing the file of an image or a document on its edit view uploads straight to S3."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, sha1, write

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
    WAGTAIL_RENDITION_LEAK,
]


def test_replace_an_images_file(admin_page, s3, s3_calls, tmp_path, artifacts):
    old = image_bytes(300, 200, seed=1)
    new = image_bytes(640, 360, seed=2)
    s3.put("original_images/old.png", old, "image/png")
    image = get_image_model().objects.create(
        title="Harbour", file="original_images/old.png", width=300, height=200
    )

    admin_page.goto(f"{admin_page.admin_url}images/{image.pk}/")
    admin_page.locator("input[type=file][name=file]").set_input_files(
        write(tmp_path / "new.png", new)
    )
    admin_page.screenshot(path=artifacts / "wagtail-image-edit.png")
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator(".messages")).to_contain_text("Harbour")

    image.refresh_from_db()
    assert image.file.name == "original_images/new.png"
    assert (image.width, image.height) == (640, 360)
    assert (image.file_size, image.file_hash) == (len(new), sha1(new))
    assert image.title == "Harbour"
    assert s3.read("original_images/new.png") == new
    # The old file is gone with its renditions, the upload is in place, S3 copied it.
    assert s3.keys(prefix="original_images/") == ["original_images/new.png"]
    assert s3.keys(prefix="tmp/") == []
    assert "CopyObject" in [call.operation for call in s3_calls]


def test_replace_a_documents_file(admin_page, s3, tmp_path):
    s3.put("documents/old.pdf", b"%PDF old", "application/pdf")
    document = get_document_model().objects.create(title="Terms", file="documents/old.pdf")
    new = b"%PDF-1.7 the new terms\n" * 5000

    admin_page.goto(f"{admin_page.admin_url}documents/edit/{document.pk}/")
    admin_page.locator("input[type=file][name=file]").set_input_files(
        write(tmp_path / "terms-2.pdf", new)
    )
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator(".messages")).to_contain_text("Terms")

    document.refresh_from_db()
    assert document.file.name == "documents/terms-2.pdf"
    assert (document.file_size, document.file_hash) == (len(new), sha1(new))
    assert s3.keys() == ["documents/terms-2.pdf"]
    assert s3.read("documents/terms-2.pdf") == new
