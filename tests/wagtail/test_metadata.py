"""What Wagtail learns about a direct upload (validation, size, dimensions, SHA-1) costs
S3 a few requests and the header bytes, never a download of the whole object."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from s3file.backends import default_storage
from s3file.files import S3UploadedFile
from tests.hardening import file_inputs
from tests.wagtail.conftest import image_bytes, sha1
from wagtail_s3file.widgets import DirectFileInput

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def grant(client=None) -> tuple[str, str]:
    """The folder and signature of a freshly rendered direct-upload input; the policy of
    ``client``'s "Add documents" page (its grant is for that browser only)."""
    if client is None:
        attrs = DirectFileInput().upload_attrs({})
    else:
        page = client.get("/cms/documents/multiple/add/").content.decode()
        attrs = file_inputs(page)["files[]"]
    folder = json.loads(attrs["data-s3f-fields"])["key"].removesuffix("/${filename}")
    return folder, attrs["data-s3f-signature"]


def upload(
    s3, name: str, data: bytes, content_type: str, checksum: bool = True, folder: str = ""
) -> str:
    """Put ``data`` where the browser would, with the SHA-1 it sends (S3 verifies it)."""
    key = f"{folder or grant()[0]}/{uuid.uuid4().hex[:16]}/{name}"
    extra = {}
    if checksum:
        extra["ChecksumSHA1"] = base64.b64encode(hashlib.sha1(data).digest()).decode()
    s3.client.put_object(Bucket=s3.name, Key=key, Body=data, ContentType=content_type, **extra)
    return key


def image_form(key: str, user, title: str = "Photo"):
    Form = get_image_form(get_image_model())
    data = {"title": title, "collection": Collection.get_first_root_node().pk}
    return Form(data, {"file": S3UploadedFile(default_storage(), key)}, user=user)


@pytest.mark.parametrize("format", ["PNG", "JPEG"])
def test_image_is_validated_and_measured_from_its_header(
    s3, s3_calls, s3_bytes_read, editor, wagtail_site, format
):
    data = image_bytes(1200, 900, seed=3, format=format)
    assert len(data) > 500_000
    key = upload(s3, f"harbour.{format.lower()}", data, f"image/{format.lower()}")

    form = image_form(key, editor)
    assert form.is_valid(), form.errors
    image = form.save()

    assert (image.width, image.height) == (1200, 900)
    assert (image.file_size, image.file_hash) == (len(data), sha1(data))
    assert image.file.name == f"original_images/harbour.{format.lower()}"
    assert s3.keys() == [image.file.name]
    # One ranged GET of the header, the SHA-1 S3 verified, a copy: no download.
    assert s3_bytes_read.total <= 128 * 1024
    operations = [call.operation for call in s3_calls]
    assert operations.count("GetObject") == 1
    assert operations.index("GetObject") < operations.index("CopyObject")
    assert operations.count("CopyObject") == 1


def test_image_without_a_checksum_is_hashed_in_one_pass(s3, s3_bytes_read, editor, wagtail_site):
    data = image_bytes(800, 600, seed=4)
    key = upload(s3, "pier.png", data, "image/png", checksum=False)

    form = image_form(key, editor)
    assert form.is_valid(), form.errors
    image = form.save()

    assert image.file_hash == sha1(data)
    assert s3_bytes_read.total <= len(data) + 128 * 1024


def test_pixel_limit_is_checked_from_the_header(s3, s3_bytes_read, settings, editor, wagtail_site):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100_000
    key = upload(s3, "big.png", image_bytes(1200, 900), "image/png")

    form = image_form(key, editor)

    message = WagtailImageField().error_messages["file_too_many_pixels"] % {
        "num_pixels": 1_080_000,
        "max_pixels_count": 100_000,
    }
    assert form.errors["file"] == [message]
    assert s3_bytes_read.total <= 128 * 1024


def test_an_animated_gif_is_judged_as_wagtail_judges_it(s3, settings, editor, wagtail_site):
    """Frames count towards the pixel limit as far as Wagtail's Willow counts them."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000
    frames = [PILImage.new("RGB", (100, 100), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    try:
        WagtailImageField().clean(SimpleUploadedFile("blink.gif", buffer.getvalue(), "image/gif"))
        stock: list[str] = []
    except ValidationError as e:
        stock = e.messages
    key = upload(s3, "blink.gif", buffer.getvalue(), "image/gif")

    form = image_form(key, editor)

    assert form.errors.get("file", []) == stock


def test_a_file_that_is_no_image_gets_wagtails_message(s3, editor, wagtail_site):
    key = upload(s3, "notes.png", b"just some text", "image/png")

    form = image_form(key, editor)

    assert form.errors["file"] == [WagtailImageField().error_messages["invalid_image"]]


def test_a_file_over_the_upload_size_gets_wagtails_message(s3, settings, editor, wagtail_site):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100_000
    data = image_bytes(400, 300)
    key = upload(s3, "large.png", data, "image/png")

    form = image_form(key, editor)

    message = WagtailImageField().error_messages["file_too_large"] % {
        "file_size": filesizeformat(len(data)),
        "max_filesize": filesizeformat(100_000),
    }
    assert form.errors["file"] == [message]


@pytest.mark.parametrize("checksum", [True, False])
def test_multiple_document_upload_hashes_each_document_once(
    s3, s3_calls, s3_bytes_read, admin_client, wagtail_site, checksum
):
    data = b"%PDF-1.7\n" + bytes(range(256)) * 8000
    folder, signature = grant(admin_client)
    key = upload(s3, "annual-report.pdf", data, "application/pdf", checksum, folder)

    response = admin_client.post(
        "/cms/documents/multiple/add/",
        {
            "s3file": "files[]",
            "files[]": key,
            "files[]-s3f-signature": signature,
            "title": "Annual report",
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert json.loads(response.content)["success"] is True
    document = get_document_model().objects.get()
    assert (document.file_size, document.file_hash) == (len(data), sha1(data))
    assert s3.keys() == ["documents/annual-report.pdf"]
    # Wagtail's view asks for the hash twice; S3 is asked once, and the bytes read at most once.
    checksum_heads = [c for c in s3_calls if c.params.get("ChecksumMode") == "ENABLED"]
    assert len(checksum_heads) == 1
    temp_heads = [
        c for c in s3_calls if c.operation == "HeadObject" and c.params["Key"].startswith("tmp/")
    ]
    assert len(temp_heads) == 1  # the size came with the checksum
    assert s3_bytes_read.total == (0 if checksum else len(data))


def test_files_uploaded_through_django_take_wagtails_own_path(dev_storage, editor, wagtail_site):
    data = image_bytes(320, 240, seed=9)
    Form = get_image_form(get_image_model())
    form = Form(
        {"title": "Plain", "collection": Collection.get_first_root_node().pk},
        {"file": SimpleUploadedFile("plain.png", data, "image/png")},
        user=editor,
    )

    assert form.is_valid(), form.errors
    image = form.save()

    assert (image.width, image.height, image.file_size) == (320, 240, len(data))
    assert image.file_hash == sha1(data)
    assert (dev_storage / image.file.name).read_bytes() == data
