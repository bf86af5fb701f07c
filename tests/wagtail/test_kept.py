"""Issue 19, part 1, in Wagtail's admin (Chromium, SeaweedFS): the add and edit views of images,
documents and wagtailmedia files keep their upload when the form comes back with an error, and
save it without a request to S3."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtailmedia.models import get_media_model

from tests.browser.conftest import events, requests_to
from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, sha1, write

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
    WAGTAIL_RENDITION_LEAK,
]
REQUIRED = "This field is required."


def choose(page, path, name: str = "file") -> None:
    """Choose ``path``, and let Wagtail fill the (emptied) title in from its name."""
    title = page.get_by_label("Title")
    title.fill("")
    page.locator(f"input[type=file][name={name}]").set_input_files(path)
    expect(title).not_to_have_value("")  # Wagtail's sync has run, and will not run again


def fail_on_the_title(page, button: str) -> None:
    """Submit with the title emptied: Wagtail's forms are `novalidate`, so the server refuses
    it, after the upload."""
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name=button).click()
    expect(page.locator("[data-field]:has(#id_title)")).to_contain_text(REQUIRED)


def save_again(page, s3, button: str, title: str) -> list[str]:
    """Fill the title and submit again; the requests the browser sent to S3 until the form's
    POST left (the listing it lands on then shows thumbnails from S3)."""
    sent = requests_to(page, s3.server.endpoint_url, until=posted_to("/cms/"))
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(title)
    return sent


def posted_to(path: str):
    return lambda request: request.method == "POST" and path in request.url


def kept_block(page):
    return page.locator("[data-field]:has(input[type=file]) .s3file-kept")


def test_image_add_keeps_the_upload(admin_page, s3, tmp_path, artifacts):
    data = image_bytes(640, 360, seed=7)
    admin_page.goto(admin_page.admin_url + "images/add/")
    choose(admin_page, write(tmp_path / "harbour.png", data))
    fail_on_the_title(admin_page, "Upload")
    expect(kept_block(admin_page)).to_contain_text("harbour.png")
    admin_page.screenshot(path=artifacts / "wagtail-image-kept.png")

    sent = save_again(admin_page, s3, "Upload", "Harbour")
    assert sent == []
    image = get_image_model().objects.get()
    assert (image.title, image.width, image.height) == ("Harbour", 640, 360)
    assert s3.read(image.file.name) == data
    assert image.file_hash == sha1(data)
    assert [e["files"] for e in events(admin_page, "kept")] == [["harbour.png"]]


def test_image_add_does_not_keep_a_file_wagtail_refuses(admin_page, s3, tmp_path):
    admin_page.goto(admin_page.admin_url + "images/add/")
    admin_page.get_by_label("File").set_input_files(write(tmp_path / "fake.png", b"no image"))
    admin_page.get_by_role("button", name="Upload").click()
    field = admin_page.locator("[data-field]:has(input[type=file])")
    expect(field.locator(".error-message")).to_contain_text("Upload a valid image.")
    expect(kept_block(admin_page)).to_have_count(0)
    expect(admin_page.locator("input[type=file][name=file]")).to_be_visible()


def test_image_edit_keeps_the_new_file(admin_page, s3, tmp_path):
    s3.put("original_images/old.png", image_bytes(300, 200, seed=1), "image/png")
    image = get_image_model().objects.create(
        title="Harbour", file="original_images/old.png", width=300, height=200
    )
    new = image_bytes(320, 240, seed=2)
    admin_page.goto(f"{admin_page.admin_url}images/{image.pk}/")
    choose(admin_page, write(tmp_path / "new.png", new))
    fail_on_the_title(admin_page, "Save")
    expect(kept_block(admin_page)).to_contain_text("new.png")

    assert save_again(admin_page, s3, "Save", "Harbour at dusk") == []
    image.refresh_from_db()
    assert (image.title, image.width, image.height) == ("Harbour at dusk", 320, 240)
    assert s3.read(image.file.name) == new


def test_document_add_and_edit_keep_the_upload(admin_page, s3, tmp_path):
    terms = b"%PDF-1.7 the terms\n" * 3000
    admin_page.goto(admin_page.admin_url + "documents/add/")
    choose(admin_page, write(tmp_path / "terms.pdf", terms))
    fail_on_the_title(admin_page, "Upload")
    expect(kept_block(admin_page)).to_contain_text("terms.pdf")
    assert save_again(admin_page, s3, "Upload", "Terms") == []
    document = get_document_model().objects.get()
    assert s3.read(document.file.name) == terms
    assert document.file_hash == sha1(terms)

    revised = b"%PDF-1.7 the revised terms\n" * 2000
    admin_page.goto(f"{admin_page.admin_url}documents/edit/{document.pk}/")
    choose(admin_page, write(tmp_path / "t2.pdf", revised))
    fail_on_the_title(admin_page, "Save")
    expect(kept_block(admin_page)).to_contain_text("t2.pdf")
    assert save_again(admin_page, s3, "Save", "Terms, revised") == []
    document.refresh_from_db()
    assert (document.title, s3.read(document.file.name)) == ("Terms, revised", revised)


def test_wagtailmedia_add_and_edit_keep_the_file_and_thumbnail(admin_page, s3, tmp_path):
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 400
    poster = image_bytes(160, 90, seed=4)
    admin_page.goto(admin_page.admin_url + "media/video/add/")
    choose(admin_page, write(tmp_path / "clip.mp4", video))
    admin_page.locator("input[type=file][name=thumbnail]").set_input_files(
        write(tmp_path / "poster.png", poster)
    )
    fail_on_the_title(admin_page, "Upload")
    expect(admin_page.locator(".s3file-kept")).to_have_count(2)
    assert save_again(admin_page, s3, "Upload", "Clip") == []
    media = get_media_model().objects.get()
    assert (s3.read(media.file.name), s3.read(media.thumbnail.name)) == (video, poster)

    new = video[::-1]
    admin_page.goto(f"{admin_page.admin_url}media/edit/{media.pk}/")
    # (wagtailmedia's edit view does not take the title from the file's name)
    admin_page.locator("input[type=file][name=file]").set_input_files(
        write(tmp_path / "clip-2.webm", new)
    )
    fail_on_the_title(admin_page, "Save")
    expect(admin_page.locator(".s3file-kept")).to_contain_text("clip-2.webm")
    assert save_again(admin_page, s3, "Save", "Clip, recut") == []
    media.refresh_from_db()
    assert s3.read(media.file.name) == new
