"""Accessibility of the upload in django-unfold's admin: axe-core in every state, the focus."""

from __future__ import annotations

import pytest

from tests.a11y import audit, focused, network, tab_to
from tests.admin.conftest import png
from tests.browser.conftest import make_file
from tests.unfoldapp.models import Dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

MB = 1024 * 1024


def test_axe_finds_nothing_of_ours_and_the_focus_follows_cancel_and_failure(
    admin_page, s3, settings, tmp_path
):
    settings.S3FILE_MAX_SIZE = 2 * MB
    (tmp_path / "photo.png").write_bytes(png())
    (tmp_path / "notes.txt").write_text("some notes")
    big = make_file(tmp_path / "big.bin", 3 * MB)
    page = admin_page
    page.goto(page.admin_url + "unfoldapp/dossier/add/")
    status = page.locator("form .s3file-status [role=status]")
    assert status.count() == 1 and status.text_content() == ""
    audit(page, "unfold add form, on load")

    page.click("button[name=_save]")  # Unfold's own errors: title and document are required
    page.locator(".field-title.errors").wait_for()
    page.set_input_files("#id_document", big)  # over S3FILE_MAX_SIZE
    page.set_input_files("#id_photo", tmp_path / "notes.txt")  # not an image
    page.locator(".field-photo .s3file-errors").wait_for()
    audit(page, "unfold add form, with field errors")

    settings.S3FILE_MAX_SIZE = 10 * MB
    page.reload()
    page.fill("#id_title", "Audited")
    page.set_input_files("#id_document", big)
    page.set_input_files("#id_photo", tmp_path / "photo.png")
    network(page, upload=256 * 1024)
    page.focus("button[name=_continue]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const bar = document.querySelector('.s3file-status progress');"
        " return bar && bar.value / bar.max > 0.1; }"
    )
    assert focused(page) == "button.button.s3file-cancel Cancel upload"  # Save is disabled
    audit(page, "unfold add form, mid-upload")

    page.keyboard.press("Enter")  # on "Cancel upload", which hides
    page.wait_for_selector(".s3file-status[data-state=stopped]")
    assert focused(page).startswith("input#id_document")
    audit(page, "unfold add form, after cancel")

    network(page, offline=True)
    tab_to(page, "button[name=_continue]")
    page.keyboard.press("Enter")
    page.locator(".field-document .s3file-errors").wait_for()
    assert focused(page).startswith("div#id_document_s3file_error.s3file-errors")
    audit(page, "unfold add form, after an error")
    assert not Dossier.objects.exists()
