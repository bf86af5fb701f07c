"""Issue 19, part 1, in Wagtail's admin (Chromium, SeaweedFS): the add and edit views of images,
documents and wagtailmedia files, and the choosers' upload tabs, keep their upload when the form
comes back with an error, and save it without a request to S3; the items of the multiple upload
keep their saved file through an "Update" that fails."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile
from wagtailmedia.models import get_media_model

from tests.browser.conftest import events, requests_to
from tests.mediaapp.models import VideoPage
from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, sha1, write
from tests.wagtailapp.models import ArticlePage

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


# Multiple upload: each file is saved (or held as Wagtail's UploadedFile) when it is uploaded,
# and its row's edit form has no file field. What must stay is that saved file: a per-item
# form that comes back with an error leaves it as it is, and "Update" sends nothing to S3.


def upload_many(page, url: str, paths) -> Any:
    page.goto(url)
    page.set_input_files("#fileupload", paths)
    rows = page.locator("#upload-list > li")
    expect(rows.and_(page.locator(".upload-success"))).to_have_count(len(paths))
    return rows


def update_fails_then_succeeds(page, s3, row, title: str) -> list[str]:
    """Update the row with its title emptied (Wagtail's form comes back with the error), then
    with ``title``; the requests the browser sent to S3 from that first click on."""
    sent = requests_to(page, s3.server.endpoint_url)
    row.get_by_label("Title").fill("")
    row.get_by_role("button", name="Update").click()
    expect(row.locator("[data-field]:has(input[name$=-title])")).to_contain_text(REQUIRED)
    row.get_by_label("Title").fill(title)
    row.get_by_role("button", name="Update").click()
    expect(row).to_have_count(0)  # Wagtail removes the row of an item saved
    return sent


def test_multiple_upload_keeps_each_saved_file_through_an_item_form_error(
    admin_page, s3, tmp_path
):
    photos = {f"pier-{i}.png": image_bytes(400 + 20 * i, 300, seed=10 + i) for i in range(2)}
    paths = [write(tmp_path / name, data) for name, data in photos.items()]
    rows = upload_many(admin_page, admin_page.admin_url + "images/multiple/add/", paths)

    row = rows.filter(has_text="pier-0.png")
    sent = update_fails_then_succeeds(admin_page, s3, row, "The pier")
    assert sent == []
    Image = get_image_model()
    image = Image.objects.get(title="The pier")
    assert s3.read(image.file.name) == photos["pier-0.png"]
    assert (image.width, image.height, image.file_hash) == (400, 300, sha1(photos["pier-0.png"]))
    # The other item is untouched, still its own file.
    other = Image.objects.exclude(pk=image.pk).get()
    assert s3.read(other.file.name) == photos["pier-1.png"]


def test_multiple_upload_of_documents_keeps_the_file_through_an_item_form_error(
    admin_page, s3, tmp_path
):
    minutes = b"Minutes of the meeting\n" * 4000
    path = write(tmp_path / "minutes.txt", minutes)
    rows = upload_many(admin_page, admin_page.admin_url + "documents/multiple/add/", [path])

    assert update_fails_then_succeeds(admin_page, s3, rows.first, "Minutes, March") == []
    document = get_document_model().objects.get()
    assert document.title == "Minutes, March"
    assert s3.read(document.file.name) == minutes
    assert document.file_hash == sha1(minutes)


@pytest.mark.parametrize(
    ("kind", "event", "model"),
    [
        ("images", "wagtail:images-upload", get_image_model),
        ("documents", "wagtail:documents-upload", get_document_model),
    ],
)
def test_multiple_upload_keeps_a_file_held_for_the_items_form(
    admin_page, s3, tmp_path, kind, event, model
):
    # A file whose upload form fails on another field than the file (here: a site's script
    # that leaves titles to the editor; or a custom model's required field) is held as
    # Wagtail's UploadedFile until the item's form is filled in.
    data = image_bytes(360, 240, seed=21) if kind == "images" else b"%PDF-1.7 held\n" * 5000
    name = "held.png" if kind == "images" else "held.pdf"
    admin_page.goto(f"{admin_page.admin_url}{kind}/multiple/add/")
    admin_page.evaluate(
        f"document.addEventListener('{event}', (e) => {{ e.detail.data.title = ''; }})"
    )
    admin_page.set_input_files("#fileupload", write(tmp_path / name, data))
    row = admin_page.locator("#upload-list > li.upload-success")
    expect(row.locator("form[action*='/create_from_uploaded_']")).to_have_count(1)
    assert UploadedFile.objects.count() == 1

    assert update_fails_then_succeeds(admin_page, s3, row, "Held") == []
    saved = model().objects.get()
    assert saved.title == "Held"
    assert s3.read(saved.file.name) == data
    assert saved.file_hash == sha1(data)
    assert not UploadedFile.objects.exists()
    assert s3.keys(prefix="wagtail_uploads/") == []


# The choosers' upload tabs: Wagtail checks only that required inputs are not empty before it
# posts; a title of spaces passes that and is refused by the form (Django strips it).


@pytest.fixture
def article(wagtail_site):
    return wagtail_site.add_child(instance=ArticlePage(title="Article", slug="article"))


def open_upload_tab(page, article, field_name: str, button: str, tab: str = "Upload") -> Any:
    """Open the chooser of the article's field ``field_name`` on its upload tab; the field
    and the tab's form (wagtailmedia's chooser has one for audio and one for video)."""
    page.goto(f"{page.admin_url}pages/{article.pk}/edit/")
    field = page.locator(f"[data-field-input]:has(input[name={field_name}])")
    field.get_by_role("button", name=button).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name=tab).click()
    return field, modal.locator("form:has(input[type=file]):visible")


def title(form) -> Any:
    return form.locator("input[name$=-title]")


def fail_in_the_modal(form, path, tab: str = "") -> None:
    """Choose ``path`` and submit with a title of spaces: the server refuses it, after the
    upload, and the chooser shows its form again (wagtailmedia's on its Search tab: then
    the user opens ``tab`` again, now named with its error count)."""
    form.locator("input[type=file][name$=-file]").set_input_files(path)
    expect(title(form)).not_to_have_value("")  # Wagtail's sync has run
    title(form).fill("   ")
    form.get_by_role("button", name="Upload").click()
    if tab:
        named = re.compile(rf"^{tab} \(1 error\)$")
        form.page.locator(".modal-dialog").get_by_role("tab", name=named).click()
    expect(form.locator("[data-field]:has(input[name$=-title])")).to_contain_text(REQUIRED)


def choose_again(page, s3, form, field, text: str) -> list[str]:
    """Fill the title and upload again; the requests the browser sent to S3 until the item
    was chosen (the field then shows its thumbnail, from S3)."""
    sent = requests_to(page, s3.server.endpoint_url, until=posted_to("/chooser/"))
    title(form).fill(text)
    form.get_by_role("button", name="Upload").click()
    expect(page.locator(".modal-dialog")).to_have_count(0)
    expect(field).to_contain_text(text)
    return sent


def test_image_chooser_upload_tab_keeps_the_upload(admin_page, article, s3, tmp_path, artifacts):
    photo = image_bytes(400, 300, seed=3)
    field, form = open_upload_tab(admin_page, article, "image", "Choose an image")
    fail_in_the_modal(form, write(tmp_path / "dune.png", photo))
    expect(form.locator(".s3file-kept")).to_contain_text("dune.png")
    admin_page.screenshot(path=artifacts / "wagtail-image-chooser-kept.png")

    assert choose_again(admin_page, s3, form, field, "Dune") == []
    image = get_image_model().objects.get()
    assert (image.title, image.width, image.height) == ("Dune", 400, 300)
    assert s3.read(image.file.name) == photo
    assert image.file_hash == sha1(photo)
    assert [e["files"] for e in events(admin_page, "kept")] == [["dune.png"]]


def test_document_chooser_upload_tab_keeps_the_upload(admin_page, article, s3, tmp_path):
    pdf = b"%PDF-1.7 the agenda\n" * 3000
    field, form = open_upload_tab(admin_page, article, "document", "Choose a document")
    fail_in_the_modal(form, write(tmp_path / "agenda.pdf", pdf))
    expect(form.locator(".s3file-kept")).to_contain_text("agenda.pdf")

    assert choose_again(admin_page, s3, form, field, "Agenda") == []
    document = get_document_model().objects.get()
    assert document.title == "Agenda"
    assert s3.read(document.file.name) == pdf
    assert document.file_hash == sha1(pdf)


def test_image_chooser_does_not_keep_a_file_wagtail_refuses(admin_page, article, s3, tmp_path):
    field, form = open_upload_tab(admin_page, article, "image", "Choose an image")
    form.locator("input[type=file]").set_input_files(write(tmp_path / "fake.png", b"no image"))
    expect(title(form)).to_have_value("fake")
    form.get_by_role("button", name="Upload").click()
    file_field = form.locator("[data-field]:has(input[type=file])")
    expect(file_field.locator(".error-message")).to_contain_text("Upload a valid image.")
    expect(form.locator(".s3file-kept")).to_have_count(0)
    expect(form.locator("input[type=file]")).to_be_visible()


def test_image_chooser_drops_a_kept_upload_past_its_lifetime_and_says_why(
    admin_page, article, s3, settings, tmp_path
):
    field, form = open_upload_tab(admin_page, article, "image", "Choose an image")
    fail_in_the_modal(form, write(tmp_path / "old.png", image_bytes(200, 100, seed=5)))
    expect(form.locator(".s3file-kept")).to_be_visible()

    # Time passes: the lifecycle rule could remove it before the form comes back again.
    settings.S3FILE_EXPIRE_DAYS = 1
    settings.S3FILE_EXPIRES = 12 * 3600
    title(form).fill("   ")
    form.get_by_role("button", name="Upload").click()
    expect(form.locator(".s3file-kept-errors")).to_contain_text(
        "The uploaded file “old.png” was uploaded too long ago to be kept"
    )
    expect(form.locator(".s3file-kept")).to_have_count(0)
    expect(form.locator("input[type=file]")).to_be_visible()


def test_wagtailmedia_chooser_upload_tab_keeps_the_file_and_thumbnail(
    admin_page, wagtail_site, s3, tmp_path, artifacts
):
    page = wagtail_site.add_child(instance=VideoPage(title="Film night", slug="film-night"))
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 600
    poster = image_bytes(160, 90, seed=8)
    field, form = open_upload_tab(admin_page, page, "video", "Choose video", "Upload Video")
    form.locator("input[type=file][name$=-thumbnail]").set_input_files(
        write(tmp_path / "teaser.png", poster)
    )
    fail_in_the_modal(form, write(tmp_path / "teaser.mp4", video), tab="Upload Video")
    kept = form.locator(".s3file-kept")
    expect(kept).to_have_count(2)
    expect(kept.first).to_contain_text("teaser.mp4")
    # The tab fades in: once it has its class, its end state.
    panel = admin_page.locator("[role=tabpanel]:has(form.media-upload):visible")
    expect(panel).to_have_class(re.compile(r"\banimate-in\b"))
    admin_page.screenshot(path=artifacts / "wagtailmedia-chooser-kept.png", animations="disabled")

    assert choose_again(admin_page, s3, form, field, "Teaser") == []
    media = get_media_model().objects.get()
    assert (media.title, media.type) == ("Teaser", "video")
    assert (s3.read(media.file.name), s3.read(media.thumbnail.name)) == (video, poster)


def test_image_chooser_replaces_a_kept_upload_with_a_new_choice(admin_page, article, s3, tmp_path):
    field, form = open_upload_tab(admin_page, article, "image", "Choose an image")
    fail_in_the_modal(form, write(tmp_path / "first.png", image_bytes(300, 200, seed=31)))
    second = image_bytes(320, 240, seed=32)
    with admin_page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Replace").click()
    chooser.value.set_files(write(tmp_path / "second.png", second))
    expect(form.locator(".s3file-kept")).to_be_hidden()
    assert events(admin_page, "kept-removed")[-1]["replaced"] is True

    sent = choose_again(admin_page, s3, form, field, "Second")
    assert [request.split()[0] for request in sent] == ["POST"]  # the new file, once
    image = get_image_model().objects.get()
    assert (image.title, image.width, image.height) == ("Second", 320, 240)
    assert s3.read(image.file.name) == second


def test_document_chooser_remove_makes_the_file_required_again(admin_page, article, s3, tmp_path):
    field, form = open_upload_tab(admin_page, article, "document", "Choose a document")
    fail_in_the_modal(form, write(tmp_path / "draft.pdf", b"%PDF-1.7 draft\n" * 500))
    form.get_by_role("button", name="Remove").click()
    file_input = form.locator("input[type=file]")
    expect(file_input).to_be_visible()
    expect(file_input).to_be_focused()

    # Wagtail's own check in the browser: the file is required again, nothing is posted.
    posts = requests_to(admin_page, admin_page.admin_url)
    title(form).fill("Minutes")
    form.get_by_role("button", name="Upload").click()
    file_field = form.locator("[data-field]:has(input[type=file])")
    expect(file_field.locator(".error-message")).to_contain_text(REQUIRED)
    assert [p for p in posts if p.startswith("POST")] == []

    final = b"%PDF-1.7 final\n" * 700
    file_input.set_input_files(write(tmp_path / "final.pdf", final))
    form.get_by_role("button", name="Upload").click()
    expect(admin_page.locator(".modal-dialog")).to_have_count(0)
    expect(field).to_contain_text("Minutes")
    document = get_document_model().objects.get()
    assert s3.read(document.file.name) == final


def test_multiple_upload_with_claims_saves_a_held_file_for_good(
    admin_page, s3, settings, tmp_path
):
    # The upload goes into original_images/ (S3FILE_CLAIM), is copied to Wagtail's
    # wagtail_uploads/ while held, then to original_images/: neither copy is pending.
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS: files go in parts, which carry the tag
    data = image_bytes(300, 200, seed=41)
    admin_page.goto(f"{admin_page.admin_url}images/multiple/add/")
    admin_page.evaluate(
        "document.addEventListener('wagtail:images-upload', (e) => { e.detail.data.title = ''; })"
    )
    admin_page.set_input_files("#fileupload", write(tmp_path / "quay.png", data))
    row = admin_page.locator("#upload-list > li.upload-success")
    expect(row.locator("form[action*='/create_from_uploaded_']")).to_have_count(1)
    [held] = s3.keys(prefix="wagtail_uploads/")
    assert s3.client.get_object_tagging(Bucket=s3.name, Key=held)["TagSet"] == []

    assert update_fails_then_succeeds(admin_page, s3, row, "Quay") == []
    image = get_image_model().objects.get()
    assert s3.read(image.file.name) == data
    assert s3.client.get_object_tagging(Bucket=s3.name, Key=image.file.name)["TagSet"] == []
