"""Every Wagtail name, template and setting the app relies on is listed in ``compat``; one a
Wagtail release moved is named by a system check, and start-up goes on without it."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from wagtail.documents import get_document_model
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import get_document_form
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

import wagtail_s3file
from wagtail_s3file import checks, compat, metadata

pytestmark = pytest.mark.django_db

PACKAGE = Path(wagtail_s3file.__file__).parent


def wagtail_imports() -> set[str]:
    """The dotted Wagtail names the app's modules import (``from wagtail.x import y``)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "wagtail":
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == "wagtail")
    return found


def test_every_wagtail_import_of_the_app_is_listed():
    listed = [name.path for name in compat.NAMES]

    unlisted = [
        name
        for name in wagtail_imports()
        if not any(path == name or path.startswith(f"{name}.") for path in listed)
    ]

    assert unlisted == []


def test_every_wagtail_template_the_app_overrides_is_listed():
    templates = PACKAGE / "templates"
    ours = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.relative_to(templates).parts[0].startswith("wagtail")
        and path.relative_to(templates).parts[0] != "wagtail_s3file"
    }

    assert ours == {template.name for template in compat.TEMPLATES if template.ours}
    for name in ours:
        extends = re.match(r'{% extends "([^"]+)" %}', (templates / name).read_text())
        assert extends and extends.group(1) == name  # extends Wagtail's own, copies nothing


def test_this_wagtail_has_everything_the_app_relies_on():
    assert checks.check_wagtail_names() == []
    assert compat.missing_names() == []


def test_the_private_names_are_the_two_file_hash_methods():
    assert [name.path for name in compat.NAMES if name.private] == [
        "wagtail.images.models.AbstractImage._set_file_hash",
        "wagtail.documents.models.AbstractDocument._set_file_hash",
    ]


def test_a_method_wagtail_dropped_is_named_and_left_unwrapped(monkeypatch):
    monkeypatch.delattr(AbstractDocument, "_set_file_hash")

    metadata.install()  # no KeyError or AttributeError
    [warning] = checks.check_wagtail_names()

    assert not hasattr(AbstractDocument, "_set_file_hash")
    assert warning.id == "wagtail_s3file.W010"
    assert "wagtail.documents.models.AbstractDocument._set_file_hash" in warning.msg
    assert f"Wagtail {compat.wagtail_version()} has no" in warning.msg
    assert "as in Wagtail 7.4 and 8.0" in warning.msg
    assert "reads the whole document from storage" in warning.msg
    assert "7.4 and 8.0" in warning.hint


def test_start_up_goes_on_when_wagtail_moved_what_ready_uses(monkeypatch):
    import wagtail.admin.forms.models

    monkeypatch.delattr(wagtail.admin.forms.models, "register_form_field_override")
    monkeypatch.delattr(AbstractImage, "_set_file_hash")

    apps.get_app_config("wagtail_s3file").ready()
    messages = checks.check_wagtail_names()

    assert {message.id for message in messages} == {"wagtail_s3file.W010"}
    assert {message.obj for message in messages} == {
        "wagtail.admin.forms.models.register_form_field_override",
        "wagtail.images.models.AbstractImage._set_file_hash",
    }


def test_a_moved_base_form_keeps_wagtails_own_and_is_named(monkeypatch, settings):
    import wagtail.documents.forms

    monkeypatch.delattr(wagtail.documents.forms, "BaseDocumentForm")
    del settings.WAGTAILIMAGES_IMAGE_FORM_BASE
    del settings.WAGTAILDOCS_DOCUMENT_FORM_BASE

    compat.set_default_form_bases()
    [warning] = checks.check_wagtail_names()

    # forms.py could not import, so Wagtail's own forms stay (uploads through Django).
    assert not hasattr(settings, "WAGTAILIMAGES_IMAGE_FORM_BASE")
    assert not hasattr(settings, "WAGTAILDOCS_DOCUMENT_FORM_BASE")
    assert warning.obj == "wagtail.documents.forms.BaseDocumentForm"


