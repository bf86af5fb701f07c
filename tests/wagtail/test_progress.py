"""Progress on Wagtail's "Add documents" page never passes 100 %, and a page without
Wagtail's uploader says so instead of uploading through Django."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from tests.browser.conftest import events
from tests.wagtail.conftest import write

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]

# Every width and value Wagtail's bars were given, as the page set them.
RECORD_BARS = """
window.barWidths = [];
new MutationObserver((records) => {
  for (const record of records) {
    const bar = record.target;
    if (bar.classList?.contains("bar") && bar.style.width) window.barWidths.push(bar.style.width);
    if (record.attributeName === "aria-valuenow") {
      window.barWidths.push(`${bar.getAttribute("aria-valuenow")}%`);
    }
  }
}).observe(document, {
  subtree: true, attributes: true, attributeFilter: ["style", "aria-valuenow"],
});
"""


def test_a_17_byte_document_never_shows_more_than_100_percent(admin_page, s3, tmp_path):
    path = write(tmp_path / "tiny.txt", b"seventeen bytes!!")
    assert path.stat().st_size == 17
    admin_page.add_init_script(RECORD_BARS)

    admin_page.goto(admin_page.admin_url + "documents/multiple/add/")
    admin_page.set_input_files("#fileupload", path)
    expect(admin_page.locator("#upload-list > li.upload-success")).to_have_count(1, timeout=60_000)

    assert get_document_model().objects.get().file_size == 17
    progress = events(admin_page, "progress")
    assert progress, "the transport reported the upload's progress"
    for event in progress:
        assert event["fileTotal"] == 17
        assert 0 <= event["fileLoaded"] <= event["fileTotal"]
        assert event["loaded"] <= event["total"]
        assert 0 <= event["fraction"] <= 1
    assert progress[-1]["fileLoaded"] == 17
    # The file's own bar, as Wagtail drew it from the transport's progress.
    widths = admin_page.evaluate("window.barWidths")
    percents = [float(width.rstrip("%")) for width in widths]
    assert percents and max(percents) <= 100
    row_bar = admin_page.locator("#upload-list > li .progress .bar")
    assert row_bar.text_content() == "100%"
    assert row_bar.evaluate("bar => bar.getBoundingClientRect().width") <= row_bar.evaluate(
        "bar => bar.parentElement.getBoundingClientRect().width"
    )


def test_without_wagtails_uploader_the_page_says_so_and_uploads_nothing(admin_page, s3):
    errors = []
    admin_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # A Wagtail that no longer ships jQuery File Upload.
    admin_page.route(re.compile(r"/jquery\.fileupload[^/]*\.js"), lambda route: route.abort())

    admin_page.goto(admin_page.admin_url + "documents/multiple/add/")

    alert = admin_page.locator("form [role=alert].help-critical")
    expect(alert).to_contain_text("Uploads are unavailable on this page")
    assert admin_page.locator("#fileupload").is_disabled()
    assert any("jQuery File Upload plugin ($.fn.fileupload) is missing" in e for e in errors)
    assert s3.keys() == []
