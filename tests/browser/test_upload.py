"""The whole flow in Chromium: choose files, submit, the script uploads, the view gets files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.browser.conftest import events, make_file, result
from tests.testapp.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


def choose_files(page, tmp_path: Path, big: int = 50 * MB) -> dict[str, Path]:
    """A big file for `file`, and two small files both named same.txt for `others`."""
    big_file = make_file(tmp_path / "big.bin", big)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same_a = tmp_path / "a" / "same.txt"
    same_b = tmp_path / "b" / "same.txt"
    same_a.write_bytes(b"first same-named file")
    same_b.write_bytes(b"second one, with other bytes")
    page.fill("input[name=title]", "Report")
    page.set_input_files("input[name=file]", big_file)
    page.set_input_files("input[name=others]", [same_a, same_b])
    return {"big": big_file, "same_a": same_a, "same_b": same_b}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.s3
def test_form_uploads_to_s3_and_the_view_gets_request_files(
    page, live_server, s3, s3_calls, tmp_path
):
    page.goto(live_server.url + "/upload/")
    files = choose_files(page, tmp_path)
    page.click("button[value=save]")
    data = result(page)
    operations = [call.operation for call in s3_calls]

    assert data["files"]["file"] == [
        {"name": "big.bin", "size": 50 * MB, "content_type": "application/octet-stream"}
    ]
    assert data["files"]["others"] == [
        {"name": "same.txt", "size": 21, "content_type": "text/plain"},
        {"name": "same.txt", "size": 28, "content_type": "text/plain"},
    ]
    # The keys and signatures were taken out of POST; the clicked button stayed in.
    assert data["post"]["action"] == ["save"]
    assert set(data["post"]) == {"csrfmiddlewaretoken", "title", "action"}

    document = Document.objects.get()
    assert document.file.name == "documents/big.bin"
    others = sorted(a.file.name for a in document.attachments.all())
    assert others[0] == "attachments/same.txt" and others[1].startswith("attachments/same_")
    assert s3.keys() == sorted(["documents/big.bin", *others])  # temp objects gone
    assert sha256(s3.read("documents/big.bin")) == sha256(files["big"].read_bytes())
    contents = {s3.read(key) for key in others}
    assert contents == {files["same_a"].read_bytes(), files["same_b"].read_bytes()}

    # Copied inside S3: Django never downloaded a byte of any upload.
    assert "GetObject" not in operations and "PutObject" not in operations
    assert operations.count("CopyObject") + operations.count("UploadPartCopy") >= 3

    progress = events(page, "progress")
    assert progress[-1]["loaded"] == progress[-1]["total"] == 50 * MB + 21 + 28
    assert progress[-1]["fraction"] == 1
    assert len(events(page, "file-done")) == 3
    kinds = [e["type"] for e in events(page) if e["type"] != "progress"]
    assert kinds[0] == "start" and kinds[-1] == "done"
    assert sorted(kinds[1:-1]) == ["file-done"] * 3 + ["file-start"] * 3


def test_form_uploads_through_the_dev_endpoint(page, live_server, dev_storage, tmp_path):
    page.goto(live_server.url + "/upload/")
    files = choose_files(page, tmp_path, big=5 * MB)
    page.click("button[value=save]")
    data = result(page)

    assert data["files"]["file"][0]["name"] == "big.bin"
    assert data["files"]["file"][0]["size"] == 5 * MB
    assert [f["name"] for f in data["files"]["others"]] == ["same.txt", "same.txt"]
    document = Document.objects.get()
    assert (dev_storage / document.file.name).read_bytes() == files["big"].read_bytes()
    saved = {(dev_storage / a.file.name).read_bytes() for a in document.attachments.all()}
    assert saved == {files["same_a"].read_bytes(), files["same_b"].read_bytes()}
    assert events(page, "done")


def test_over_the_dev_storage_cap_the_user_reads_why(page, live_server, dev_storage, settings):
    """Issue 20, item 4: the dev endpoint's total cap is an error the page shows."""
    settings.S3FILE_DEV_MAX_TOTAL_SIZE = 10
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "Full")
    page.set_input_files(
        "input[name=file]",
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"more than ten bytes"},
    )
    page.click("button[value=save]")
    page.wait_for_selector("[data-s3f-errors]")
    error = page.text_content("[data-s3f-errors]")
    assert "The storage server refused “notes.txt”" in error
    assert "The dev storage is full" in error and "S3FILE_DEV_MAX_TOTAL_SIZE" in error
    assert events(page, "error")[-1]["code"] == "refused"
    assert not Document.objects.exists()
