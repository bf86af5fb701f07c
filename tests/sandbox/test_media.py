"""In Chromium: the sandbox's limited fields refuse files, and its page plays a video uploaded
through wagtailmedia's chooser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sandbox.demo.seed import sample_png
from tests.sandbox.conftest import RunningSandbox, SandboxBucket
from tests.sandbox.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.s3]


def test_demo_form_and_admin_refuse_a_wrong_type_and_a_too_large_file(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    notes = tmp_path / "notes.txt"
    notes.write_text("not a PDF")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(2 * 1024**2))
    log_in(page, sandbox.url)

    page.goto(sandbox.url + "/")
    page.fill("#id_title", "Refused")
    page.set_input_files("#id_document", notes)
    page.set_input_files("#id_summary", notes)
    page.set_input_files("#id_excerpt", big)
    page.click("button[type=submit]")
    form = page.locator("#upload-form")
    expect(form).to_contain_text("“notes.txt” is not a file type this field accepts.")
    expect(form).to_contain_text("“big.bin” is too large: files may be at most 1.0\xa0MB.")
    expect(page.locator("#result")).to_have_count(0)

    page.goto(sandbox.url + "/admin/demo/report/add/")
    page.fill("#id_title", "Refused")
    page.set_input_files("#id_document", notes)
    page.set_input_files("#id_summary", notes)
    page.set_input_files("#id_excerpt", big)
    page.click("input[name=_save]")
    expect(page.locator(".field-summary .errorlist")).to_contain_text("notes.txt")
    expect(page.locator(".field-excerpt .errorlist")).to_contain_text("big.bin")
    # Refused before uploading: nothing of them reached the bucket.
    assert not [key for key in bucket.keys("tmp/") if key.endswith(("notes.txt", "big.bin"))]


def test_a_video_uploaded_from_the_pages_chooser_plays_on_the_page(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    video = tmp_path / "sea.webm"
    video.write_bytes(os.urandom(3 * 1024**2))
    poster = tmp_path / "sea.png"
    poster.write_bytes(sample_png(320, 180))
    log_in(page, sandbox.url)

    page.goto(sandbox.url + "/pages/direct-uploads/")
    page.click("text=Edit this page in the Wagtail admin")
    field = page.locator("[data-field-input]:has(input[name=video])")
    field.get_by_role("button", name="Choose video").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload Video").click()
    modal.locator("input[type=file][name=media-chooser-upload-file]").set_input_files(video)
    expect(modal.get_by_label("Title")).to_have_value("sea")
    modal.locator("input[type=file][name=media-chooser-upload-thumbnail]").set_input_files(poster)
    modal.get_by_role("button", name="Upload").click()
    expect(field).to_contain_text("sea")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("has been published")

    page.goto(sandbox.url + "/pages/direct-uploads/")
    source = page.locator("video source")
    expect(source).to_have_attribute("type", "video/webm")
    assert page.request.get(source.get_attribute("src")).body() == video.read_bytes()
    poster_url = page.locator("video").get_attribute("poster")
    assert page.request.get(poster_url).body() == poster.read_bytes()
    # wagtailmedia's folder: saved where it was uploaded (S3FILE_CLAIM), no copy.
    assert [key for key in bucket.keys("media/") if key.endswith("/sea.webm")]
    assert bucket.keys("tmp/") == []
