"""The file input of Wagtail's image and document forms, uploading straight to storage."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext

from s3file.forms import S3FileInputMixin


def announcements() -> dict[str, str]:
    """What the Wagtail scripts show and say of an upload (``data-s3f-wagtail``), translated
    here; ``{name}`` and ``{percent}`` are filled in the browser."""
    return {
        "uploading": gettext("Uploading “{name}”"),
        "progress": gettext("“{name}”: {percent} uploaded"),
        "done": gettext("“{name}” uploaded"),
        "failed": gettext("“{name}” could not be uploaded"),
        "cancelled": gettext(
            "Upload cancelled. The file is still chosen: submit again to upload it."
        ),
        "cancel": gettext("Cancel upload"),
        "bar": gettext("Upload progress"),
    }


class DirectFileInput(S3FileInputMixin, forms.FileInput):
    """A plain ``FileInput`` (Wagtail's choice: no "Currently:" link, no clear box) whose
    file goes straight to storage, with S3's SHA-1 check, and messages of the caller's.

    ``messages`` replaces some of the texts the script shows (keys of
    ``s3file.forms.messages()``: ``too-large``, ``type``, ...), so that a refusal in the
    browser reads as Wagtail's own error for the same file.
    """

    # Installing wagtail_s3file asks for direct uploads in Wagtail, whatever
    # S3FILE_REPLACE_WIDGETS says about the project's other forms.
    direct_upload = True
    # The file's SHA-1 is Wagtail's duplicate check; S3 verifies the one the browser sends.
    checksum = True
    # Wagtail's fields check the size and the format themselves, with Wagtail's messages
    # (the grant the file was uploaded under still bounds it, see S3FileMiddleware).
    check_limits = False

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        messages: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.messages = dict(messages or {})
        super().__init__(attrs, **kwargs)

    def upload_attrs(self, attrs: dict[str, Any], name: str = "") -> dict[str, Any]:
        data = super().upload_attrs(attrs, name)
        data["data-s3f-wagtail"] = json.dumps(announcements())
        if self.messages:
            texts = json.loads(data["data-s3f-messages"])
            data["data-s3f-messages"] = json.dumps({**texts, **self.messages})
        return data
