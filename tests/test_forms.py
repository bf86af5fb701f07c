from __future__ import annotations

import json
import logging

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.widgets import ClearableFileInput
from django.utils import translation

from s3file.backends import LocalBackend, local_backend
from s3file.forms import S3FileInput, S3FileInputMixin, install
from s3file.rules import conditions, unsign_grant
from tests.conftest import sign_folder
from tests.testapp.forms import DocumentForm, ImagesForm
from tests.testapp.models import Document


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


def bytes_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "s3file" and "instead of an S3 key" in r.getMessage()
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_bytes_posted_to_a_direct_upload_field_are_saved_and_logged_once(client, caplog):
    # What a page without {{ form.media }} posts: the script never ran.
    data = {"title": "t", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 data")}
    with caplog.at_level(logging.WARNING, logger="s3file"):
        response = client.post("/upload/", data)
    assert response.status_code == 200
    with Document.objects.get().file.open("rb") as saved:
        assert saved.read() == b"%PDF-1.7 data"
    warnings = bytes_warnings(caplog)
    assert len(warnings) == 1  # the form reads the field several times
    assert "'file'" in warnings[0]
    assert "'report.pdf'" in warnings[0]
    assert "{{ form.media }}" in warnings[0]
    # Outside DEBUG, the page the user sees is left alone.
    assert "S3File-Warning" not in response.headers
    assert not list(get_messages(response.wsgi_request))


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_in_debug_the_response_and_a_message_say_the_script_did_not_run(client, settings):
    settings.DEBUG = True
    data = {
        "title": "t",
        "file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 data"),
        "others": [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")],
    }
    response = client.post("/upload/", data)
    assert response.status_code == 200
    assert response.headers["S3File-Warning"] == (
        "file bytes posted to direct-upload field(s) 'file', 'others': "
        "the s3file script did not run (is {{ form.media }} in the template?)"
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 2
    assert shown[0].startswith("“report.pdf” was sent through Django, not uploaded straight")
    assert "Add {{ form.media }} to the template." in shown[0]
    assert shown[1].startswith("“a.txt” was sent through Django")


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_the_debug_message_is_translated(client, settings):
    settings.DEBUG = True
    data = {"title": "t", "file": SimpleUploadedFile("bericht.pdf", b"%PDF-1.7 data")}
    with translation.override("de"):
        response = client.post("/upload/", data)
    [shown] = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == (
        "„bericht.pdf“ wurde über Django gesendet, nicht direkt in den Speicher hochgeladen: "
        "Das Upload-Skript lief auf dieser Seite nicht. Fügen Sie {{ form.media }} in die "
        "Vorlage ein."
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_keys_posted_by_the_script_raise_no_such_warning(client, settings, caplog):
    settings.DEBUG = True
    folder = "tmp/s3file/0123"
    key = f"{folder}/0/report.pdf"
    pending = local_backend().path(key)  # where the dev endpoint would have put it
    pending.parent.mkdir(parents=True)
    pending.write_bytes(b"%PDF-1.7 data")
    data = {
        "title": "t",
        "s3file": "file",
        "file": key,
        "file-s3f-signature": sign_folder(folder, field="file"),
    }
    with caplog.at_level(logging.WARNING, logger="s3file"):
        response = client.post("/upload/", data)
    assert response.status_code == 200
    with Document.objects.get().file.open("rb") as saved:
        assert saved.read() == b"%PDF-1.7 data"
    assert not bytes_warnings(caplog)
    assert "S3File-Warning" not in response.headers


@pytest.mark.django_db
@pytest.mark.usefixtures("dev_storage")
def test_bytes_posted_to_a_plain_file_input_raise_no_warning(client, settings, caplog):
    settings.DEBUG = True
    settings.S3FILE_REPLACE_WIDGETS = False
    data = {"title": "t", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 data")}
    with caplog.at_level(logging.WARNING, logger="s3file"):
        response = client.post("/upload/", data)
    assert response.status_code == 200
    assert not bytes_warnings(caplog)
    assert "S3File-Warning" not in response.headers


@pytest.mark.django_db
def test_add_posts_to_declares_more_urls_for_every_input_rendered(
    client, dev_storage, settings, monkeypatch
):
    """An integration names, per request, where its pages post forms (``add_posts_to``):
    every input rendered there takes its keys at those URLs too, and nowhere else."""
    from s3file import forms as s3file_forms
    from tests.hardening import dev_post, render, submit

    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    monkeypatch.setattr(s3file_forms, "TARGETS", [])
    s3file_forms.add_posts_to(lambda request: ["/h/other/"] if request.path == "/h/" else [])
    s3file_forms.add_posts_to(s3file_forms.TARGETS[0])  # once per callable
    assert len(s3file_forms.TARGETS) == 1

    attrs = render(client)["doc"]
    assert unsign_grant(attrs["data-s3f-signature"]).paths == ("/h/", "/h/other/")
    _, key = dev_post(client, attrs, "a.txt", b"declared")
    answer = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/other/")
    assert answer.json() == {"saved": {"doc": "saved/doc/a.txt"}}
    # Rendered at another view, the callable names nothing: only that view is offered.
    elsewhere = render(client, "/h/one/")["file"]
    assert unsign_grant(elsewhere["data-s3f-signature"]).paths == ("/h/one/",)
