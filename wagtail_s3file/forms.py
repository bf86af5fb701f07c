"""Base forms for Wagtail's image and document forms that upload the file directly.

``wagtail_s3file`` makes these ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
``WAGTAILDOCS_DOCUMENT_FORM_BASE`` unless a project sets its own (``compat.FORM_BASES``); a
project that does adds ``S3FileFormMixin`` to its base form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from s3file.forms import S3FileInputMixin

from .widgets import DirectFileInput, chooser_targets, point_at


def browser_messages(field: forms.Field) -> dict[str, str]:
    """Wagtail's own error texts for what the browser refuses before uploading; one a Wagtail
    release dropped leaves s3file's own text."""
    texts = field.error_messages
    messages = {}
    if (
        getattr(field, "max_upload_size", None) is not None
        and "file_too_large_unknown_size" in texts
    ):
        messages["too-large"] = str(texts["file_too_large_unknown_size"])
    if isinstance(field, WagtailImageField) and "invalid_image_extension" in texts:
        messages["type"] = str(texts["invalid_image_extension"])
    return messages


class S3FileFormMixin:
    """Give the form's ``file`` field a ``DirectFileInput``.

    The input keeps Wagtail's attributes (``accept``, the title sync), is limited to the
    field's ``max_upload_size`` (``WAGTAILIMAGES_MAX_UPLOAD_SIZE``,
    ``WAGTAILDOCS_MAX_UPLOAD_SIZE``) in the browser and in the S3 policy, and shows
    Wagtail's messages when the browser refuses a file. Rendered in a chooser, its keys may
    be posted to the chooser's upload view (``widgets.chooser_targets()``). With
    ``S3FILE_CLAIM`` it uploads into the folder the model saves in (``widgets.saved_in``).
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None or isinstance(field.widget, S3FileInputMixin):
            return
        widget = DirectFileInput(
            attrs=field.widget.attrs,
            max_size=getattr(field, "max_upload_size", None),
            messages=browser_messages(field),
            posts_to=chooser_targets(),
        )
        widget.is_required = field.widget.is_required
        point_at(widget, getattr(getattr(self, "_meta", None), "model", None))
        field.widget = widget


class S3ImageForm(S3FileFormMixin, BaseImageForm):
    """Wagtail's ``BaseImageForm`` with a direct-upload file input."""


class S3DocumentForm(S3FileFormMixin, BaseDocumentForm):
    """Wagtail's ``BaseDocumentForm`` with a direct-upload file input."""
