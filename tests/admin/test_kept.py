"""Issue 19, part 1, in the admin (Chromium, SeaweedFS): a change form that comes back with an
error keeps its uploads, inline rows included, and saves them with no request to S3."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.admin.conftest import png
from tests.adminapp.models import Report
from tests.browser.conftest import events, make_file, requests_to

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def kept(page, field: str):
    """The kept block of a field of the main form, or of an inline row's (``attachments-0``)."""
    row = field.rpartition("-file")[0]
    return page.locator(f"#{row} .s3file-kept" if row else f".field-{field} .s3file-kept")


def required_title_error(page) -> None:
    # The admin's forms are `novalidate`: an empty title fails on the server, after the upload.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-title .errorlist")).to_contain_text("This field is required.")


@pytest.mark.parametrize("button", ["_save", "_continue", "_addanother"])
def test_add_keeps_every_upload_and_any_save_button_saves_it_without_s3(
    admin_page, s3, tmp_path, button
):
    page = admin_page
    document = make_file(tmp_path / "notes.bin", 2 * 1024 * 1024)
    cover = write(tmp_path / "cover.png", png())
    first = write(tmp_path / "one" / "data.csv", b"a,b\n1,2\n")
    second = write(tmp_path / "two" / "slides.pdf", b"%PDF-1.4 slides")
    page.goto(page.admin_url + "adminapp/report/add/")
    page.set_input_files("#id_document", document)
    page.set_input_files("#id_cover", cover)
    page.set_input_files("#id_attachments-0-file", first)
    page.click("#attachments-group .add-row a")
    page.set_input_files("#id_attachments-1-file", second)
    page.fill("#id_attachments-1-note", "added with Add another")
    page.click("input[name=_continue]")
    required_title_error(page)

    expect(kept(page, "document")).to_contain_text("notes.bin (2.0 MB)")
    expect(kept(page, "cover")).to_contain_text("cover.png")
    expect(kept(page, "attachments-0-file")).to_contain_text("data.csv")
    expect(kept(page, "attachments-1-file")).to_contain_text("slides.pdf")
    expect(page.locator("#id_document")).to_be_hidden()

    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("#id_title", "Quarterly")
    page.click(f"input[name={button}]")
    page.wait_for_selector(".messagelist .success")

    assert sent == []
    report = Report.objects.get()
    assert s3.read(report.document.name) == document.read_bytes()
    assert s3.read(report.cover.name) == cover.read_bytes()
    attachments = {a.note: s3.read(a.file.name) for a in report.attachments.all()}
    assert attachments == {"": first.read_bytes(), "added with Add another": second.read_bytes()}
    assert not s3.keys("tmp/")
    assert len(events(page, "kept")) == 4


def test_a_kept_row_renumbered_by_removing_the_row_above_is_saved(admin_page, s3, tmp_path):
    page = admin_page
    first = write(tmp_path / "one" / "first.txt", b"the first row")
    second = write(tmp_path / "two" / "second.txt", b"the second row")
    page.goto(page.admin_url + "adminapp/report/add/")
    page.set_input_files("#id_document", write(tmp_path / "doc.txt", b"doc"))
    page.set_input_files("#id_attachments-0-file", first)
    page.click("#attachments-group .add-row a")
    page.set_input_files("#id_attachments-1-file", second)
    page.fill("#id_attachments-1-note", "second")
    page.click("input[name=_save]")
    required_title_error(page)

    # Rows not saved yet can be removed; the admin renumbers the rows below.
    page.locator("#attachments-0 .inline-deletelink").click()
    expect(kept(page, "attachments-0-file")).to_contain_text("second.txt")
    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("#id_title", "Renumbered")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    assert sent == []
    [attachment] = Report.objects.get().attachments.all()
    assert (attachment.note, s3.read(attachment.file.name)) == ("second", b"the second row")


def test_change_keeps_the_new_file_and_an_added_row(admin_page, s3, tmp_path):
    page = admin_page
    report = Report.objects.create(
        title="Annual", document=ContentFile(b"old text", name="old.txt")
    )
    new = write(tmp_path / "new.txt", b"the new document")
    row = write(tmp_path / "row.txt", b"an added row")
    page.goto(page.admin_url + f"adminapp/report/{report.pk}/change/")
    page.set_input_files("#id_document", new)
    page.set_input_files("#id_attachments-0-file", row)
    page.fill("#id_title", "")
    page.click("input[name=_continue]")
    required_title_error(page)
    expect(kept(page, "document")).to_contain_text("new.txt")
    expect(kept(page, "attachments-0-file")).to_contain_text("row.txt")

    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("#id_title", "Annual, revised")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    assert sent == []
    report.refresh_from_db()
    assert s3.read(report.document.name) == b"the new document"
    [attachment] = report.attachments.all()
    assert s3.read(attachment.file.name) == b"an added row"


def test_removing_a_kept_file_on_change_keeps_the_saved_one(admin_page, s3, tmp_path):
    page = admin_page
    report = Report.objects.create(
        title="Annual", document=ContentFile(b"old text", name="old.txt")
    )
    saved = report.document.name
    page.goto(page.admin_url + f"adminapp/report/{report.pk}/change/")
    page.set_input_files("#id_document", write(tmp_path / "new.txt", b"the new document"))
    page.fill("#id_title", "")
    page.click("input[name=_continue]")
    required_title_error(page)

    kept(page, "document").get_by_role("button", name="Remove").click()
    page.fill("#id_title", "Annual")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    report.refresh_from_db()
    assert report.document.name == saved
    assert s3.read(saved) == b"old text"
