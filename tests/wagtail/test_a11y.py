"""Accessibility of the uploads in Wagtail: axe-core on the multiple upload and a wagtailmedia
form, and a keyboard-only upload, cancel, retry and save of a document."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from tests.a11y import (
    audit,
    choose_with_keyboard,
    focus_lost,
    focused,
    network,
    tab_to,
    watch_focus,
)
from tests.browser.conftest import make_file
from tests.wagtail.conftest import write

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

MB = 1024 * 1024


def test_axe_finds_nothing_of_ours_on_the_multiple_upload_mid_upload_and_after(
    admin_page, s3, tmp_path
):
    big = make_file(tmp_path / "survey.pdf", 3 * MB)
    small = write(tmp_path / "notes.txt", b"Minutes of the meeting\n")
    page = admin_page
    page.goto(page.admin_url + "documents/multiple/add/")
    # The live region is there before anything is chosen; the overall bar is named.
    region = page.locator("#wagtail-s3file-status[role=status]")
    expect(region).to_have_count(1)
    assert region.text_content() == ""
    overall = page.locator("#overall-progress")
    assert (overall.get_attribute("role"), overall.get_attribute("aria-label")) == (
        "progressbar",
        "Upload progress",
    )
    audit(page, "Wagtail multiple upload (documents), on load")

    network(page, upload=256 * 1024)
    page.set_input_files("#fileupload", [big, small])
    page.wait_for_function(
        "() => Number(document.querySelector('#upload-list .progress')"
        "?.getAttribute('aria-valuenow')) > 10"
    )
    bar = page.locator("#upload-list > li").first.locator(".progress")
    assert (bar.get_attribute("role"), bar.get_attribute("aria-label")) == (
        "progressbar",
        "survey.pdf",
    )
    assert region.text_content().startswith("“survey.pdf”") or (
        region.text_content() == "Uploading “survey.pdf”"
    )
    audit(page, "Wagtail multiple upload (documents), mid-upload")

    network(page)
    rows = page.locator("#upload-list > li.upload-success")
    expect(rows).to_have_count(2, timeout=120_000)
    expect(region).to_have_text("“notes.txt” uploaded")
    audit(page, "Wagtail multiple upload (documents), after")
    assert get_document_model().objects.count() == 2


def test_axe_finds_nothing_of_ours_on_a_wagtailmedia_add_form(admin_page, s3, tmp_path):
    page = admin_page
    page.goto(page.admin_url + "media/audio/add/")
    audit(page, "wagtailmedia add audio, on load")
    file_input = page.locator("input[type=file][name=file]")
    file_input.set_input_files(write(tmp_path / "notes.txt", b"not audio"))
    page.get_by_label("Title").fill("Notes")
    page.get_by_role("button", name="Upload").click()
    field = page.locator("[data-field]:has(input[name=file])")
    expect(field.locator(".error-message")).to_contain_text("is not a file type")
    audit(page, "wagtailmedia add audio, with a refused file")

    network(page, upload=256 * 1024)
    file_input.set_input_files(make_file(tmp_path / "song.mp3", 3 * MB))
    page.get_by_role("button", name="Upload").click()
    bar = page.locator("[data-s3f-bar][role=progressbar]")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-s3f-bar]')?.getAttribute('aria-valuenow'))"
        " > 10"
    )
    assert bar.count() == 1
    audit(page, "wagtailmedia add audio, mid-upload")

    # Cancelled, so that no upload outlives the test (its bucket is emptied and reused).
    page.locator("[data-s3f-cancel]").click()
    expect(page.locator("form [data-s3f-status]")).to_contain_text("Upload cancelled")
    expect(bar).to_have_count(0)
    audit(page, "wagtailmedia add audio, after cancel")


def test_keyboard_only_upload_cancel_retry_and_save_of_a_document_never_drops_the_focus(
    admin_page, s3, tmp_path
):
    big = make_file(tmp_path / "survey.pdf", 3 * MB)
    page = admin_page
    watch_focus(page)
    page.goto(page.admin_url + "documents/add/")
    tab_to(page, "input[name=title]")
    page.keyboard.type("Survey")
    tab_to(page, "input[type=file][name=file]")
    choose_with_keyboard(page, big)

    # Upload: Wagtail disables its button while it waits; the focus goes to "Cancel upload".
    network(page, upload=256 * 1024)
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("[data-s3f-cancel]").wait_for()
    expect(page.locator("[data-s3f-cancel]")).to_be_focused()
    region = page.locator("form [data-s3f-status][role=status]")
    expect(region).to_have_text("Uploading “survey.pdf”")

    # Cancel: the button goes with the bar; the focus goes back to the file field.
    page.keyboard.press("Enter")
    expect(page.locator("input[type=file][name=file]")).to_be_focused()
    expect(region).to_contain_text("Upload cancelled")
    audit(page, "Wagtail add document, after cancel")

    # Upload again with the network down: the focus goes to the error.
    network(page, offline=True)
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    error = page.locator("[data-s3f-error]")
    expect(error).to_be_focused()
    audit(page, "Wagtail add document, after an error")

    # Retry (Wagtail's button is given back), the network up: the document is saved.
    network(page)
    tab_to(page, "form button[type=submit]:enabled")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Survey", timeout=120_000)
    document = get_document_model().objects.get()
    assert (document.title, document.file.name) == ("Survey", "documents/survey.pdf")
    assert focus_lost(page) == [], focused(page)


def test_axe_finds_nothing_of_ours_in_a_documents_kept_upload(admin_page, s3, tmp_path):
    page = admin_page
    page.goto(page.admin_url + "documents/add/")
    page.locator("input[type=file][name=file]").set_input_files(
        write(tmp_path / "minutes.txt", b"Minutes of the meeting\n")
    )
    expect(page.get_by_label("Title")).not_to_have_value("")  # Wagtail's sync has run
    page.get_by_label("Title").fill("")  # Wagtail's forms are `novalidate`: the server refuses
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-field]:has(input[type=file]) .s3file-kept")).to_contain_text(
        "minutes.txt"
    )
    audit(page, "Wagtail add document, upload kept after a form error")
