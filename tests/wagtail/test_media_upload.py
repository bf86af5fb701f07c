"""wagtailmedia's audio and video: add, edit and the chooser's upload tab upload straight to S3."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.signals import request_started
from playwright.sync_api import expect
from wagtailmedia.models import Media

from tests.browser.conftest import events, make_file
from tests.mediaapp.models import VideoPage
from tests.wagtail.conftest import image_bytes, write

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]

#: Over S3FILE_MULTIPART_THRESHOLD (64 MiB): the browser sends it in parts.
LARGE_VIDEO = 160 * 1024**2
#: What a form POST without a file's bytes stays under (fields, keys, signatures).
SMALL_POST = 64 * 1024
#: Long uploads on a loaded machine: Playwright's wait, not a limit of the test's.
LONG = 600_000


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Uploads of megabytes on a machine shared by many test runs: wait longer than
    Playwright's 5 s for what follows a submit (a ceiling, not a measured limit)."""
    expect.set_options(timeout=LONG)
    yield
    expect.set_options(timeout=None)  # back to Playwright's default


@pytest.fixture
def post_sizes() -> Iterator[list[int]]:
    """The body size of every request Django's live server received during the test."""
    sizes: list[int] = []

    def record(sender, environ=None, **kwargs) -> None:
        if environ is not None:
            sizes.append(int(environ.get("CONTENT_LENGTH") or 0))

    request_started.connect(record, weak=False, dispatch_uid="media-post-sizes")
    yield sizes
    request_started.disconnect(dispatch_uid="media-post-sizes")


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1024**2):
            digest.update(chunk)
    return digest.hexdigest()


