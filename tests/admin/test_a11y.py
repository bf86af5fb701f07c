"""Accessibility of the admin's upload: axe-core in every state, and a keyboard-only save."""

from __future__ import annotations

import pytest

from tests.a11y import (
    audit,
    choose_with_keyboard,
    focus_lost,
    focused,
    network,
    tab_to,
    watch_focus,
)
from tests.admin.conftest import png
from tests.adminapp.models import Report
from tests.browser.conftest import make_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

MB = 1024 * 1024


@pytest.fixture
def files(tmp_path):
    (tmp_path / "cover.png").write_bytes(png())
    (tmp_path / "notes.txt").write_text("some notes")
    make_file(tmp_path / "big.bin", 3 * MB)
    return tmp_path


def test_axe_finds_nothing_of_ours_in_any_state_of_the_add_form(admin_page, s3, settings, files):
    settings.S3FILE_MAX_SIZE = 2 * MB
    page = admin_page
    page.goto(page.admin_url + "adminapp/report/add/")
    # The live region is in the page, empty, before anything is chosen.
    status = page.locator("#report_form .s3file-status [role=status]")
    assert status.count() == 1 and status.text_content() == ""
    audit(page, "admin add form, on load")

    page.click("input[name=_save]")  # Django's own errors: the title is required
    page.locator(".field-title .errorlist").wait_for()  # Django 5.2 and 6.x markup alike
    page.set_input_files("#id_document", files / "big.bin")  # over S3FILE_MAX_SIZE
    page.set_input_files("#id_cover", files / "notes.txt")  # not an image
    page.locator(".field-cover .s3file-errors").wait_for()
    audit(page, "admin add form, with field errors")

    settings.S3FILE_MAX_SIZE = 10 * MB
    page.reload()
    page.fill("#id_title", "Audited")
    page.set_input_files("#id_document", files / "big.bin")
    page.set_input_files("#id_cover", files / "cover.png")
    network(page, upload=256 * 1024)
    page.click("input[name=_continue]")
    page.wait_for_function(
        "() => { const bar = document.querySelector('.s3file-status progress');"
        " return bar && bar.value / bar.max > 0.1; }"
    )
    audit(page, "admin add form, mid-upload")

    page.click(".s3file-status button.s3file-cancel")
    page.wait_for_selector(".s3file-status[data-state=stopped]")
    audit(page, "admin add form, after cancel")

    network(page, offline=True)
    page.click("input[name=_continue]")
    page.locator(".field-document .s3file-errors").wait_for()
    audit(page, "admin add form, after an error")
    assert not Report.objects.exists()


def test_keyboard_only_upload_cancel_retry_and_save_never_drops_the_focus(admin_page, s3, files):
    page = admin_page
    watch_focus(page)
    page.goto(page.admin_url + "adminapp/report/add/")
    tab_to(page, "#id_title")
    page.keyboard.type("Typed")
    tab_to(page, "#id_document")
    choose_with_keyboard(page, files / "big.bin")

    # Save: the button is disabled while the file uploads; the focus goes to "Cancel upload".
    network(page, upload=256 * 1024)
    tab_to(page, "input[name=_continue]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".s3file-status[data-state=uploading]")
    assert focused(page) == "button.button.s3file-cancel Cancel upload"

    # Cancel: the button hides; the focus goes to the field whose file is still chosen.
    page.keyboard.press("Enter")
    page.wait_for_selector(".s3file-status[data-state=stopped]")
    assert focused(page).startswith("input#id_document")

    # Save again with the network down: the focus goes to the error, then Tab to "Retry".
    network(page, offline=True)
    tab_to(page, "input[name=_continue]")
    page.keyboard.press("Enter")
    page.locator(".field-document .s3file-errors").wait_for()
    assert focused(page).startswith("div#id_document_s3file_error.s3file-errors")
    page.keyboard.press("Tab")
    assert focused(page) == "button.button.s3file-error-action Retry"

    # Retry, the network back: the file uploads from its field, and the report is saved.
    network(page)
    page.keyboard.press("Enter")
    assert focused(page).startswith("input#id_document")
    page.wait_for_selector(".messagelist .success")
    report = Report.objects.get()
    assert (report.title, report.document.name) == ("Typed", "reports/documents/big.bin")
    assert s3.read(report.document.name) == (files / "big.bin").read_bytes()
    assert focus_lost(page) == []  # on the form, and on the page it saved to


def test_axe_finds_nothing_of_ours_in_the_kept_upload_state(admin_page, s3, files):
    page = admin_page
    page.goto(page.admin_url + "adminapp/report/add/")
    page.set_input_files("#id_document", files / "notes.txt")
    page.set_input_files("#id_cover", files / "cover.png")
    page.click("input[name=_continue]")  # no title: the form comes back, its uploads kept
    page.locator(".field-document .s3file-kept").wait_for()
    audit(page, "admin add form, uploads kept after a form error")


# When the files are in S3 (after the admin's own listener, on the document), the focused
# element and the status's words, sent to the test before the page is replaced.
RECORD_FOCUS_AT_DONE = """
window.addEventListener("s3file:done", () => {
  const active = document.activeElement;
  window.recordFocusAtDone([active.className, active.textContent]);
});
"""


def test_once_the_files_are_in_s3_the_focus_goes_from_cancel_to_the_saving_status(
    admin_page, s3, files
):
    page = admin_page
    watch_focus(page)
    at_done = []
    page.expose_function("recordFocusAtDone", lambda seen: at_done.append(seen))
    page.add_init_script(RECORD_FOCUS_AT_DONE)
    page.goto(page.admin_url + "adminapp/report/add/")
    page.fill("#id_title", "Saved")
    page.set_input_files("#id_document", files / "notes.txt")
    network(page, upload=1024)  # a few seconds for its few bytes and the POST's fields
    page.focus("input[name=_save]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".s3file-status[data-state=uploading]")
    assert focused(page) == "button.button.s3file-cancel Cancel upload"

    network(page)
    page.wait_for_selector(".messagelist .success")
    assert at_done == [["s3file-status-text", "Saving…"]]
    assert focus_lost(page) == []
    assert Report.objects.get().title == "Saved"
