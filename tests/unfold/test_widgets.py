"""Unfold's file widgets with ours, and their installation, rendered without a browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import models
from django.forms import ClearableFileInput
from django.test import Client
from unfold import overrides
from unfold.widgets import (
    UnfoldAdminFileFieldWidget,
    UnfoldAdminImageFieldWidget,
    UnfoldAdminImageSmallFieldWidget,
)

from s3file.forms import S3FileInputMixin
from s3file_admin.unfold import (
    S3UnfoldAdminFileFieldWidget,
    S3UnfoldAdminImageFieldWidget,
    S3UnfoldAdminImageSmallFieldWidget,
    install,
)
from s3file_admin.widgets import messages
from tests.unfoldapp.models import Dossier, Enclosure

STYLESHEETS = [
    '<link href="/static/s3file_admin/css/s3file_admin.css" media="all" rel="stylesheet">',
    '<link href="/static/s3file_admin/css/unfold.css" media="all" rel="stylesheet">',
]
SCRIPTS = [
    '<script src="/static/s3file/js/s3file.js" type="module"></script>',
    *(
        f'<script src="/static/s3file_admin/js/{name}.js" type="module"></script>'
        for name in ("progress", "errors", "preview")
    ),
]


def test_unfolds_widgets_are_clearable_file_inputs_so_the_core_reaches_them():
    for widget in (
        UnfoldAdminFileFieldWidget,
        UnfoldAdminImageFieldWidget,
        UnfoldAdminImageSmallFieldWidget,
    ):
        assert issubclass(widget, ClearableFileInput)
        assert S3FileInputMixin in widget.__mro__


def test_unfolds_model_admins_and_inlines_get_our_subclasses():
    model_admin = admin.site._registry[Dossier]
    assert type(admin.site).__module__ == "unfold.sites"
    widgets = {
        name: type(model_admin.formfield_for_dbfield(Dossier._meta.get_field(name), None).widget)
        for name in ("document", "photo")
    }
    assert widgets == {
        "document": S3UnfoldAdminFileFieldWidget,
        "photo": S3UnfoldAdminImageFieldWidget,
    }
    inline = model_admin.get_inline_instances(None)[0]
    widgets = {
        name: type(inline.formfield_for_dbfield(Enclosure._meta.get_field(name), None).widget)
        for name in ("file", "scan")
    }
    assert widgets == {
        "file": S3UnfoldAdminFileFieldWidget,
        "scan": S3UnfoldAdminImageSmallFieldWidget,
    }
    # Each is Unfold's own widget, template and all, with ours on top.
    for ours, theirs in [
        (S3UnfoldAdminFileFieldWidget, UnfoldAdminFileFieldWidget),
        (S3UnfoldAdminImageFieldWidget, UnfoldAdminImageFieldWidget),
        (S3UnfoldAdminImageSmallFieldWidget, UnfoldAdminImageSmallFieldWidget),
    ]:
        assert issubclass(ours, theirs)
        assert ours.unfold_template_name == theirs.template_name


def test_install_is_idempotent_and_keeps_another_choice(monkeypatch):
    class OtherWidget(UnfoldAdminImageFieldWidget):
        pass

    main = {
        models.FileField: {"widget": UnfoldAdminFileFieldWidget},
        models.ImageField: {"widget": OtherWidget},
        models.CharField: {"widget": "untouched"},
    }
    inline = {
        models.FileField: {"widget": UnfoldAdminFileFieldWidget},
        models.ImageField: {"widget": UnfoldAdminImageSmallFieldWidget},
    }
    monkeypatch.setattr(overrides, "FORMFIELD_OVERRIDES", main)
    monkeypatch.setattr(overrides, "FORMFIELD_OVERRIDES_INLINE", inline)
    install()
    install()
    assert main == {
        models.FileField: {"widget": S3UnfoldAdminFileFieldWidget},
        models.ImageField: {"widget": OtherWidget},
        models.CharField: {"widget": "untouched"},
    }
    assert inline == {
        models.FileField: {"widget": S3UnfoldAdminFileFieldWidget},
        models.ImageField: {"widget": S3UnfoldAdminImageSmallFieldWidget},
    }


@pytest.fixture
def client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_change_form_renders_unfolds_widgets_in_our_box_with_the_scripts_once(client, dev_storage):
    from django.core.files.base import ContentFile

    dossier = Dossier.objects.create(title="D", document=ContentFile(b"x", name="old.txt"))
    html = client.get(f"/admin/unfoldapp/dossier/{dossier.pk}/change/").content.decode()

    # Unfold's own markup (its file box, its "Choose file to upload", its download link).
    assert 'aria-label="Choose file to upload"' in html
    assert 'href="/media/dossiers/documents/old.txt"' in html
    # Every file input, the inline's template row's too, uploads directly, in our box.
    names = ["document", "photo", "enclosures-0-file", "enclosures-0-scan"]
    names += ["enclosures-__prefix__-file", "enclosures-__prefix__-scan"]
    for name in names:
        assert f'name="{name}"' in html
    assert html.count('<div class="s3file-widget group">') == 6
    assert html.count("data-s3f-url=") == 6
    assert html.count("data-s3f-admin=") == 6
    for tag in [*SCRIPTS, *STYLESHEETS]:
        assert html.count(tag) == 1, tag
    assert html.index(STYLESHEETS[0]) < html.index(STYLESHEETS[1])  # ours refines the base


@pytest.mark.django_db
def test_without_direct_upload_it_is_unfolds_widget(client, dev_storage, settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    html = client.get("/admin/unfoldapp/dossier/add/").content.decode()
    assert 'aria-label="Choose file to upload"' in html
    assert "data-s3f" not in html
    assert "s3file_admin/" not in html and "s3file/js" not in html


def test_direct_upload_can_be_chosen_for_the_admin_alone(dev_storage, settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    widget = S3UnfoldAdminFileFieldWidget(direct_upload=True)  # e.g. in formfield_overrides
    attrs = widget.get_context("f", None, {"id": "id_f"})["widget"]["attrs"]
    assert json.loads(attrs["data-s3f-admin"]) == messages()
    assert all(tag in str(widget.media) for tag in [*SCRIPTS, *STYLESHEETS])
    assert "data-s3f" not in S3UnfoldAdminFileFieldWidget().render("f", None)


ROOT = Path(__file__).resolve().parents[2]
WITHOUT_UNFOLD = """
import sys
sys.modules["unfold"] = None  # as if it were not installed: importing it raises ImportError
import django
from django.core import checks
django.setup()
from django.contrib import admin
from tests.adminapp.models import Report
from s3file_admin.widgets import S3AdminFileWidget
errors = [m for m in checks.run_checks() if m.is_serious()]
assert not errors, errors
field = Report._meta.get_field("document")
widget = admin.site._registry[Report].formfield_for_dbfield(field, None).widget
assert type(widget) is S3AdminFileWidget, widget
assert "s3file_admin.unfold" not in sys.modules
print("ok")
"""


def test_a_site_without_unfold_never_imports_it():
    # Another process: this one has Unfold set up.
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_UNFOLD],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")
