"""Issue 19, part 1, in Unfold's admin (Chromium, SeaweedFS): a form that comes back with an
error keeps its uploads, inline rows included, and saves them with no request to S3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.admin.conftest import png
from tests.browser.conftest import events, requests_to
from tests.unfoldapp.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
CHANGE_URL = re.compile(r"/admin/unfoldapp/dossier/\d+/change/$")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_add_keeps_every_upload_and_saves_it_without_s3(admin_page, s3, tmp_path, artifacts):
    page = admin_page
    document = write(tmp_path / "brief.txt", b"the dossier's text")
    photo = write(tmp_path / "photo.png", png())
    first = write(tmp_path / "one" / "data.csv", b"a,b\n1,2\n")
    second = write(tmp_path / "two" / "minutes.pdf", b"%PDF-1.4 minutes")
    page.goto(page.admin_url + "unfoldapp/dossier/add/")
    page.set_input_files("#id_document", document)
    page.set_input_files("#id_photo", photo)
    page.set_input_files("#id_enclosures-0-file", first)
    page.get_by_text("Add another Enclosure").click()
    page.set_input_files("#id_enclosures-1-file", second)
    page.fill("#id_enclosures-1-note", "added with Add another")
    # Unfold's forms are `novalidate`: the empty title fails on the server, after the upload.
    page.click("button[name=_continue]")
    expect(page.locator(".field-title")).to_contain_text("This field is required.")

    expect(page.locator(".field-document .s3file-kept")).to_contain_text("brief.txt")
    expect(page.locator(".field-photo .s3file-kept")).to_contain_text("photo.png")
    expect(page.locator(".field-document .s3file-widget")).to_be_hidden()  # Unfold's box
    rows = page.locator("td.field-file .s3file-kept")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("data.csv")
    expect(rows.nth(1)).to_contain_text("minutes.pdf")
    page.screenshot(path=artifacts / "unfold-kept.png", full_page=True)

    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("#id_title", "Inquiry")
    page.click("button[name=_save]")
    page.wait_for_url(re.compile(r"/admin/unfoldapp/dossier/$"))

    assert sent == []
    dossier = Dossier.objects.get()
    assert s3.read(dossier.document.name) == document.read_bytes()
    assert s3.read(dossier.photo.name) == photo.read_bytes()
    enclosures = {e.note: s3.read(e.file.name) for e in dossier.enclosures.all()}
    assert enclosures == {"": first.read_bytes(), "added with Add another": second.read_bytes()}
    assert len(events(page, "kept")) == 4


def test_change_keeps_the_new_file_and_remove_brings_unfolds_box_back(admin_page, s3, tmp_path):
    page = admin_page
    dossier = Dossier.objects.create(title="Kept", document="dossiers/documents/old.txt")
    page.goto(page.admin_url + f"unfoldapp/dossier/{dossier.pk}/change/")
    page.set_input_files("#id_document", write(tmp_path / "new.txt", b"the new text"))
    page.set_input_files("#id_photo", write(tmp_path / "photo.png", png()))
    page.fill("#id_title", "")
    page.click("button[name=_continue]")
    expect(page.locator(".field-title")).to_contain_text("This field is required.")

    page.locator(".field-photo .s3file-kept").get_by_role("button", name="Remove").click()
    expect(page.locator(".field-photo .s3file-widget")).to_be_visible()
    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("#id_title", "Kept, revised")
    page.click("button[name=_continue]")
    page.wait_for_url(CHANGE_URL)
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    assert sent == []
    dossier.refresh_from_db()
    assert s3.read(dossier.document.name) == b"the new text"
    assert not dossier.photo
