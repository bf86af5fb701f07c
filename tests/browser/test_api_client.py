"""client.js in Chromium: a page with no Django form uploads straight to SeaweedFS and makes
and changes objects through a DRF ModelViewSet or a django-ninja API, small files in one POST,
large in parts, signed in with a DRF token or with Django's session."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.apiapp.models import Record
from tests.browser.conftest import events, login, make_file, requests_to, result

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
MiB = 1024 * 1024


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (5, 5), "green").save(out, "PNG")
    return out.getvalue()


def update_in_parts(page, spa_url, record, large, to_s3, s3) -> None:
    """Update ``record``'s file from the single-page app at ``spa_url`` with ``large`` (12 MiB),
    which the client sends to S3 in three parts."""
    page.goto(f"{spa_url}&record={record.pk}")
    to_s3.clear()
    page.set_input_files("input[name=file]", large)
    page.click("button[type=submit]")
    outcome = result(page)
    assert outcome["status"] == 200, outcome
    record.refresh_from_db()
    assert s3.read(record.file.name) == large.read_bytes()
    assert sum(r.startswith("PUT") for r in to_s3) == 3  # 5 + 5 + 2 MiB


def test_a_page_creates_and_updates_a_record_through_the_api(
    page, s3, api_user, live_server, settings, tmp_path
):
    settings.S3FILE_MULTIPART_THRESHOLD = 5 * MiB
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    to_s3 = requests_to(page, s3.server.endpoint_url)
    page.goto(f"{live_server.url}/spa/?token={api_user.token}")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 hi"}],
    )
    image = png()
    page.set_input_files(
        "input[name=image]", files=[{"name": "dot.png", "mimeType": "image/png", "buffer": image}]
    )
    page.click("button[type=submit]")
    outcome = result(page)
    assert outcome["status"] == 201, outcome
    record = Record.objects.get()
    assert s3.read(record.file.name) == b"%PDF-1.4 hi"
    assert s3.read(record.image.name) == image
    assert [r.split()[0] for r in to_s3] == ["POST", "POST"]
    assert [e["file"] for e in events(page, "file-done")] == ["report.pdf", "dot.png"]

    large = make_file(tmp_path / "large.bin", 12 * MiB)
    update_in_parts(
        page, f"{live_server.url}/spa/?token={api_user.token}", record, large, to_s3, s3
    )
    assert events(page, "progress")[-1]["fraction"] == 1
    assert s3.keys("tmp/") == []


def test_a_signed_in_page_creates_a_record_with_its_session_and_csrf_token(
    page, s3, api_user, live_server, settings, tmp_path
):
    # DRF's SessionAuthentication, through s3file_api.drf.authenticate, checks the
    # X-CSRFToken header the page sends to the grant endpoint, the multipart API and DRF.
    settings.S3FILE_MULTIPART_THRESHOLD = 5 * MiB
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    login(page, live_server, api_user.user)
    to_s3 = requests_to(page, s3.server.endpoint_url)
    page.goto(f"{live_server.url}/spa/")
    large = make_file(tmp_path / "large.bin", 12 * MiB)
    page.set_input_files("input[name=file]", large)
    image = png()
    page.set_input_files(
        "input[name=image]", files=[{"name": "dot.png", "mimeType": "image/png", "buffer": image}]
    )
    page.click("button[type=submit]")
    outcome = result(page)
    assert outcome["status"] == 201, outcome
    record = Record.objects.get()
    assert s3.read(record.file.name) == large.read_bytes()
    assert s3.read(record.image.name) == image
    assert sum(r.startswith("PUT") for r in to_s3) == 3
    assert sum(r.startswith("POST") for r in to_s3) == 1
    assert s3.keys("tmp/") == []


def test_a_page_creates_and_updates_a_record_through_a_ninja_api(
    page, s3, api_user, live_server, settings, tmp_path
):
    settings.S3FILE_MULTIPART_THRESHOLD = 5 * MiB
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB
    to_s3 = requests_to(page, s3.server.endpoint_url)
    page.goto(f"{live_server.url}/spa/?api=ninja&token={api_user.token}")
    pdf = {"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 ninja"}
    page.set_input_files("input[name=file]", files=[pdf])
    page.click("button[type=submit]")
    outcome = result(page)
    assert outcome["status"] == 200, outcome
    record = Record.objects.get()
    assert outcome["body"] == {
        "id": record.pk,
        "title": "From the browser",
        "file": record.file.name,
    }
    assert s3.read(record.file.name) == b"%PDF-1.4 ninja"
    assert [r.split()[0] for r in to_s3] == ["POST"]

    large = make_file(tmp_path / "large.bin", 12 * MiB, seed=3)
    spa = f"{live_server.url}/spa/?api=ninja&token={api_user.token}"
    update_in_parts(page, spa, record, large, to_s3, s3)
    assert s3.keys("tmp/") == []


def test_a_page_without_a_valid_token_gets_no_grant(page, s3, api_user, live_server):
    page.goto(f"{live_server.url}/spa/?token=wrong")
    pdf = {"name": "a.pdf", "mimeType": "application/pdf", "buffer": b"x"}
    page.set_input_files("input[name=file]", files=[pdf])
    page.click("button[type=submit]")
    assert result(page) == {"error": "forbidden", "message": "You may not upload files here."}
    assert not Record.objects.exists()
    assert s3.keys() == []