def test_a_message_wagtail_dropped_is_named_and_the_browser_shows_s3files(monkeypatch, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 5_000_000
    init = WagtailDocumentField.__init__

    def without_the_message(self, *args, **kwargs):
        init(self, *args, **kwargs)
        del self.error_messages["file_too_large_unknown_size"]

    monkeypatch.setattr(WagtailDocumentField, "__init__", without_the_message)

    [warning] = checks.check_wagtail_names()
    html = str(get_document_form(get_document_model())()["file"])  # no KeyError

    assert warning.id == "wagtail_s3file.W010"
    assert "WagtailDocumentField has no error_messages['file_too_large_unknown_size']" in (
        warning.msg
    )
    messages = re.search(r'data-s3f-messages="([^"]*)"', html).group(1)
    from html import unescape

    assert "{name}" in json.loads(unescape(messages))["too-large"]  # s3file's own text
    assert 'data-s3f-max-size="5000000"' in html


def wagtail_template_copy(monkeypatch, tmp_path: Path, app: str, name: str) -> Path:
    """A copy of Wagtail's template, which the check then reads as Wagtail's own."""
    config = apps.get_app_config(app)
    source = Path(config.path, "templates", name).read_text()
    copy = tmp_path / "templates" / name
    copy.parent.mkdir(parents=True)
    copy.write_text(source)
    monkeypatch.setattr(config, "path", str(tmp_path))
    return copy


def test_a_wagtail_template_without_the_block_we_extend_is_named(monkeypatch, tmp_path):
    name = "wagtailimages/multiple/add.html"
    copy = wagtail_template_copy(monkeypatch, tmp_path, "wagtailimages", name)
    copy.write_text(copy.read_text().replace("block extra_js", "block page_js"))

    [warning] = checks.check_wagtail_names()

    assert warning.id == "wagtail_s3file.W011"
    assert warning.obj == name
    assert f"no {{% block extra_js %}} in its template {name}" in warning.msg
    assert "as in Wagtail 7.4 and 8.0" in warning.msg


def test_a_multiple_upload_page_without_the_jquery_uploader_is_named(monkeypatch, tmp_path):
    name = "wagtaildocs/multiple/add.html"
    copy = wagtail_template_copy(monkeypatch, tmp_path, "wagtaildocs", name)
    lines = copy.read_text().splitlines()
    copy.write_text("\n".join(line for line in lines if "jquery.fileupload" not in line))

    [warning] = checks.check_wagtail_names()

    assert warning.id == "wagtail_s3file.W011"
    assert f"no jquery.fileupload.js in its template {name}" in warning.msg
    assert "go through Django" in warning.msg


def test_a_wagtail_template_that_is_gone_is_named(monkeypatch, tmp_path):
    config = apps.get_app_config("wagtailadmin")
    monkeypatch.setattr(config, "path", str(tmp_path))

    [warning] = checks.check_wagtail_names()

    assert warning.id == "wagtail_s3file.W011"
    assert "no template wagtailadmin/admin_base.html" in warning.msg
    assert "insert_global_admin_js" in warning.msg


def test_the_form_bases_are_set_where_the_project_sets_none(settings):
    del settings.WAGTAILIMAGES_IMAGE_FORM_BASE
    del settings.WAGTAILDOCS_DOCUMENT_FORM_BASE

    compat.set_default_form_bases()

    assert settings.WAGTAILIMAGES_IMAGE_FORM_BASE == "wagtail_s3file.forms.S3ImageForm"
    assert settings.WAGTAILDOCS_DOCUMENT_FORM_BASE == "wagtail_s3file.forms.S3DocumentForm"


@pytest.mark.parametrize("value", ["tests.forms.ImageForm", ""])
def test_a_projects_own_form_base_wins(settings, value):
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = value
    settings.WAGTAILDOCS_DOCUMENT_FORM_BASE = value

    compat.set_default_form_bases()

    assert value == settings.WAGTAILIMAGES_IMAGE_FORM_BASE
    assert value == settings.WAGTAILDOCS_DOCUMENT_FORM_BASE


def test_a_projects_document_form_base_without_the_mixin_is_reported(settings):
    settings.WAGTAILDOCS_DOCUMENT_FORM_BASE = "wagtail.documents.forms.BaseDocumentForm"

    [warning] = checks.check_form_bases()

    assert warning.id == "wagtail_s3file.W002"
    assert "WAGTAILDOCS_DOCUMENT_FORM_BASE" in warning.msg
    assert "S3FileFormMixin" in warning.hint
