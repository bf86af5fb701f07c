"""Issue 19, part 1, in Chromium with SeaweedFS: a form that comes back with an error on another
field keeps its upload, and its next submit sends no byte to S3."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import events, make_file, requests_to, result
from tests.testapp.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024
TAKEN = "A document with this title exists already."


@pytest.fixture
def taken(db):
    """A document whose title the forms refuse for another."""
    return Document.objects.create(title="Taken", file="documents/old.pdf")


def fail_once(page, url: str, files: dict[str, Path], title: str = "Taken") -> None:
    """Fill the form at ``url``, choose ``files`` and submit: it comes back with an error."""
    page.goto(url)
    page.fill("input[name=title]", title)
    for name, path in files.items():
        page.set_input_files(f"#id_{name}", path)
    page.click("button[value=save]")
    expect(page.locator(".errorlist").first).to_contain_text(TAKEN)


@pytest.mark.usefixtures("taken")
def test_a_model_form_keeps_its_upload_and_posts_it_again_without_s3(
    page, live_server, s3, tmp_path
):
    chosen = make_file(tmp_path / "report.bin", 3 * MB)
    sent = requests_to(page, s3.server.endpoint_url)
    fail_once(page, live_server.url + "/kept/model/", {"file": chosen})
    assert sent  # the first submit uploaded it

    kept = page.locator(".s3file-kept")
    expect(kept).to_contain_text("report.bin")
    expect(kept).to_contain_text("3.0 MB")
    expect(kept.get_by_role("button", name="Replace")).to_be_visible()
    expect(kept.get_by_role("button", name="Remove")).to_be_visible()
    expect(page.locator("#id_file")).to_be_hidden()

    sent.clear()
    page.fill("input[name=title]", "New")
    page.click("button[value=save]")
    saved = result(page)["saved"]

    assert sent == []  # not one request to S3
    assert s3.read(saved[0]) == chosen.read_bytes()
    assert Document.objects.get(title="New").file.name == saved[0]
    assert [e["files"] for e in events(page, "kept")] == [["report.bin"]]


@pytest.mark.usefixtures("taken")
def test_a_plain_form_keeps_its_upload_while_the_field_refuses_another(
    page, live_server, s3, tmp_path
):
    chosen = make_file(tmp_path / "report.pdf", 100_000)
    broken = tmp_path / "photo.png"
    broken.write_bytes(b"not an image at all")
    fail_once(page, live_server.url + "/kept/", {"file": chosen, "picture": broken})

    # The field's own check refused the picture: its error says why, and it is not kept.
    expect(page.locator("body")).to_contain_text("Upload a valid image.")
    expect(page.locator("#id_picture")).to_be_visible()
    expect(page.locator("#id_picture")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".s3file-kept")).to_have_count(1)
    expect(page.locator(".s3file-kept")).to_contain_text("report.pdf")

    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("input[name=title]", "New")
    page.click("button[value=save]")
    saved = result(page)["saved"]
    assert sent == []
    assert s3.read(saved[0]) == chosen.read_bytes()


@pytest.mark.usefixtures("taken")
def test_replace_uploads_the_new_choice_and_remove_makes_the_field_required_again(
    page, live_server, s3, tmp_path
):
    first = make_file(tmp_path / "first.bin", 200_000)
    second = make_file(tmp_path / "second.bin", 300_000, seed=1)
    third = make_file(tmp_path / "third.bin", 100_000, seed=2)
    url = live_server.url + "/kept/"

    fail_once(page, url, {"file": first})
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Replace").click()
    chooser.value.set_files(second)
    expect(page.locator(".s3file-kept")).to_be_hidden()
    expect(page.locator("#id_file")).to_be_visible()
    assert events(page, "kept-removed")[-1]["replaced"] is True
    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("input[name=title]", "Replaced")
    page.click("button[value=save]")
    assert s3.read(result(page)["saved"][0]) == second.read_bytes()
    assert sent  # the new choice was uploaded

    fail_once(page, url, {"file": first})
    page.get_by_role("button", name="Remove").click()
    file_input = page.locator("#id_file")
    expect(file_input).to_be_visible()
    expect(file_input).to_be_focused()
    assert events(page, "kept-removed")[-1]["replaced"] is False
    page.fill("input[name=title]", "Removed")
    page.click("button[value=save]")
    # Required again: the browser holds the form back until a file is chosen.
    assert file_input.evaluate("input => input.validity.valueMissing") is True
    file_input.set_input_files(third)
    page.click("button[value=save]")
    assert s3.read(result(page)["saved"][0]) == third.read_bytes()


@pytest.mark.usefixtures("taken")
def test_a_formset_keeps_every_rows_upload(page, live_server, s3, tmp_path):
    one = make_file(tmp_path / "one.bin", 150_000)
    two = make_file(tmp_path / "two.bin", 250_000, seed=3)
    page.goto(live_server.url + "/kept/formset/")
    page.fill("input[name=rows-0-title]", "Taken")
    page.set_input_files("#id_rows-0-file", one)
    page.fill("input[name=rows-1-title]", "Second")
    page.set_input_files("#id_rows-1-file", two)
    page.click("button[value=save]")
    expect(page.locator("#row-0 .errorlist")).to_contain_text(TAKEN)
    expect(page.locator("#row-0 .s3file-kept")).to_contain_text("one.bin")
    expect(page.locator("#row-1 .s3file-kept")).to_contain_text("two.bin")

    sent = requests_to(page, s3.server.endpoint_url)
    page.fill("input[name=rows-0-title]", "First")
    page.click("button[value=save]")
    saved = result(page)["saved"]
    assert sent == []
    assert [s3.read(key) for key in saved] == [one.read_bytes(), two.read_bytes()]


@pytest.mark.usefixtures("taken")
def test_a_kept_upload_past_its_lifetime_is_dropped_and_the_field_says_why(
    page, live_server, s3, settings, tmp_path
):
    chosen = make_file(tmp_path / "report.bin", 100_000)
    fail_once(page, live_server.url + "/kept/", {"file": chosen})
    expect(page.locator(".s3file-kept")).to_be_visible()

    # Time passes: now the lifecycle rule could remove it before the form comes back.
    settings.S3FILE_EXPIRE_DAYS = 1
    settings.S3FILE_EXPIRES = 12 * 3600
    page.click("button[value=save]")
    expect(page.locator(".s3file-kept-errors")).to_contain_text(
        "The uploaded file “report.bin” was uploaded too long ago to be kept"
    )
    expect(page.locator(".s3file-kept")).to_have_count(0)
    expect(page.locator("#id_file")).to_be_visible()


@pytest.mark.usefixtures("taken")
def test_a_kept_upload_gone_from_s3_is_a_field_error(page, live_server, s3, tmp_path):
    chosen = make_file(tmp_path / "report.bin", 100_000)
    fail_once(page, live_server.url + "/kept/", {"file": chosen})
    [key] = s3.keys("tmp/")
    s3.client.delete_object(Bucket=s3.name, Key=key)

    page.fill("input[name=title]", "New")
    page.click("button[value=save]")
    expect(page.locator(".errorlist")).to_contain_text(
        "The uploaded file “report.bin” is no longer in storage"
    )
    expect(page.locator(".s3file-kept")).to_have_count(0)
    expect(page.locator("#id_file")).to_be_visible()
    assert not Document.objects.filter(title="New").exists()


@pytest.mark.usefixtures("taken")
def test_a_kept_upload_into_its_final_folder_is_claimed_there(
    page, live_server, s3, s3_calls, settings, tmp_path
):
    settings.S3FILE_CLAIM = True
    settings.S3FILE_POST_TAGGING = False  # SeaweedFS: files go in parts, which carry the tag
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MB
    chosen = make_file(tmp_path / "report.bin", 3 * MB)
    fail_once(page, live_server.url + "/kept/model/", {"file": chosen})
    [key] = s3.keys("documents/")  # uploaded into the model's upload_to, not yet claimed
    expect(page.locator(".s3file-kept")).to_contain_text("report.bin")

    sent = requests_to(page, s3.server.endpoint_url)
    s3_calls.clear()
    page.fill("input[name=title]", "New")
    page.click("button[value=save]")
    saved = result(page)["saved"]

    assert sent == []
    assert saved[0] == key  # claimed where it lies: no copy
    assert s3.read(key) == chosen.read_bytes()
    operations = {call.operation for call in s3_calls}
    assert not {"CopyObject", "UploadPartCopy", "DeleteObject"} & operations
