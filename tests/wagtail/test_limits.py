"""Wagtail's limits hold, before anything is uploaded, and read as Wagtail's own messages."""

from __future__ import annotations

import pytest
from django.core.validators import FileExtensionValidator
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from tests.browser.conftest import events
from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, sha1, write

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
    WAGTAIL_RENDITION_LEAK,
]


def test_image_too_large_wrong_extension_and_duplicate(admin_page, s3, settings, tmp_path):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 200_000
    field = WagtailImageField()
    existing = image_bytes(120, 90, seed=7)
    s3.put("original_images/existing.png", existing, "image/png")
    get_image_model().objects.create(
        title="existing",
        file="original_images/existing.png",
        width=120,
        height=90,
        file_size=len(existing),
        file_hash=sha1(existing),
    )
    files = [
        write(tmp_path / "huge.png", image_bytes(400, 300)),  # about 360 kB
        write(tmp_path / "notes.txt", b"not an image"),
        write(tmp_path / "copy.png", existing),
    ]

    admin_page.goto(admin_page.admin_url + "images/multiple/add/")
    admin_page.set_input_files("#fileupload", files)
    rows = admin_page.locator("#upload-list > li")
    huge, notes, copy = rows.nth(0), rows.nth(1), rows.nth(2)
    expect(copy).to_have_class(re_class("upload-duplicate"))
    expect(copy).to_contain_text("seems to be a duplicate")
    expect(huge).to_have_class(re_class("upload-failure"))
    expect(huge.locator(".error_messages")).to_have_text(
        field.error_messages["file_too_large_unknown_size"]
    )
    expect(notes).to_have_class(re_class("upload-failure"))
    expect(notes.locator(".error_messages")).to_have_text(
        field.error_messages["invalid_image_extension"]
    )

    # Only the duplicate went to S3 (and is in place now); the others were stopped first.
    assert [e["file"] for e in events(admin_page, "file-start")] == ["copy.png"]
    assert s3.keys(prefix="tmp/") == []
    assert s3.keys(prefix="original_images/") == [
        "original_images/copy.png",
        "original_images/existing.png",
    ]
    assert get_image_model().objects.get(title="copy").file_hash == sha1(existing)


def test_document_with_an_extension_wagtail_refuses(admin_page, s3, settings, tmp_path):
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf", "txt"]
    message = FileExtensionValidator.message % {
        "extension": "exe",
        "allowed_extensions": "pdf, txt",
    }

    admin_page.goto(admin_page.admin_url + "documents/multiple/add/")
    admin_page.set_input_files(
        "#fileupload", [write(tmp_path / "tool.exe", b"MZ"), write(tmp_path / "ok.txt", b"ok")]
    )
    rows = admin_page.locator("#upload-list > li")
    expect(rows.nth(1)).to_have_class(re_class("upload-success"))
    expect(rows.nth(0)).to_have_class(re_class("upload-failure"))
    expect(rows.nth(0).locator(".error_messages")).to_have_text(message)

    assert [e["file"] for e in events(admin_page, "file-start")] == ["ok.txt"]
    assert s3.keys() == ["documents/ok.txt"]
    assert [d.title for d in get_document_model().objects.all()] == ["ok"]


def test_image_form_refuses_a_large_file_before_uploading(
    admin_page, s3, settings, tmp_path, artifacts
):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 200_000
    message = WagtailImageField().error_messages["file_too_large_unknown_size"]

    admin_page.goto(admin_page.admin_url + "images/add/")
    admin_page.get_by_label("File").set_input_files(
        write(tmp_path / "huge.png", image_bytes(400, 300))
    )
    expect(admin_page.get_by_label("Title")).to_have_value("huge")
    admin_page.get_by_role("button", name="Upload").click()

    field = admin_page.locator("[data-field]:has(input[type=file])")
    expect(field.locator(".error-message")).to_have_text(message)
    expect(field).to_have_class(re_class("w-field--error"))
    # The button is given back; nothing reached S3 or the database.
    expect(admin_page.get_by_role("button", name="Upload")).to_be_enabled()
    admin_page.emulate_media(color_scheme="dark")
    admin_page.screenshot(path=artifacts / "wagtail-image-form-too-large-dark.png")
    assert events(admin_page, "file-start") == []
    assert s3.keys() == []
    assert not get_image_model().objects.exists()


def re_class(name: str):
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
