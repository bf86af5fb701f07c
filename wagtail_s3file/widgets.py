"""The file input of Wagtail's image and document forms, uploading straight to storage."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from s3file.forms import S3FileInputMixin


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
        if self.messages:
            texts = json.loads(data["data-s3f-messages"])
            data["data-s3f-messages"] = json.dumps({**texts, **self.messages})
        return data
