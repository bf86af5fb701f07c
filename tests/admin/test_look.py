"""What the admin shows while uploading, in the light and dark themes."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile

from tests.adminapp.models import Report
from tests.browser.conftest import events, make_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

MB = 1024 * 1024


def throttle_uploads(page, bytes_per_second: int) -> None:
    """Slow the browser's uploads down (Chromium's own network emulation)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )


def pixels(locator):
    from PIL import Image

    return Image.open(io.BytesIO(locator.screenshot())).convert("RGB")


def distance(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


def luminance(rgb) -> float:
    weights = (0.2126, 0.7152, 0.0722)
    return sum(channel * weight for channel, weight in zip(rgb, weights, strict=True)) / 255


@pytest.fixture
def report(s3):
    return Report.objects.create(title="Annual", document=ContentFile(b"old text", name="old.txt"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_bars_are_visible_mid_upload(admin_page, s3, report, tmp_path, artifacts, scheme):
    page = admin_page
    page.emulate_media(color_scheme=scheme)
    big = make_file(tmp_path / "survey-results.bin", 3 * MB)
    page.goto(page.admin_url + f"adminapp/report/{report.pk}/change/")
    page.set_input_files("#id_document", big)
    throttle_uploads(page, 256 * 1024)
    page.click("input[name=_continue]")

    status = page.locator(".s3file-status")
    overall = status.locator("progress")
    # Mid-upload: a good part sent, far from all of it.
    page.wait_for_function(
        "() => { const bar = document.querySelector('.s3file-status progress');"
        " return bar && bar.value / bar.max > 0.3; }"
    )
    page.screenshot(path=artifacts / f"admin-change-form-mid-upload-{scheme}.png", full_page=True)
    row = page.locator(".field-document .s3file-file")
    bar = row.locator("progress")
    shot_overall, shot_file, shot_page = pixels(overall), pixels(bar), pixels(page.locator("body"))
    value, maximum = overall.evaluate("bar => [bar.value, bar.max]")
    assert 0 < value < maximum == 3 * MB

    # What the user reads: the status, the file's name, percentage and bytes, the buttons off.
    # Which file of how many; every few seconds, how far the upload is.
    spoken = status.locator("[role=status]").text_content()
    assert re.fullmatch(r"Uploading 1 of 1(, \d+% done)?", spoken)
    assert row.locator(".s3file-name").text_content() == "survey-results.bin"
    figures = row.locator(".s3file-figures").text_content()
    assert "%" in figures and figures.endswith(" of 3.0\xa0MB")
    assert page.locator(".submit-row input[type=submit]:enabled").count() == 0
    assert page.locator(".submit-row input[type=submit]:disabled").count() == 3
    assert page.locator("#report_form").get_attribute("aria-busy") == "true"

    # The theme is the one asked for, and both bars can be seen against it.
    background = shot_page.getpixel((2, shot_page.height - 2))
    assert (luminance(background) < 0.2) == (scheme == "dark")
    for shot in (shot_overall, shot_file):
        assert shot.width > 50 and shot.height >= 8
        y = shot.height // 2
        filled, empty = shot.getpixel((4, y)), shot.getpixel((shot.width - 4, y))
        assert distance(filled, empty) > 100
        assert distance(filled, background) > 100

    # Cancel: the upload stops, the buttons come back, the file is still chosen.
    status.locator("button.s3file-cancel").click()
    page.wait_for_selector(".s3file-status[data-state=stopped]")
    assert events(page, "cancelled")
    assert page.locator(".submit-row input[type=submit]:disabled").count() == 0
    assert page.eval_on_selector("#id_document", "input => input.files[0].name") == (
        "survey-results.bin"
    )
    assert "cancelled" in status.locator("[role=status]").text_content()
    report.refresh_from_db()
    assert report.document.name == "reports/documents/old.txt"
