"""``{% s3file_multiple_upload %}``: what the multiple upload pages need to upload to S3."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.validators import FileExtensionValidator
from django.forms.utils import flatatt
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from wagtail_s3file import compat
from wagtail_s3file.widgets import DirectFileInput, saved_in

register = template.Library()


@register.inclusion_tag("wagtail_s3file/multiple_upload.html")
def s3file_multiple_upload(max_size: int | None = None, documents: bool = False) -> dict[str, Any]:
    """The upload policy for the page's files (no ``accept``: Wagtail checks extensions
    itself, and a browser may not know an allowed file's type), and the script.

    Renders nothing when direct upload is off (another storage, no middleware), so the
    page keeps Wagtail's own uploads.
    """
    widget = DirectFileInput(max_size=max_size)
    if not widget.uploads_directly:
        return {"attrs": ""}
    # Into the folder the model saves in, with S3FILE_CLAIM.
    folder, field = saved_in(get_document_model() if documents else get_image_model())
    # Bound to the name Wagtail's uploader posts each file under (its view reads that).
    storage = None if field is None else field.storage
    attrs = widget.upload_attrs({}, "files[]", folder, storage)
    extensions = compat.wagtail_setting("WAGTAILDOCS_EXTENSIONS") if documents else None
    if extensions:
        # Wagtail's documents page does not check extensions before uploading; the
        # message is Django's, which the document model raises for the same file.
        extensions = [ext.lower() for ext in extensions]  # as FileExtensionValidator does
        attrs["data-s3f-extensions"] = " ".join(extensions)
        attrs["data-s3f-extension-message"] = FileExtensionValidator.message % {
            "extension": "{extension}",
            "allowed_extensions": ", ".join(extensions),
        }
    return {"attrs": flatatt(attrs)}
