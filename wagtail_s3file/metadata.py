"""What Wagtail learns about an uploaded image or document, taken cheaply from S3.

Wagtail reads an upload to validate it and to fill in ``width``, ``height``, ``file_size``
and ``file_hash``. For a direct upload that would download the object into the web
process, whole: Willow's ``get_size()`` decodes every pixel (for the pixel limit and for the
dimensions, which Django asks for again right after saving the file), and the hash streams
the object (twice for the multiple document upload). ``install()`` wraps four of Wagtail's
methods (``WRAPPERS``) so that, for a direct upload (``S3UploadedFile``)
only:

- the pixel limit (``check_image_pixel_size``) and the dimensions
  (``get_image_dimensions``) read the image's header (with ranged GETs) where Willow's
  ``get_size()`` would decode every pixel; the size is read once and remembered;
- ``file_hash`` (``_set_file_hash``) is the SHA-1 S3 verified when the browser sent it in
  one POST (one HEAD); for a file sent in parts, the SHA-1 the browser computed while the
  parts travelled and posted with the key (``S3UploadedFile.stated_sha1``: S3 verifies no
  whole-file SHA-1 of a multipart upload); else (a client that posts none) computed by
  streaming the object once.

The browser's SHA-1 is the uploader's word, unchecked: Wagtail uses ``file_hash`` for the
document's ETag when it serves the file itself, the image's rendition cache keys, and the
duplicate check of its multiple image upload, so a false one misleads the caches of that
one document or image, and that duplicate check (which would offer another image as "the
same" to whoever next uploads the file whose hash was claimed). A site that must not trust
its uploaders with that sets ``S3FILE_TRUST_BROWSER_SHA1 = False``: the object is then
read once to hash it, as before.

The rest of validation is Wagtail's own ``to_python``: it hands an upload that has a
``temporary_file_path`` (as ``S3UploadedFile`` has) to Willow as it is, which reads only the
header to tell the format. ``file_size`` needs no help: Wagtail asks the upload's ``size``,
which is one HEAD. Anything that is not a direct upload goes to Wagtail's own code unchanged.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from s3file import conf
from s3file.files import S3UploadedFile

from . import compat

if TYPE_CHECKING:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.fields import WagtailImageField
    from wagtail.images.models import AbstractImage, WagtailImageFieldFile

#: Attribute of an ``S3UploadedFile`` holding the image's (width, height) once known.
DIMENSIONS = "_wagtail_s3file_dimensions"


def direct_upload(file: Any) -> S3UploadedFile | None:
    """The direct upload behind a model's not yet saved ``FieldFile`` (or itself), or None."""
    if isinstance(file, S3UploadedFile):
        return file
    # Not ``file.file``: on a saved FieldFile that opens the stored object.
    content = getattr(file, "_file", None)
    return content if isinstance(content, S3UploadedFile) else None


def header_size(upload: S3UploadedFile) -> tuple[int, int] | None:
    """The image's (width, height) from its header, remembered on the upload; None if
    Pillow cannot read it (SVG, say), for Willow to try."""
    if DIMENSIONS not in upload.__dict__:
        upload.seek(0)
        size: tuple[int, int] | None = None
        try:
            with PILImage.open(upload) as image:  # lazy: reads the header, decodes nothing
                size = image.size
        except UnidentifiedImageError:
            pass
        finally:
            upload.seek(0)
        upload.__dict__[DIMENSIONS] = size
    known: tuple[int, int] | None = upload.__dict__[DIMENSIONS]
    return known


class HeaderImage:
    """Willow's image of an upload for Wagtail's checks, with the size read from the header
    and the frame count Willow would give, without reading the whole file; everything else
    is Willow's."""

    def __init__(self, image: Any, upload: S3UploadedFile) -> None:
        self.image = image
        self.upload = upload

    def __getattr__(self, name: str) -> Any:
        return getattr(self.image, name)

    def get_size(self) -> tuple[int, int]:
        return header_size(self.upload) or self.image.get_size()

    def get_frame_count(self) -> int:
        # Willow's Pillow backend counts no frames (1), but converting the image to it reads
        # the whole file: answer as it would, without the read. With Wand installed Willow
        # counts real frames, and is asked.
        if importlib.util.find_spec("wand") is None:
            return 1
        return int(self.image.get_frame_count())


def pixel_check(original: Callable[..., Any], field: WagtailImageField, upload: Any) -> Any:
    """``WagtailImageField.check_image_pixel_size`` measuring a direct upload from its
    header: Wagtail's check, given Willow's image with the size and frame count answered
    without reading the whole file."""
    direct = direct_upload(upload)
    if direct is not None and not isinstance(upload.image, HeaderImage):
        upload.image = HeaderImage(upload.image, direct)
    return original(field, upload)


def image_dimensions(original: Callable[..., Any], field_file: WagtailImageFieldFile) -> Any:
    """``get_image_dimensions`` reading a direct upload's header, once: Django asks again
    right after ``S3OptimizedUploadStorage`` has moved the object, and the remembered size
    answers without another request."""
    upload = direct_upload(field_file)
    if upload is None:
        return original(field_file)
    return header_size(upload) or original(field_file)


def file_hash(original: Callable[..., Any], instance: AbstractImage | AbstractDocument) -> None:
    """``_set_file_hash`` taking a direct upload's SHA-1 from S3, else from the browser, else
    from one streamed pass."""
    upload = direct_upload(instance.file)
    if upload is None:
        original(instance)
        return
    stated = upload.stated_sha1 if conf.get("S3FILE_TRUST_BROWSER_SHA1") else ""
    instance.file_hash = upload.verified_sha1 or stated or upload.sha1


#: Wagtail's methods (module, class and method) and what wraps them.
WRAPPERS: list[tuple[str, str, Callable[..., Any]]] = [
    ("wagtail.images.fields", "WagtailImageField.check_image_pixel_size", pixel_check),
    ("wagtail.images.models", "WagtailImageFieldFile.get_image_dimensions", image_dimensions),
    ("wagtail.images.models", "AbstractImage._set_file_hash", file_hash),
    ("wagtail.documents.models", "AbstractDocument._set_file_hash", file_hash),
]


def install() -> None:
    """Wrap Wagtail's methods (see the module's docstring); a second call does nothing, and a
    method this Wagtail lacks is left to Wagtail."""
    for module, attribute, wrapper in WRAPPERS:
        compat.wrap(module, attribute, wrapper)
