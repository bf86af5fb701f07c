"""The admin in Chromium: add and change objects with files, inlines included, through S3."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.admin.conftest import png
from tests.adminapp.models import Report
from tests.browser.conftest import events, make_file
from tests.conftest import s3_storage_settings
from tests.faultproxy import FaultProxy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.s3
def test_add_with_both_files_and_two_inline_rows_lands_at_upload_to(
    admin_page, s3, s3_calls, tmp_path
):
    page = admin_page
    document = write(tmp_path / "notes.txt", b"the report's text")
    cover = write(tmp_path / "cover.png", png())
    first = write(tmp_path / "one" / "data.csv", b"a,b\n1,2\n")
    second = write(tmp_path / "two" / "slides.pdf", b"%PDF-1.4 slides")

    page.goto(page.admin_url + "adminapp/report/add/")
    page.fill("#id_title", "Quarterly")
    page.set_input_files("#id_document", document)
    page.set_input_files("#id_cover", cover)
    page.set_input_files("#id_attachments-0-file", first)
    page.click("#attachments-group .add-row a")
    page.set_input_files("#id_attachments-1-file", second)
    page.fill("#id_attachments-1-note", "added with Add another")

    # The chosen image is shown before anything is uploaded.
    preview = page.locator(".field-cover img.s3file-preview")
    assert preview.get_attribute("alt") == "Preview of “cover.png”"
    assert preview.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    assert events(page) == []

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    calls = list(s3_calls)  # Django's calls; the test's own reads follow

    report = Report.objects.get()
    assert page.url.endswith(f"/admin/adminapp/report/{report.pk}/change/")
    assert report.title == "Quarterly"
    assert report.document.name == "reports/documents/notes.txt"
    assert report.cover.name == "reports/covers/cover.png"
    attachments = {a.file.name: a.note for a in report.attachments.all()}
    assert attachments == {
        "reports/attachments/data.csv": "",
        "reports/attachments/slides.pdf": "added with Add another",
    }
    # Every file at its upload_to key, with its bytes; no temporary object left.
    assert s3.keys() == sorted(
        [
            "reports/attachments/data.csv",
            "reports/attachments/slides.pdf",
            "reports/covers/cover.png",
            "reports/documents/notes.txt",
        ]
    )
    assert s3.read("reports/documents/notes.txt") == document.read_bytes()
    assert s3.read("reports/covers/cover.png") == cover.read_bytes()
    assert s3.read("reports/attachments/data.csv") == first.read_bytes()
    assert s3.read("reports/attachments/slides.pdf") == second.read_bytes()
    assert s3.head("reports/covers/cover.png")["ContentType"] == "image/png"

    # Django uploaded nothing and copied inside S3; the only read is Django's ImageField
    # validation opening the image with Pillow.
    operations = [call.operation for call in calls]
    assert "PutObject" not in operations
    assert operations.count("CopyObject") == 4
    read = {call.params["Key"] for call in calls if call.operation == "GetObject"}
    assert len(read) == 1 and read.pop().endswith("/cover.png")

    # The change form keeps the admin's own controls.
    assert page.locator(".field-document .file-upload a").text_content() == (
        "reports/documents/notes.txt"
    )
    assert page.locator("#cover-clear_id").is_visible()


@pytest.mark.s3
def test_rows_added_with_add_another_keep_same_named_files_apart(admin_page, s3, tmp_path):
    # Added rows are clones of one rendered form, so they share its signed upload folder.
    page = admin_page
    first = write(tmp_path / "a" / "same.txt", b"first row's file")
    second = write(tmp_path / "b" / "same.txt", b"second row's, other bytes")
    page.goto(page.admin_url + "adminapp/report/add/")
    page.fill("#id_title", "Twins")
    page.set_input_files("#id_document", write(tmp_path / "doc.txt", b"doc"))
    page.click("#attachments-group .add-row a")
    page.click("#attachments-group .add-row a")
    page.set_input_files("#id_attachments-1-file", first)
    page.fill("#id_attachments-1-note", "first")
    page.set_input_files("#id_attachments-2-file", second)
    page.fill("#id_attachments-2-note", "second")
    page.click("input[name=_addanother]")
    page.wait_for_selector(".messagelist .success")
    assert page.url.endswith("/admin/adminapp/report/add/")  # the button kept its meaning

    attachments = Report.objects.get().attachments.all()
    contents = {a.note: s3.read(a.file.name) for a in attachments}
    assert contents == {"first": first.read_bytes(), "second": second.read_bytes()}
    assert not s3.keys("tmp/")


@pytest.mark.s3
def test_an_actions_intermediate_form_uploads_directly_too(admin_page, s3, s3_calls, tmp_path):
    page = admin_page
    report = Report.objects.create(title="A", document="x.txt")
    memo = write(tmp_path / "memo.txt", b"for the report")
    page.goto(page.admin_url + "adminapp/report/")
    page.check(f"input[name=_selected_action][value='{report.pk}']")
    page.select_option("select[name=action]", "attach_file")
    with page.expect_navigation():  # to the loaded page: its scripts run by then
        page.click("button[name=index]")
    page.set_input_files("#id_file", memo)
    page.fill("#id_note", "memo")
    s3_calls.clear()
    page.click("input[name=apply]")
    message = page.locator(".messagelist li")

    assert message.text_content() == "Attached memo.txt."
    operations = {call.operation for call in s3_calls}
    assert "CopyObject" in operations and "PutObject" not in operations
    attachment = report.attachments.get()
    assert (attachment.file.name, attachment.note) == ("reports/attachments/memo.txt", "memo")
    assert s3.read(attachment.file.name) == memo.read_bytes()
    assert not s3.keys("tmp/")


def test_add_through_the_dev_endpoint(admin_page, dev_storage, dev_pending, tmp_path):
    page = admin_page
    page.goto(page.admin_url + "adminapp/report/add/")
    page.fill("#id_title", "Local")
    page.set_input_files("#id_document", write(tmp_path / "notes.txt", b"local notes"))
    page.set_input_files("#id_cover", write(tmp_path / "cover.png", png()))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    report = Report.objects.get()
    assert (dev_storage / report.document.name).read_bytes() == b"local notes"
    assert (dev_storage / report.cover.name).read_bytes() == png()
    # The browser posted both files to the dev endpoint, into the upload folder (outside
    # MEDIA_ROOT); saving moved them out of it (a rename), leaving each file's own folder.
    pending = dev_pending / "tmp" / "s3file"
    assert not [p for p in pending.rglob("*") if p.is_file()]
    folders = [p for p in pending.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert len(folders) == 2


# After the admin scripts handled each event (they listen on the document, this on the
# window), send the state and text of the file's row to the test; a binding outlives the page.
RECORD_ROW_STATES = """
let last = null;
for (const type of ["file-start", "progress", "retry", "file-done"]) {
  window.addEventListener(`s3file:${type}`, (event) => {
    const row = [...document.querySelectorAll(".s3file-file")]
      .find((r) => r.querySelector(".s3file-name").textContent === event.detail.file.name);
    const seen = [row?.dataset.state, row?.querySelector(".s3file-figures").textContent];
    if (type !== "progress" || seen[0] !== last) window.recordRowState([type, ...seen]);
    last = seen[0];
  });
}
"""


@pytest.mark.s3
def test_a_large_file_goes_up_in_parts_and_its_row_tells_of_retries(
    admin_page, s3, settings, tmp_path
):
    settings.S3FILE_MULTIPART_THRESHOLD = 10 * MB
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MB
    proxy = FaultProxy(s3.server.s3_port)  # a real S3 behind a proxy that fails part 2 once
    try:
        settings.STORAGES = s3_storage_settings(s3.server, s3.name, endpoint_url=proxy.url)
        proxy.faults = {2: ["500"]}
        page = admin_page
        states = []
        page.expose_function("recordRowState", lambda state: states.append(state))
        page.add_init_script(RECORD_ROW_STATES)
        big = make_file(tmp_path / "archive.zip", 16 * MB, seed=3)
        page.goto(page.admin_url + "adminapp/report/add/")
        page.fill("#id_title", "Big")
        page.set_input_files("#id_document", big)
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
    finally:
        proxy.close()

    report = Report.objects.get()
    assert report.document.name == "reports/documents/archive.zip"
    assert s3.read("reports/documents/archive.zip") == big.read_bytes()
    assert s3.keys() == ["reports/documents/archive.zip"]
    assert [(e["part"], e["attempt"]) for e in events(page, "retry")] == [(2, 1)]
    kinds = [kind for kind, _, _ in states]
    assert kinds == ["file-start", "retry", "progress", "file-done"]
    assert [state for _, state, _ in states] == ["uploading", "retrying", "uploading", "done"]
    assert states[1][2] == "Connection problem: trying again (1)…"
    assert states[-1][2].startswith("100% · 16.0\xa0MB of 16.0\xa0MB")
