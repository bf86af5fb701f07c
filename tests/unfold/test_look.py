"""What Unfold's admin shows while uploading, in its light and dark themes; cancel, save again."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from tests.admin.test_look import distance, luminance, pixels, throttle_uploads
from tests.browser.conftest import events, make_file
from tests.unfoldapp.models import Dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

MB = 1024 * 1024


@pytest.fixture
def dossier(s3):
    dossier = Dossier.objects.create(
        title="Annual", document=ContentFile(b"old text", name="old.txt")
    )
    for n in range(3):  # a form taller than the window
        dossier.enclosures.create(file=ContentFile(b"x", name=f"{n}.txt"), note=f"row {n}")
    return dossier


def box(locator) -> dict:
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_in_unfolds_colours_mid_upload_then_cancel_and_save_again(
    admin_page, s3, dossier, tmp_path, artifacts, scheme
):
    page = admin_page
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 720})
    big = make_file(tmp_path / "survey-results.bin", 3 * MB)
    page.goto(page.admin_url + f"unfoldapp/dossier/{dossier.pk}/change/")
    page.set_input_files("#id_document", big)
    shot_save = pixels(page.locator("#submit-row button[name=_save]"))  # Unfold's primary
    throttle_uploads(page, 256 * 1024)
    page.click("button[name=_continue]")

    status = page.locator("form .s3file-status")
    page.wait_for_function(
        "() => { const bar = document.querySelector('.s3file-status progress');"
        " return bar && bar.value / bar.max > 0.3; }"
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / f"unfold-change-form-mid-upload-{scheme}.png")
    row = page.locator(".field-document .s3file-widget + .s3file-admin .s3file-file")
    shot_overall, shot_file = pixels(status.locator("progress")), pixels(row.locator("progress"))
    shot_page = pixels(page.locator("body"))
    value, maximum = status.locator("progress").evaluate("bar => [bar.value, bar.max]")
    assert 0 < value < maximum == 3 * MB

    # What the user reads: the status, the file's name, percentage and bytes; Unfold's
    # buttons (outside the form) disabled and shown so.
    # Which file of how many; every few seconds, how far the upload is.
    spoken = status.locator("[role=status]").text_content()
    assert re.fullmatch(r"Uploading 1 of 1(, \d+% done)?", spoken)
    assert row.locator(".s3file-name").text_content() == "survey-results.bin"
    figures = row.locator(".s3file-figures").text_content()
    assert "%" in figures and figures.endswith(" of 3.0\xa0MB")
    buttons = page.locator("#submit-row button[type=submit]")
    assert buttons.count() == 3
    assert page.locator("#submit-row button[type=submit]:disabled").count() == 3
    assert buttons.first.evaluate("b => getComputedStyle(b).opacity") == "0.5"

    # Scrolled to the top of a form taller than the window, the status is still in view,
    # above Unfold's sticky submit row.
    status_box, submit_box = box(status), box(page.locator("#submit-row"))
    assert status_box["top"] >= 0 and status_box["bottom"] <= submit_box["top"]
    assert page.evaluate("document.documentElement.scrollHeight > window.innerHeight")

    # The theme is the one asked for, and the bars are Unfold's: its primary colour (its
    # Save button's) on its base colour, seen against the page.
    background = shot_page.getpixel((2, shot_page.height - 2))
    assert (luminance(background) < 0.2) == (scheme == "dark")
    primary = shot_save.getpixel((3, shot_save.height // 2))
    for shot in (shot_overall, shot_file):
        assert shot.width > 50 and shot.height >= 5
        y = shot.height // 2
        filled, empty = shot.getpixel((2, y)), shot.getpixel((shot.width - 3, y))
        assert distance(filled, empty) > 100
        assert distance(filled, background) > 100
        if scheme == "light":  # dark: Unfold's bars are a shade lighter than its button
            assert distance(filled, primary) < 30

    # Cancel: the upload stops, the buttons come back, the file is still chosen.
    status.locator("button.s3file-cancel").click()
    page.wait_for_selector(".s3file-status[data-state=stopped]")
    assert events(page, "cancelled")
    assert page.locator("#submit-row button[type=submit]:disabled").count() == 0
    assert page.eval_on_selector("#id_document", "input => input.files[0].name") == (
        "survey-results.bin"
    )
    assert "cancelled" in status.locator("[role=status]").text_content()
    page.screenshot(path=artifacts / f"unfold-change-form-cancelled-{scheme}.png")
    dossier.refresh_from_db()
    assert dossier.document.name == "dossiers/documents/old.txt"

    # Saving again uploads the file from the start and saves the dossier.
    throttle_uploads(page, -1)
    page.click("button[name=_continue]")
    page.wait_for_url(re.compile(rf"/dossier/{dossier.pk}/change/$"))
    page.get_by_text("was changed successfully").wait_for()
    dossier.refresh_from_db()
    assert dossier.document.name == "dossiers/documents/survey-results.bin"
    assert s3.read(dossier.document.name) == big.read_bytes()
    assert not s3.keys("tmp/")
