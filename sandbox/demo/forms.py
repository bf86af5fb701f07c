"""The public demo form: an ordinary ``forms.Form``; nothing in it knows about S3."""

from __future__ import annotations

from typing import Any

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A field for several files: the pattern Django's documentation gives."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="Becomes the report's title.")
    document = forms.FileField(help_text="One file, of any size and type.")
    attachments = MultipleFileField(required=False, help_text="Any number of files.")
