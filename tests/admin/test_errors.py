"""Refused files and failed uploads in the admin: shown by their field, nothing typed lost."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from devtools.seaweedfs import SeaweedFS
from tests.admin.conftest import png
from tests.adminapp.models import Report
from tests.browser.conftest import events, make_file
from tests.conftest import s3_storage_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

LIMIT = 100_000  # 97.7 KB, as Django's filesizeformat writes it


@pytest.fixture
def files(tmp_path):
    (tmp_path / "cover.png").write_bytes(png())
    (tmp_path / "notes.txt").write_text("some notes")
    make_file(tmp_path / "big.bin", 2 * LIMIT)
    return tmp_path


def field_errors(page, field: str):
    """The error list the admin shows for a field of the main form."""
    errors = f".form-row.field-{field}.errors .s3file-errors[role=alert] > ul.errorlist"
    return page.locator(errors)


def open_add_form(page, title: str = "Kept") -> None:
    page.goto(page.admin_url + "adminapp/report/add/")
    page.fill("#id_title", title)
    page.fill("#id_attachments-0-note", "a note")


def test_too_large_and_wrong_type_are_refused_before_upload(admin_page, s3, settings, files):
    settings.S3FILE_MAX_SIZE = LIMIT
    page = admin_page
    open_add_form(page)
    page.set_input_files("#id_document", files / "big.bin")
    page.set_input_files("#id_cover", files / "notes.txt")

    assert field_errors(page, "document").text_content() == (
        "“big.bin” is too large: files may be at most 97.7\xa0KB."
    )
    assert field_errors(page, "cover").text_content() == (
        "“notes.txt” is not a file type this field accepts."
    )
    assert page.get_attribute("#id_document", "aria-invalid") == "true"
    assert "_s3file_error" in page.get_attribute("#id_document", "aria-describedby")
    assert page.locator(".field-cover img.s3file-preview").count() == 0

    page.click("input[name=_save]")  # the admin's forms are `novalidate`: the script checks
    field_errors(page, "document").wait_for()
    assert not events(page, "start")
    assert s3.keys() == []
    assert not Report.objects.exists()
    assert page.input_value("#id_title") == "Kept"

    # A file that fits clears its field's error.
    page.set_input_files("#id_cover", files / "cover.png")
    assert field_errors(page, "cover").count() == 0
    assert page.locator(".form-row.field-cover.errors").count() == 0
    assert page.get_attribute("#id_cover", "aria-invalid") is None


def test_s3_refuses_what_the_browser_check_would_have(admin_page, s3, settings, files):
    settings.S3FILE_MAX_SIZE = LIMIT
    page = admin_page
    open_add_form(page)
    # Bypass the browser's checks; the signed policy stays as it was rendered.
    page.eval_on_selector("#id_document", "input => input.removeAttribute('data-s3f-max-size')")
    page.eval_on_selector("#id_cover", "input => input.removeAttribute('accept')")

    page.set_input_files("#id_document", files / "big.bin")
    assert field_errors(page, "document").count() == 0
    page.click("input[name=_save]")
    field_errors(page, "document").wait_for()
    error = events(page, "error")[-1]
    assert (error["code"], error["status"]) == ("too-large", 400)
    assert (
        "is too large: files may be at most 97.7\xa0KB."
        in field_errors(page, "document").text_content()
    )
    assert s3.keys() == []

    page.set_input_files("#id_document", files / "notes.txt")
    page.set_input_files("#id_cover", files / "notes.txt")
    page.click("input[name=_save]")
    field_errors(page, "cover").wait_for()
    error = events(page, "error")[-1]
    assert (error["code"], error["status"], error["target"]) == ("refused", 403, "cover")
    assert "The storage server refused “notes.txt”" in field_errors(page, "cover").text_content()
    assert field_errors(page, "document").count() == 0
    assert field_errors(page, "cover").locator("button").count() == 0  # retrying cannot help
    # Only the accepted document reached the bucket, in its temporary folder.
    (key,) = s3.keys()
    assert key.startswith("tmp/s3file/") and key.endswith("/notes.txt")
    assert s3.head(key)["ContentType"] == "text/plain"
    assert not Report.objects.exists()
    assert page.input_value("#id_title") == "Kept"


@pytest.fixture
def stoppable_s3(settings, tmp_path):
    """An S3 server of its own, which the test stops and starts again on the same port."""
    state = SimpleNamespace(server=SeaweedFS(tmp_path / "weed-1").start(), bucket="admin-flaky")
    state.server.create_bucket(state.bucket)
    settings.STORAGES = s3_storage_settings(state.server, state.bucket)

    def restart():
        state.server = SeaweedFS(tmp_path / "weed-2", s3_port=state.server.s3_port).start()
        state.server.create_bucket(state.bucket)

    state.restart = restart
    yield state
    state.server.stop()


def test_s3_down_shows_the_error_by_its_field_keeps_the_form_and_retry_works(
    admin_page, stoppable_s3, files
):
    page = admin_page
    open_add_form(page)
    page.set_input_files("#id_document", files / "notes.txt")
    page.set_input_files("#id_attachments-0-file", files / "cover.png")
    stoppable_s3.server.stop()

    page.click("input[name=_continue]")
    errors = page.locator(".s3file-errors[role=alert] > ul.errorlist")
    page.wait_for_function(
        "document.querySelectorAll('.s3file-errors[role=alert] > ul.errorlist').length === 2"
    )
    # Each field that failed shows its own error, by the field.
    assert {e["target"] for e in events(page, "error")} == {"document", "attachments-0-file"}
    assert {(e["code"], e["status"]) for e in events(page, "error")} == {("network", 0)}
    for row in (".form-row.field-document", "td.field-file"):
        assert page.locator(row).locator(".s3file-errors ul.errorlist").count() == 1
    assert all("could not be uploaded" in text for text in errors.all_text_contents())
    status = page.locator(".s3file-status [role=status]")
    assert status.text_content() == "Upload failed. See the error next to the field."
    # Everything typed and chosen is still there, and the buttons work again.
    assert page.input_value("#id_title") == "Kept"
    assert page.input_value("#id_attachments-0-note") == "a note"
    assert page.eval_on_selector("#id_document", "input => input.files[0].name") == "notes.txt"
    assert page.locator(".submit-row input[type=submit]:disabled").count() == 0
    assert not Report.objects.exists()

    stoppable_s3.restart()
    errors.first.locator("button", has_text="Retry").click()
    page.wait_for_selector(".messagelist .success")

    report = Report.objects.get()
    assert page.url.endswith(f"/admin/adminapp/report/{report.pk}/change/")  # still _continue
    assert (report.title, report.document.name) == ("Kept", "reports/documents/notes.txt")
    attachment = report.attachments.get()
    assert (attachment.file.name, attachment.note) == ("reports/attachments/cover.png", "a note")
    bucket = stoppable_s3.server.client()
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket="admin-flaky")["Contents"]]
    assert sorted(keys) == ["reports/attachments/cover.png", "reports/documents/notes.txt"]


def test_an_expired_form_offers_a_reload(admin_page, s3, settings, files):
    settings.S3FILE_EXPIRES = 1
    page = admin_page
    open_add_form(page)
    page.set_input_files("#id_document", files / "notes.txt")
    page.wait_for_timeout(2500)  # the rendered upload policy expires meanwhile

    page.click("input[name=_save]")
    errors = field_errors(page, "document")
    errors.wait_for()
    assert events(page, "error")[-1]["code"] == "expired"
    assert "This form has expired. Reload the page" in errors.text_content()
    with page.expect_navigation():
        errors.locator("button", has_text="Reload the page").click()
    assert page.locator(".s3file-errors").count() == 0
    assert s3.keys() == []