def object_sha1(s3, key: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for chunk in s3.client.get_object(Bucket=s3.name, Key=key)["Body"].iter_chunks(1024**2):
        digest.update(chunk)
    return digest.hexdigest()


def reset_peak_rss() -> None:
    """Start the process's peak resident set size (VmHWM) afresh (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def current_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_large_video_and_its_thumbnail_upload_to_s3_in_parts(
    admin_page, s3, s3_calls, s3_bytes_read, post_sizes, tmp_path, artifacts
):
    video = make_file(tmp_path / "harbour.mp4", LARGE_VIDEO, seed=3)
    poster = image_bytes(320, 180, seed=4)

    admin_page.goto(admin_page.admin_url + "media/video/add/")
    file_input = admin_page.locator("input[type=file][name=file]")
    file_input.set_input_files(video)
    expect(admin_page.get_by_label("Title")).to_have_value("harbour")
    admin_page.locator("input[type=file][name=thumbnail]").set_input_files(
        write(tmp_path / "harbour-poster.png", poster)
    )
    admin_page.get_by_label("Duration").fill("93.5")
    reset_peak_rss()
    rss_before = current_rss()
    started = time.perf_counter()
    admin_page.get_by_role("button", name="Upload").click()
    # Wagtail's progress bar under the input follows the upload.
    bar = file_input.locator("xpath=following-sibling::*[@role='progressbar']")
    expect(bar).to_be_attached()
    admin_page.screenshot(path=artifacts / "wagtailmedia-video-uploading.png")
    expect(admin_page.locator(".messages")).to_contain_text("Media file 'harbour' added.")
    seconds = time.perf_counter() - started
    peak = peak_rss()
    read_from_s3 = s3_bytes_read.total

    media = Media.objects.get()
    assert (media.title, media.type, media.duration) == ("harbour", "video", 93.5)
    assert media.file.name == "media/harbour.mp4"
    assert media.thumbnail.name == "media_thumbnails/harbour-poster.png"
    # Byte for byte where wagtailmedia puts them; nothing left under the upload folder.
    assert s3.keys() == ["media/harbour.mp4", "media_thumbnails/harbour-poster.png"]
    assert s3.head("media/harbour.mp4")["ContentLength"] == LARGE_VIDEO
    assert object_sha1(s3, "media/harbour.mp4") == file_sha1(video)
    assert s3.read("media_thumbnails/harbour-poster.png") == poster
    # The parts went from the browser to S3; Django created and completed the upload, S3
    # copied both objects into place, and no request to Django carried a file's bytes.
    operations = [call.operation for call in s3_calls]
    assert operations.count("CreateMultipartUpload") == 1
    assert operations.count("CompleteMultipartUpload") == 1
    assert "UploadPart" not in operations and "PutObject" not in operations
    assert operations.count("CopyObject") == 2
    assert max(post_sizes) < SMALL_POST
    assert read_from_s3 == 0
    assert {e["file"] for e in events(admin_page, "file-done")} == {
        "harbour.mp4",
        "harbour-poster.png",
    }

    figures = {
        "video_bytes": LARGE_VIDEO,
        "seconds_click_to_saved": round(seconds, 2),
        "requests_to_django": len(post_sizes),
        "bytes_through_django": sum(post_sizes),
        "largest_request_body": max(post_sizes),
        "bytes_read_from_s3_by_django": read_from_s3,
        "web_process_rss_before": rss_before,
        "web_process_peak_rss": peak,
    }
    (artifacts / "wagtailmedia-video.json").write_text(json.dumps(figures, indent=2) + "\n")


def test_replacing_a_videos_file_on_the_edit_page(admin_page, s3, s3_calls, post_sizes, tmp_path):
    s3.put("media/old.mp4", b"old video" * 1000, "video/mp4")
    s3.put("media_thumbnails/old.png", image_bytes(32, 18), "image/png")
    media = Media.objects.create(
        title="Clip", type="video", file="media/old.mp4", thumbnail="media_thumbnails/old.png"
    )
    new = make_file(tmp_path / "clip-2.webm", 3 * 1024**2 + 17, seed=5)
    del s3_calls[:]  # the test's own set-up

    admin_page.goto(f"{admin_page.admin_url}media/edit/{media.pk}/")
    admin_page.locator("input[type=file][name=file]").set_input_files(new)
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator(".messages")).to_contain_text("Media file 'Clip' updated")

    media.refresh_from_db()
    assert media.title == "Clip"
    assert media.file.name == "media/clip-2.webm"
    assert media.thumbnail.name == "media_thumbnails/old.png"
    # wagtailmedia deleted the old file; the new one is in place, the upload gone.
    assert s3.keys() == ["media/clip-2.webm", "media_thumbnails/old.png"]
    assert s3.read("media/clip-2.webm") == new.read_bytes()
    assert "PutObject" not in [call.operation for call in s3_calls]
    assert max(post_sizes) < SMALL_POST

    # The edit page's file size comes from S3 (one HEAD).
    admin_page.goto(f"{admin_page.admin_url}media/edit/{media.pk}/")
    expect(admin_page.locator("dd").first).to_have_text("3.0\xa0MB")


def test_the_choosers_upload_tab_uploads_then_selects_the_video(
    admin_page, wagtail_site, s3, post_sizes, tmp_path, artifacts
):
    page = wagtail_site.add_child(instance=VideoPage(title="Film night", slug="film-night"))
    video = make_file(tmp_path / "trailer.webm", 5 * 1024**2 + 3, seed=6)
    poster = image_bytes(160, 90, seed=7)

    admin_page.goto(f"{admin_page.admin_url}pages/{page.pk}/edit/")
    field = admin_page.locator("[data-field-input]:has(input[name=video])")
    field.get_by_role("button", name="Choose video").click()
    modal = admin_page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload Video").click()
    modal.locator("input[type=file][name=media-chooser-upload-file]").set_input_files(video)
    expect(modal.get_by_label("Title")).to_have_value("trailer")
    modal.locator("input[type=file][name=media-chooser-upload-thumbnail]").set_input_files(
        write(tmp_path / "trailer.png", poster)
    )
    admin_page.screenshot(path=artifacts / "wagtailmedia-chooser-upload.png")
    modal.get_by_role("button", name="Upload").click()
    expect(field).to_contain_text("trailer")
    expect(modal).to_have_count(0)
    admin_page.get_by_role("button", name="Save draft").click()
    expect(admin_page.locator(".messages")).to_contain_text("has been updated")

    media = Media.objects.get()
    assert VideoPage.objects.get(pk=page.pk).get_latest_revision_as_object().video == media
    assert (media.title, media.type) == ("trailer", "video")
    assert s3.keys() == ["media/trailer.webm", "media_thumbnails/trailer.png"]
    assert s3.read("media/trailer.webm") == video.read_bytes()
    assert s3.read("media_thumbnails/trailer.png") == poster
    assert max(post_sizes) < SMALL_POST


def test_audio_uploads_directly_and_a_wrong_type_is_refused_before_upload(
    admin_page, s3, post_sizes, tmp_path
):
    admin_page.goto(admin_page.admin_url + "media/audio/add/")
    file_input = admin_page.locator("input[type=file][name=file]")
    file_input.set_input_files(write(tmp_path / "notes.txt", b"not audio"))
    admin_page.get_by_label("Title").fill("Notes")
    admin_page.get_by_role("button", name="Upload").click()
    field = admin_page.locator("[data-field]:has(input[name=file])")
    expect(field.locator(".error-message")).to_contain_text("“notes.txt” is not a file type")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    assert s3.keys() == [] and Media.objects.count() == 0

    song = make_file(tmp_path / "song.mp3", 2 * 1024**2, seed=8)
    file_input.set_input_files(song)
    expect(field.locator(".error-message")).to_have_count(0)
    admin_page.get_by_role("button", name="Upload").click()
    expect(admin_page.locator(".messages")).to_contain_text("Media file 'Notes' added.")

    media = Media.objects.get()
    assert (media.type, media.file.name) == ("audio", "media/song.mp3")
    assert s3.keys() == ["media/song.mp3"]
    assert s3.read("media/song.mp3") == song.read_bytes()
    assert max(post_sizes) < SMALL_POST


def test_a_video_upload_cut_off_resumes_after_a_reload_with_the_missing_part(
    admin_page, s3, settings, tmp_path
):
    settings.S3FILE_MULTIPART_THRESHOLD = 10 * 1024**2
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * 1024**2
    settings.S3FILE_MULTIPART_RETRIES = 1
    video = make_file(tmp_path / "long-take.mov", 38 * 1024**2, seed=9)  # 8 parts
    url = admin_page.admin_url + "media/video/add/"
    file_input = admin_page.locator("input[type=file][name=file]")
    cut = "**/*partNumber=6&*"
    admin_page.route(cut, lambda route: route.abort("connectionreset"))

    admin_page.goto(url)
    file_input.set_input_files(video)
    admin_page.get_by_role("button", name="Upload").click()
    field = admin_page.locator("[data-field]:has(input[name=file])")
    expect(field.locator(".error-message")).to_contain_text("could not be uploaded")
    expect(admin_page.get_by_role("button", name="Upload")).to_be_enabled()
    assert Media.objects.count() == 0

    admin_page.unroute(cut)
    parts: list[str] = []
    admin_page.on(
        "request",
        lambda r: (
            r.method == "PUT"
            and "partNumber=" in r.url
            and parts.append(r.url.split("partNumber=")[1].split("&")[0])
        ),
    )
    admin_page.reload()
    file_input.set_input_files(video)
    admin_page.get_by_role("button", name="Upload").click()
    expect(admin_page.locator(".messages")).to_contain_text("Media file 'long-take' added.")

    assert parts == ["6"]
    assert s3.keys() == ["media/long-take.mov"]
    assert object_sha1(s3, "media/long-take.mov") == file_sha1(video)
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []
