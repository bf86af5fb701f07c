"""Unfold's admin in Chromium: add objects with files, inline rows included, through S3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.admin.conftest import png
from tests.browser.conftest import events
from tests.unfoldapp.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
CHANGE_URL = re.compile(r"/admin/unfoldapp/dossier/\d+/change/$")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_add_with_both_files_and_two_inline_rows_lands_at_upload_to(
    admin_page, s3, s3_calls, tmp_path
):
    page = admin_page
    document = write(tmp_path / "brief.txt", b"the dossier's text")
    photo = write(tmp_path / "photo.png", png())
    first = write(tmp_path / "one" / "data.csv", b"a,b\n1,2\n")
    scan = write(tmp_path / "one" / "scan.png", png(colour="navy"))
    second = write(tmp_path / "two" / "minutes.pdf", b"%PDF-1.4 minutes")

    page.goto(page.admin_url + "unfoldapp/dossier/add/")
    page.fill("#id_title", "Inquiry")
    page.set_input_files("#id_document", document)
    page.set_input_files("#id_photo", photo)
    page.set_input_files("#id_enclosures-0-file", first)
    page.set_input_files("#id_enclosures-0-scan", scan)
    page.get_by_text("Add another Enclosure").click()
    page.set_input_files("#id_enclosures-1-file", second)
    page.fill("#id_enclosures-1-note", "added with Add another")

    # Unfold shows the chosen file's name in its box; our preview sits under the box.
    assert page.input_value(".field-photo .s3file-widget input[type=text]") == "photo.png"
    preview = page.locator(".field-photo .s3file-widget + .s3file-admin img.s3file-preview")
    assert preview.get_attribute("alt") == "Preview of “photo.png”"
    assert preview.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    assert events(page) == []

    page.click("button[name=_continue]")
    page.wait_for_url(CHANGE_URL)
    calls = list(s3_calls)  # Django's calls; the test's own reads follow

    dossier = Dossier.objects.get()
    assert page.url.endswith(f"/admin/unfoldapp/dossier/{dossier.pk}/change/")
    assert page.get_by_text("was added successfully").is_visible()
    assert (dossier.title, dossier.document.name, dossier.photo.name) == (
        "Inquiry",
        "dossiers/documents/brief.txt",
        "dossiers/photos/photo.png",
    )
    enclosures = {(e.file.name, e.scan.name, e.note) for e in dossier.enclosures.all()}
    assert enclosures == {
        ("dossiers/enclosures/data.csv", "dossiers/scans/scan.png", ""),
        ("dossiers/enclosures/minutes.pdf", "", "added with Add another"),
    }
    # Every file at its upload_to key, byte for byte; nothing left in the upload folder.
    expected = {
        "dossiers/documents/brief.txt": document,
        "dossiers/photos/photo.png": photo,
        "dossiers/enclosures/data.csv": first,
        "dossiers/scans/scan.png": scan,
        "dossiers/enclosures/minutes.pdf": second,
    }
    assert s3.keys() == sorted(expected)
    for key, path in expected.items():
        assert s3.read(key) == path.read_bytes(), key
    # Django uploaded nothing: it copied inside S3.
    operations = [call.operation for call in calls]
    assert "PutObject" not in operations
    assert operations.count("CopyObject") == 5
    assert {e["target"] for e in events(page, "file-done")} == {
        "document",
        "photo",
        "enclosures-0-file",
        "enclosures-0-scan",
        "enclosures-1-file",
    }

    # The change form is Unfold's, with its link to the stored file.
    link = page.locator(".field-document .s3file-widget a[href*='dossiers/documents/brief.txt']")
    assert link.count() == 1


def test_the_inline_rows_of_the_change_form_upload_too(admin_page, s3, tmp_path):
    from django.core.files.base import ContentFile

    dossier = Dossier.objects.create(title="Kept", document=ContentFile(b"old", name="old.txt"))
    page = admin_page
    page.goto(page.admin_url + f"unfoldapp/dossier/{dossier.pk}/change/")
    page.set_input_files("#id_enclosures-0-file", write(tmp_path / "late.txt", b"late"))
    page.click("button[name=_save]")
    page.wait_for_url(re.compile(r"/admin/unfoldapp/dossier/$"))

    dossier.refresh_from_db()
    assert dossier.document.name == "dossiers/documents/old.txt"
    (enclosure,) = dossier.enclosures.all()
    assert s3.read(enclosure.file.name) == b"late"
    assert not s3.keys("tmp/")
