"""Refused files and failed uploads in Unfold's admin: by their field, in Unfold's error style."""

from __future__ import annotations

import re

import pytest

from tests.admin.conftest import png
from tests.admin.test_errors import stoppable_s3  # noqa: F401  (a fixture)
from tests.browser.conftest import events, make_file
from tests.unfoldapp.models import Dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

LIMIT = 100_000  # 97.7 KB, as Django's filesizeformat writes it

# What makes an error look like Unfold's: its text and the box of the field it belongs to.
LOOK = """
([error, box]) => {
  const text = getComputedStyle(error);
  const gap = error.getBoundingClientRect().top - box.getBoundingClientRect().bottom;
  return {
    color: text.color, fontSize: text.fontSize, lineHeight: text.lineHeight,
    icon: getComputedStyle(error, "::before").content,
    border: getComputedStyle(box).borderTopColor, gap: Math.round(gap),
  };
}
"""


def look(page, error: str, box: str) -> dict:
    """The error's text style, its icon, and the field box's border and distance to it."""
    return page.evaluate(
        f"(selectors) => ({LOOK})(selectors.map((s) => document.querySelector(s)))", [error, box]
    )


def file_box(field: str) -> str:
    """Unfold's bordered file box inside a field (its FILE_CLASSES)."""
    return f"{field} .s3file-widget .border.rounded-default"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "photo.png").write_bytes(png())
    (tmp_path / "notes.txt").write_text("some notes")
    make_file(tmp_path / "big.bin", 2 * LIMIT)
    return tmp_path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_too_large_and_wrong_type_are_refused_by_their_field_in_unfolds_error_style(
    admin_page, s3, settings, files, artifacts, scheme
):
    settings.S3FILE_MAX_SIZE = LIMIT
    page = admin_page
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.admin_url + "unfoldapp/dossier/add/")
    # Saved empty: Unfold's own errors for the title and the document, to compare with.
    page.click("button[name=_save]")
    page.locator(".field-title.errors").wait_for()
    assert page.evaluate("document.documentElement.classList.contains('dark')") == (
        scheme == "dark"
    )
    page.fill("#id_title", "Kept")
    page.set_input_files("#id_photo", files / "notes.txt")
    page.set_input_files("#id_enclosures-0-file", files / "big.bin")
    page.fill("#id_enclosures-0-note", "a note")
    page.screenshot(path=artifacts / f"unfold-errors-{scheme}.png", full_page=True)

    photo = page.locator(".field-photo .s3file-widget + .s3file-errors[role=alert] > ul.errorlist")
    enclosure = page.locator(
        "td.field-file .s3file-widget + .s3file-errors[role=alert] > ul.errorlist"
    )
    assert photo.text_content() == "“notes.txt” is not a file type this field accepts."
    assert enclosure.text_content() == "“big.bin” is too large: files may be at most 97.7\xa0KB."
    assert page.get_attribute("#id_photo", "aria-invalid") == "true"
    assert page.locator(".field-photo .s3file-widget.errors").count() == 1
    assert page.locator(".field-photo img.s3file-preview").count() == 0

    # Exactly as Unfold shows the server's errors: red text of its size under a red box,
    # at its distance, with its warning icon.
    native = look(page, ".field-document .errorlist li", file_box(".field-document"))
    assert look(page, ".field-photo .s3file-errors li", file_box(".field-photo")) == native
    assert look(page, "td.field-file .s3file-errors li", file_box("td.field-file")) == native
    assert native["icon"] == '"warning"'
    valid = look(page, ".field-document .errorlist li", file_box("td.field-scan"))["border"]
    assert valid != native["border"]

    # The admin's forms are `novalidate`: the script refuses to send them.
    page.click("button[name=_save]")
    photo.wait_for()
    assert not events(page, "start")
    assert s3.keys() == []
    assert not Dossier.objects.exists()
    assert page.input_value("#id_title") == "Kept"

    # A file that fits clears the field's error, and Unfold's red box with it.
    page.set_input_files("#id_photo", files / "photo.png")
    assert photo.count() == 0
    assert page.get_attribute("#id_photo", "aria-invalid") is None
    assert look(page, ".field-document .errorlist li", file_box(".field-photo"))["border"] == valid
    assert page.locator(".field-photo img.s3file-preview").count() == 1


def test_s3_down_shows_the_error_by_its_field_and_retry_saves(admin_page, stoppable_s3, files):  # noqa: F811
    page = admin_page
    page.goto(page.admin_url + "unfoldapp/dossier/add/")
    page.fill("#id_title", "Kept")
    page.set_input_files("#id_document", files / "notes.txt")
    page.set_input_files("#id_enclosures-0-file", files / "photo.png")
    page.fill("#id_enclosures-0-note", "a note")
    stoppable_s3.server.stop()

    page.click("button[name=_continue]")
    page.wait_for_function(
        "document.querySelectorAll('.s3file-errors[role=alert] > ul.errorlist').length === 2"
    )
    assert {e["target"] for e in events(page, "error")} == {"document", "enclosures-0-file"}
    errors = page.locator(".s3file-widget + .s3file-errors > ul.errorlist")
    assert all("could not be uploaded" in text for text in errors.all_text_contents())
    status = page.locator("form .s3file-status [role=status]")
    assert status.text_content() == "Upload failed. See the error next to the field."
    assert status.is_visible()
    # Everything typed and chosen is still there, and Unfold's buttons work again.
    assert page.input_value("#id_title") == "Kept"
    assert page.input_value("#id_enclosures-0-note") == "a note"
    assert page.eval_on_selector("#id_document", "input => input.files[0].name") == "notes.txt"
    assert page.locator("#submit-row button[type=submit]:disabled").count() == 0
    assert not Dossier.objects.exists()

    stoppable_s3.restart()
    retry = errors.first.locator("button", has_text="Retry")
    assert retry.evaluate("button => getComputedStyle(button).borderTopLeftRadius") == "6px"
    retry.click()
    page.wait_for_url(re.compile(r"/admin/unfoldapp/dossier/\d+/change/$"))  # still _continue

    dossier = Dossier.objects.get()
    assert (dossier.title, dossier.document.name) == ("Kept", "dossiers/documents/notes.txt")
    enclosure = dossier.enclosures.get()
    assert (enclosure.file.name, enclosure.note) == ("dossiers/enclosures/photo.png", "a note")
    bucket = stoppable_s3.server.client()
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket="admin-flaky")["Contents"]]
    assert sorted(keys) == ["dossiers/documents/notes.txt", "dossiers/enclosures/photo.png"]
