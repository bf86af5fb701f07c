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


#: Where else the upload page posts its form: its "Save elsewhere" button's formaction, and
#: the view a browser test's script posts the form to.
POSTS_TO = ["upload-alt", "/describe/"]


class DocumentForm(forms.ModelForm):
    others = MultipleFileField(required=False, widget=MultipleFileInput(posts_to=POSTS_TO))

    class Meta:
        model = Document
        fields = ["title", "file"]
        widgets = {"file": forms.ClearableFileInput(posts_to=POSTS_TO)}


class ImagesForm(forms.Form):
    """Fields with accept lists and a small per-widget size limit."""

    title = forms.CharField()
    image = forms.FileField(widget=S3FileInput(attrs={"accept": "image/*"}, max_size=200_000))
    pdf = forms.FileField(required=False, widget=forms.ClearableFileInput({"accept": ".pdf"}))
    sheet = forms.FileField(required=False, widget=forms.ClearableFileInput({"accept": ".csv"}))


def unique_title(title: str) -> str:
    """A check only the server can make, after the upload: the title must be new."""
    if Document.objects.filter(title=title).exists():
        raise forms.ValidationError("A document with this title exists already.")
    return title


class KeptDocumentForm(DocumentForm):
    """A ModelForm that can fail on another field than its file."""

    def clean_title(self):
        return unique_title(self.cleaned_data["title"])


class ReportForm(forms.Form):
    """A plain form that can fail on another field, with a field that checks its file."""

    title = forms.CharField(validators=[unique_title])
    file = forms.FileField()
    picture = forms.ImageField(required=False)


ReportFormSet = forms.formset_factory(ReportForm, extra=2)


class ScanForm(forms.ModelForm):
    class Meta:
        model = Scan
        fields = ["file"]
