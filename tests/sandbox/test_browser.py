"""In Chromium: log into the sandbox's admin, upload through the demo form and the admin."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sandbox.demo.seed import sample_png
from tests.browser.conftest import requests_to
from tests.sandbox.conftest import RunningSandbox, SandboxBucket

pytestmark = [pytest.mark.browser, pytest.mark.s3]

MB = 1000 * 1000


def log_in(page: Page, url: str) -> None:
    page.goto(url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("admin")


def cells(page: Page, table: str) -> list[list[str]]:
    rows = page.locator(f"{table} tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def test_logged_in_user_uploads_through_the_demo_form(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * MB))
    notes = [tmp_path / "note-a.txt", tmp_path / "note-b.txt"]
    notes[0].write_text("first note")
    notes[1].write_text("the second note")

    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/")
    page.fill("#id_title", "Quarterly figures")
    page.set_input_files("#id_document", big)
    page.set_input_files("#id_attachments", notes)
    page.click("button[type=submit]")
    page.wait_for_selector("#result")

    received = cells(page, "#received")
    assert [row[:3] for row in received] == [
        ["document", "big.bin", str(3 * MB)],
        ["attachments", "note-a.txt", "10"],
        ["attachments", "note-b.txt", "15"],
    ]
    # The view got direct uploads (keys in the bucket), not bytes posted through Django.
    assert {row[4] for row in received} == {"s3file.files.S3UploadedFile"}
    saved = [row[1] for row in cells(page, "#saved")]
    # The document's folder is its model's upload_to: saved where it was uploaded (S3FILE_CLAIM).
    assert saved[0].startswith("reports/") and saved[0].endswith("/big.bin")
    assert saved[1].startswith("attachments/note-a")  # a form field: copied into place
    assert bucket.read(saved[0]) == big.read_bytes()
    assert bucket.read(saved[2]) == b"the second note"
    assert bucket.keys("tmp/") == []  # the form field's uploads: moved by server-side copies
    expect(page.locator("#result")).to_contain_text("Quarterly figures")
    # The bucket started bare: the set-up gave it the CORS rule the browser needed.
    rules = bucket.client.get_bucket_cors(Bucket=bucket.name)["CORSRules"]
    assert len(rules) == 1 and sandbox.url in rules[0]["AllowedOrigins"]

    # The log of the script's events, kept across the submit, and the progress bar.
    log = page.locator(".upload-log li")
    events = [log.nth(i).get_attribute("data-event") for i in range(log.count())]
    assert events[0] == "start" and events[-1] == "done"
    assert events.count("file-start") == events.count("file-done") == 3
    expect(page.locator(".upload-log progress")).to_have_attribute("value", "1")


def test_admin_saves_a_report_with_files_uploaded_to_s3(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    (tmp_path / "cover.png").write_bytes(sample_png(320, 180))
    (tmp_path / "brief.txt").write_text("the brief")
    (tmp_path / "appendix.txt").write_text("an appendix")

    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/admin/demo/report/add/")
    page.fill("#id_title", "Admin report")
    page.set_input_files("#id_document", tmp_path / "brief.txt")
    page.set_input_files("#id_cover", tmp_path / "cover.png")
    page.set_input_files("#id_attachments-0-file", tmp_path / "appendix.txt")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert any(key.endswith("/cover.png") for key in bucket.keys("covers/"))
    appendix = [key for key in bucket.keys("attachments/") if "appendix" in key]
    assert [bucket.read(key) for key in appendix] == [b"an appendix"]
    assert bucket.keys("tmp/") == []


def test_the_single_page_demo_creates_a_report_through_the_api(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    (tmp_path / "spa-cover.png").write_bytes(sample_png(320, 180))
    (tmp_path / "spa-brief.txt").write_text("sent by the client")

    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/spa/")
    page.fill("input[name=title]", "SPA report")
    page.set_input_files("input[name=document]", tmp_path / "spa-brief.txt")
    page.set_input_files("input[name=cover]", tmp_path / "spa-cover.png")
    page.click("button[type=submit]")

    expect(page.locator("#status")).to_contain_text("Created report")
    expect(page.locator("#reports")).to_contain_text("SPA report: spa-brief")
    brief = [key for key in bucket.keys("reports/") if "spa-brief" in key]
    assert [bucket.read(key) for key in brief] == [b"sent by the client"]
    assert any("spa-cover" in key for key in bucket.keys("covers/"))
    expect(page.locator("#progress")).to_have_attribute("value", "1")


def test_wagtail_admin_edits_the_seeded_page_with_its_image_and_document(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket]
) -> None:
    sandbox, _ = seaweedfs_sandbox
    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/cms/images/")
    expect(page.locator("main")).to_contain_text("Sandbox sample image")
    page.goto(sandbox.url + "/cms/documents/")
    expect(page.locator("main")).to_contain_text("Sandbox sample document")
    for kind in ("images", "documents"):  # the multiple-upload pages
        assert page.goto(f"{sandbox.url}/cms/{kind}/multiple/add/").status == 200
        expect(page.locator("input[type=file]").first).to_be_attached()

    page.goto(sandbox.url + "/pages/direct-uploads/")
    page.click("text=Edit this page in the Wagtail admin")
    editor = page.locator("form#page-edit-form")
    expect(editor).to_contain_text("Sandbox sample image")  # the image chooser's choice
    expect(editor).to_contain_text("Sandbox sample document")  # the document chooser's


def test_the_demo_form_keeps_its_upload_when_the_title_is_taken(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    first = tmp_path / "first.txt"
    first.write_text("the first report")
    big = tmp_path / "figures.bin"
    big.write_bytes(os.urandom(2 * MB))
    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/")
    page.fill("#id_title", "Annual report")
    page.set_input_files("#id_document", first)
    page.click("button[type=submit]")
    page.wait_for_selector("#result")

    page.fill("#id_title", "Annual report")  # taken now: refused after the upload
    page.set_input_files("#id_document", big)
    page.click("button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("A report with this title exists")
    expect(page.locator(".s3file-kept")).to_contain_text("figures.bin")

    sent = requests_to(page, bucket.client.meta.endpoint_url)
    page.fill("#id_title", "Annual report, second edition")
    page.click("button[type=submit]")
    page.wait_for_selector("#result")
    assert sent == []
    saved = [row[1] for row in cells(page, "#saved")]
    assert bucket.read(saved[0]) == big.read_bytes()
    log = page.locator(".upload-log li[data-event=kept]")
    expect(log).to_contain_text("figures.bin: kept from the last submit")


def test_a_wagtail_document_is_saved_where_it_was_uploaded_without_a_copy(
    page: Page, seaweedfs_sandbox: tuple[RunningSandbox, SandboxBucket], tmp_path: Path
) -> None:
    sandbox, bucket = seaweedfs_sandbox
    handbook = tmp_path / "handbook.pdf"
    handbook.write_bytes(b"%PDF-1.4 " + os.urandom(7 * MB))  # in two parts, tagged pending
    before = set(bucket.keys("documents/"))
    log_in(page, sandbox.url)
    page.goto(sandbox.url + "/cms/documents/add/")
    page.set_input_files("input[type=file][name=file]", handbook)
    expect(page.locator("#id_title")).to_have_value("handbook")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_contain_text("added")

    # Where the browser put it: documents/<the input's subfolder>/<the file's>/handbook.pdf.
    [key] = set(bucket.keys("documents/")) - before
    assert re.fullmatch(r"documents/[0-9a-f]{16}/[0-9a-f]{16}/handbook\.pdf", key)
    assert bucket.read(key) == handbook.read_bytes()
    tags = bucket.client.get_object_tagging(Bucket=bucket.name, Key=key)["TagSet"]
    assert tags == []  # claimed: the lifecycle rule for pending uploads leaves it
    # Nothing went through the upload folder, nothing was copied to documents/handbook.pdf.
    assert not [k for k in bucket.keys("tmp/") if k.endswith("/handbook.pdf")]
