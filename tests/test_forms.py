from __future__ import annotations

import json

import pytest
from django import forms
from django.forms.widgets import ClearableFileInput

from s3file.backends import LocalBackend
from s3file.forms import S3FileInput, S3FileInputMixin, install
from s3file.rules import conditions, unsign_grant
from tests.testapp.forms import DocumentForm, ImagesForm


def file_input_attrs(html: str, name: str) -> dict[str, str]:
    from html.parser import HTMLParser

    found: dict[str, str] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("type") == "file" and attrs.get("name") == name:
                found.update(attrs)

    Parser().feed(html)
    return found


def test_install_twice_keeps_the_mixin_once():
    install()
    install()
    assert ClearableFileInput.__mro__.count(S3FileInputMixin) == 1


@pytest.mark.usefixtures("dev_storage")
def test_every_clearable_file_input_uploads_directly():
    form = DocumentForm()
    attrs = file_input_attrs(str(form["file"]), "file")
    # The dev endpoint, with the size it reads at most (signed) in the query.
    assert attrs["data-s3f-url"].startswith("/__s3file__/?limit=")
    fields = json.loads(attrs["data-s3f-fields"])
    folder = unsign_grant(attrs["data-s3f-signature"]).folder
    assert folder.startswith("tmp/s3file/")
    assert fields["key"] == folder + "/${filename}"
    assert 's3file/js/s3file.js" type="module"' in str(form.media)


@pytest.mark.usefixtures("dev_storage")
def test_each_render_gets_its_own_folder():
    form = DocumentForm()
    first = file_input_attrs(str(form["file"]), "file")["data-s3f-signature"]
    again = file_input_attrs(str(form["file"]), "file")["data-s3f-signature"]
    other = file_input_attrs(str(form["others"]), "others")["data-s3f-signature"]
    assert len({unsign_grant(s).folder for s in (first, again, other)}) == 3


@pytest.mark.usefixtures("dev_storage")
def test_setting_off_leaves_plain_inputs_but_explicit_widget_still_uploads(settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    html = str(DocumentForm()["file"])
    assert "data-s3f-url" not in html
    assert "s3file" not in str(DocumentForm().media)
    images = ImagesForm()
    assert "data-s3f-url" in str(images["image"])
    assert "data-s3f-url" not in str(images["pdf"])


@pytest.mark.usefixtures("dev_storage")
def test_no_direct_upload_without_the_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "s3file" not in m]
    assert "data-s3f-url" not in str(DocumentForm()["file"])


def test_no_direct_upload_for_other_storages(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert "data-s3f-url" not in str(DocumentForm()["file"])


@pytest.mark.usefixtures("dev_storage")
def test_per_widget_max_size_and_accept_reach_the_policy():

    attrs = file_input_attrs(str(ImagesForm()["image"]), "image")
    assert attrs["data-s3f-max-size"] == "200000"
    policy = conditions(LocalBackend.grant(json.loads(attrs["data-s3f-fields"])))
    assert ["content-length-range", 0, 200000] in policy
    assert ["starts-with", "$Content-Type", "image/"] in policy
    messages = json.loads(attrs["data-s3f-messages"])
    assert "195.3\xa0KB" in messages["too-large"]


@pytest.mark.usefixtures("dev_storage")
def test_multiple_file_widget_keeps_multiple():
    attrs = file_input_attrs(str(DocumentForm()["others"]), "others")
    assert "multiple" in attrs


@pytest.mark.usefixtures("dev_storage")
def test_plain_form_field_gets_the_input_too():
    class Form(forms.Form):
        upload = forms.FileField()
        picture = forms.ImageField()

    form = Form()
    assert "data-s3f-url" in str(form["upload"])
    assert "data-s3f-url" in str(form["picture"])
    assert isinstance(S3FileInput(), S3FileInputMixin)


def test_the_scripts_messages_are_translated():
    from django.utils import translation

    from s3file.forms import messages

    with translation.override("de"):
        texts = messages(1000)
    assert (
        texts["too-large"]
        == "„{name}“ ist zu groß: Dateien dürfen höchstens 1000\xa0Bytes groß sein."
    )
    assert all("{name}" in text for text in texts.values())
