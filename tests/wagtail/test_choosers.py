"""The page editor's image and document choosers upload straight to S3, then select the file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, sha1, write
from tests.wagtailapp.models import ArticlePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
    WAGTAIL_RENDITION_LEAK,
]


@pytest.fixture
def article(wagtail_site):
    return wagtail_site.add_child(instance=ArticlePage(title="Article", slug="article"))


def test_choosers_upload_and_select_then_the_page_saves(
    admin_page, article, s3, s3_calls, tmp_path, artifacts
):
    photo = image_bytes(800, 600, seed=1)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 4000

    admin_page.goto(f"{admin_page.admin_url}pages/{article.pk}/edit/")
    image_field = admin_page.locator("[data-field-input]:has(input[name=image])")
    image_field.get_by_role("button", name="Choose an image").click()
    modal = admin_page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(write(tmp_path / "sunset.png", photo))
    # Wagtail fills the title in from the file's name (after a short debounce).
    expect(modal.get_by_label("Title")).to_have_value("sunset")
    admin_page.screenshot(path=artifacts / "wagtail-image-chooser-upload.png")
    modal.get_by_role("button", name="Upload").click()
    expect(image_field).to_contain_text("sunset")
    expect(modal).to_have_count(0)

    document_field = admin_page.locator("[data-field-input]:has(input[name=document])")
    document_field.get_by_role("button", name="Choose a document").click()
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(write(tmp_path / "minutes.pdf", pdf))
    expect(modal.get_by_label("Title")).to_have_value("minutes")
    modal.get_by_role("button", name="Upload").click()
    expect(document_field).to_contain_text("minutes")
    admin_page.screenshot(path=artifacts / "wagtail-choosers-selected.png")

    admin_page.get_by_role("button", name="Save draft").click()
    expect(admin_page.locator(".messages")).to_contain_text("has been updated")

    saved = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    image = get_image_model().objects.get()
    document = get_document_model().objects.get()
    assert saved.image == image and saved.document == document
    assert (image.title, image.width, image.height) == ("sunset", 800, 600)
    assert (image.file_size, image.file_hash) == (len(photo), sha1(photo))
    assert (document.title, document.file_size, document.file_hash) == (
        "minutes",
        len(pdf),
        sha1(pdf),
    )
    # In place, temporary uploads gone; the chooser's thumbnail was rendered from S3 too.
    assert s3.keys(prefix="documents/") == ["documents/minutes.pdf"]
    assert s3.keys(prefix="original_images/") == ["original_images/sunset.png"]
    assert s3.keys(prefix="tmp/") == []
    assert s3.keys(prefix="images/") == ["images/sunset.max-165x165.png"]
    assert s3.read("original_images/sunset.png") == photo
    # Django sent no byte of the originals: S3 copied them into place.
    puts = [call.params["Key"] for call in s3_calls if call.operation == "PutObject"]
    assert puts == ["images/sunset.max-165x165.png"]


def test_rich_text_image_chooser_uploads_then_inserts_the_image(admin_page, article, s3, tmp_path):
    photo = image_bytes(500, 300, seed=2)

    admin_page.goto(f"{admin_page.admin_url}pages/{article.pk}/edit/")
    editor = admin_page.locator(".Draftail-Editor [contenteditable=true]")
    editor.click()
    editor.type("/")
    admin_page.get_by_role("option", name="Image").click()
    modal = admin_page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(write(tmp_path / "lake.png", photo))
    expect(modal.get_by_label("Title")).to_have_value("lake")
    modal.get_by_role("button", name="Upload").click()
    # Wagtail's next step for rich text: the image's format and alt text.
    modal.get_by_label("Alt text").fill("A lake")
    modal.get_by_label("Full width").check()
    modal.get_by_role("button", name="Insert image").click()
    expect(admin_page.locator(".Draftail-Editor img")).to_have_count(1)
    # Draftail writes its content into the form's field a moment after an edit (debounced).
    expect(admin_page.locator("input[name=body]")).to_have_value(
        re.compile(r"\"type\": ?\"IMAGE\"")
    )
    admin_page.get_by_role("button", name="Save draft").click()
    expect(admin_page.locator(".messages")).to_contain_text("has been updated")

    image = get_image_model().objects.get()
    assert (image.title, image.width, image.height, image.file_hash) == (
        "lake",
        500,
        300,
        sha1(photo),
    )
    body = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().body
    assert f'embedtype="image" format="fullwidth" id="{image.pk}"' in body
    assert s3.read("original_images/lake.png") == photo
