from __future__ import annotations

from django import forms

from s3file.forms import S3FileInput

from .models import Document, Scan


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for a field that takes several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DocumentForm(forms.ModelForm):
    others = MultipleFileField(required=False)

    class Meta:
        model = Document
        fields = ["title", "file"]


class ImagesForm(forms.Form):
    """Fields with accept lists and a small per-widget size limit."""

    title = forms.CharField()
    image = forms.FileField(widget=S3FileInput(attrs={"accept": "image/*"}, max_size=200_000))
    pdf = forms.FileField(required=False, widget=forms.ClearableFileInput({"accept": ".pdf"}))
    sheet = forms.FileField(required=False, widget=forms.ClearableFileInput({"accept": ".csv"}))


class ScanForm(forms.ModelForm):
    class Meta:
        model = Scan
        fields = ["file"]
