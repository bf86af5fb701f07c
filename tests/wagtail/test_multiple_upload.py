"""Wagtail's "Add images" and "Add documents" pages, uploading straight to S3."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.browser.conftest import events
from tests.wagtail.conftest import WAGTAIL_RENDITION_LEAK, image_bytes, rendition, sha1, write

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
    WAGTAIL_RENDITION_LEAK,
]


def test_ten_images_upload_to_s3_with_their_metadata(
    admin_page, s3, s3_calls, s3_bytes_read, tmp_path, artifacts
):
    sizes = [(640 + 40 * i, 480 - 20 * i) for i in range(10)]
    images = {f"photo-{i}.png": image_bytes(w, h, seed=i) for i, (w, h) in enumerate(sizes)}
    paths = [write(tmp_path / name, data) for name, data in images.items()]

    admin_page.goto(admin_page.admin_url + "images/multiple/add/")
    admin_page.set_input_files("#fileupload", paths)
    rows = admin_page.locator("#upload-list > li")
    expect(rows.and_(admin_page.locator(".upload-success"))).to_have_count(10)
    admin_page.screenshot(path=artifacts / "wagtail-multiple-images.png", full_page=True)
    read_while_uploading = s3_bytes_read.total
    Image = get_image_model()
    assert Image.objects.count() == 10
    for image in Image.objects.all():
        name = image.file.name.removeprefix("original_images/")
        i = int(name.removeprefix("photo-").removesuffix(".png"))
        assert image.title == f"photo-{i}"
        assert (image.width, image.height) == sizes[i]
        assert image.file_size == len(images[name])
        assert image.file_hash == sha1(images[name])
        assert s3.read(image.file.name) == images[name]
    assert s3.keys() == sorted(f"original_images/{name}" for name in images)  # temp keys gone

    # The server read image headers only (each file is about 1 MB), and S3 copied each.
    assert min(map(len, images.values())) > 900_000
    assert read_while_uploading / len(images) <= 128 * 1024
    operations = [call.operation for call in s3_calls]
    assert operations.count("CopyObject") == 10
    assert "PutObject" not in operations
    # Each bar followed its file's upload to S3.
    assert len(events(admin_page, "file-done")) == 10
    assert admin_page.locator("#upload-list .progress .bar").first.text_content() == "100%"

    size, name = rendition(Image.objects.get(title="photo-3"), "fill-100x80")
    assert size == (100, 80)
    assert name in s3.keys(prefix="images/")


def test_three_documents_upload_to_s3_hashed_by_s3(
    admin_page, s3, s3_calls, s3_bytes_read, tmp_path
):
    rng = random.Random(5)
    documents = {
        "report.pdf": b"%PDF-1.7\n" + rng.randbytes(1_500_000),
        "notes.txt": b"Minutes of the meeting\n" * 1000,
        "figures.csv": b"year,value\n" + b"".join(b"%d,%d\n" % (y, y * 7) for y in range(9999)),
    }
    paths = [write(tmp_path / name, data) for name, data in documents.items()]

    admin_page.goto(admin_page.admin_url + "documents/multiple/add/")
    admin_page.set_input_files("#fileupload", paths)
    rows = admin_page.locator("#upload-list > li")
    expect(rows.and_(admin_page.locator(".upload-success"))).to_have_count(3)

    Document = get_document_model()
    saved = {document.filename: document for document in Document.objects.all()}
    assert sorted(saved) == sorted(documents)
    for name, data in documents.items():
        assert saved[name].title == name.rsplit(".", 1)[0]
        assert saved[name].file_size == len(data)
        assert saved[name].file_hash == sha1(data)
        assert saved[name].file.name == f"documents/{name}"
    assert s3.keys() == sorted(f"documents/{name}" for name in documents)
    # The SHA-1 came from S3, which verified the one the browser sent: one HEAD per document
    # (Wagtail would hash each document twice), and no byte downloaded.
    assert s3_bytes_read.total == 0
    checksum_heads = [c for c in s3_calls if c.params.get("ChecksumMode") == "ENABLED"]
    assert len(checksum_heads) == 3
    # ... and that HEAD also gave the size: none other of the uploaded objects.
    temp_heads = [
        c for c in s3_calls if c.operation == "HeadObject" and c.params["Key"].startswith("tmp/")
    ]
    assert len(temp_heads) == 3
    assert [s3.read(saved[name].file.name) for name in documents] == list(documents.values())
