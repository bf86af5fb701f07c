"""The admin's file widget and its installation, rendered without a browser."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.contrib.admin import options
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.test import Client
from django.utils import translation

from s3file_admin.widgets import S3AdminFileWidget, install, messages
from tests.adminapp.models import Report, ReportAttachment

SCRIPTS = [
    '<script src="/static/s3file/js/s3file.js" type="module"></script>',
    *(
        f'<script src="/static/s3file_admin/js/{name}.js" type="module"></script>'
        for name in ("progress", "errors", "preview")
    ),
]
STYLESHEET = '<link href="/static/s3file_admin/css/s3file_admin.css" media="all" rel="stylesheet">'


def test_file_and_image_fields_default_to_the_s3_admin_widget():
    for field in (models.FileField, models.ImageField):
        assert options.FORMFIELD_FOR_DBFIELD_DEFAULTS[field]["widget"] is S3AdminFileWidget
    model_admin = admin.site._registry[Report]
    for name in ("document", "cover"):
        formfield = model_admin.formfield_for_dbfield(Report._meta.get_field(name), None)
        assert type(formfield.widget) is S3AdminFileWidget
    inline = model_admin.get_inline_instances(None)[0]
    formfield = inline.formfield_for_dbfield(ReportAttachment._meta.get_field("file"), None)
    assert type(formfield.widget) is S3AdminFileWidget


def test_install_is_idempotent_and_keeps_another_choice(monkeypatch):
    class OtherWidget(AdminFileWidget):
        pass

    defaults = {
        models.FileField: {"widget": AdminFileWidget},
        models.ImageField: {"widget": OtherWidget},
    }
    monkeypatch.setattr(options, "FORMFIELD_FOR_DBFIELD_DEFAULTS", defaults)
    install()
    install()
    assert defaults == {
        models.FileField: {"widget": S3AdminFileWidget},
        models.ImageField: {"widget": OtherWidget},
    }


@pytest.fixture
def client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_change_form_keeps_the_admin_controls_and_adds_the_scripts_once(client, dev_storage):
    from django.core.files.base import ContentFile

    report = Report.objects.create(title="R", document=ContentFile(b"x", name="old.txt"))
    html = client.get(f"/admin/adminapp/report/{report.pk}/change/").content.decode()

    # The admin's own markup: "Currently", the link, "Change" (Document is required: no Clear).
    assert 'Currently: <a href="/media/reports/documents/old.txt">' in html
    assert "Change:" in html
    assert 'name="cover-clear"' not in html  # no cover yet, nothing to clear
    # Every file input uploads directly and carries the admin strings: main form, the
    # inline's extra row and the template row "Add another" clones.
    for name in ("document", "cover", "attachments-0-file", "attachments-__prefix__-file"):
        assert f'name="{name}"' in html
    assert html.count("data-s3f-url=") == 4
    assert html.count("data-s3f-admin=") == 4
    for tag in [*SCRIPTS, STYLESHEET]:
        assert html.count(tag) == 1, tag
    assert html.index(SCRIPTS[0]) < html.index(SCRIPTS[1])


@pytest.mark.django_db
def test_without_direct_upload_it_is_the_plain_admin_widget(client, dev_storage, settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    html = client.get("/admin/adminapp/report/add/").content.decode()
    assert 'type="file"' in html
    assert "data-s3f" not in html
    assert "s3file_admin/" not in html and "s3file/js" not in html


def test_strings_are_translated():
    with translation.override("de"):
        strings = messages()
        widget = S3AdminFileWidget()
        attrs = widget.get_context("f", None, {"id": "id_f"})["widget"]["attrs"]
    assert strings["uploading"] == "Lade {current} von {count} hoch"
    assert strings["cancel"] == "Upload abbrechen"
    assert strings["preview"] == "Vorschau von „{name}“"
    assert strings["MB"] == "%s MB"  # Django's own catalog
    assert json.loads(attrs["data-s3f-admin"]) == strings


def test_strings_fill_every_placeholder_the_scripts_use():
    strings = messages()
    assert {"{current}", "{count}"} <= set(strings["uploading"].split(" "))
    assert strings["ofTotal"] == "{loaded} of {total}"
    assert "{name}" in strings["preview"]
    assert strings["MB"] == "%s MB"


def test_direct_upload_can_be_chosen_for_the_admin_alone(dev_storage, settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    widget = S3AdminFileWidget(direct_upload=True)  # e.g. in formfield_overrides
    attrs = widget.get_context("f", None, {"id": "id_f"})["widget"]["attrs"]
    assert "data-s3f-url" in attrs and "data-s3f-admin" in attrs
    assert all(tag in str(widget.media) for tag in [*SCRIPTS, STYLESHEET])
    assert "data-s3f" not in S3AdminFileWidget().render("f", None)
