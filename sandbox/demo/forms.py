"""The public demo form: an ordinary ``forms.Form``. Only the size-limited field names
s3file's widget, for its ``max_size``; a type limit is the input's usual ``accept``."""

from __future__ import annotations

from typing import Any

from django import forms

from s3file.forms import S3FileInput

from .models import Report


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
    title = forms.CharField(
        max_length=200,
        help_text="Becomes the report's title; it must be new. Give a title used before to "
        "see the form come back with an error and keep its uploads: the next submit sends "
        "nothing to storage again.",
    )
    document = forms.FileField(help_text="One file, of any size and type.")
    attachments = MultipleFileField(required=False, help_text="Any number of files.")
    summary = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
        help_text="PDF only: a file of another type is refused.",
    )
    excerpt = forms.FileField(
        required=False,
        widget=S3FileInput(max_size=1024**2),
        help_text="At most 1 MB: a larger file is refused.",
    )

    def clean_title(self) -> str:
        """A check made after the upload, on the server: the files stay kept when it fails."""
        title: str = self.cleaned_data["title"]
        if Report.objects.filter(title=title).exists():
            raise forms.ValidationError("A report with this title exists already.")
        return title
