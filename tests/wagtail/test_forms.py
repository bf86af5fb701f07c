"""Wagtail's image and document forms get a direct-upload input; the checks; the page parts."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.template import Context, Template
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import get_image_base_form, get_image_form, get_image_multi_form

from s3file import conf
from wagtail_s3file import checks
from wagtail_s3file.forms import S3DocumentForm, S3ImageForm
from wagtail_s3file.widgets import DirectFileInput

pytestmark = pytest.mark.django_db


def attributes(html: str) -> dict[str, str]:
    """The attributes of the first <input type="file"> in ``html``, unescaped."""
    from html import unescape

    tag = re.search(r"<input[^>]*type=\"file\"[^>]*>", html).group(0)
    return {k: unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag)}


def policy_conditions(attrs: dict[str, str]) -> list:
    from s3file.backends import LocalBackend
    from s3file.rules import conditions

    return conditions(LocalBackend.grant(json.loads(attrs["data-s3f-fields"])))


def test_installing_the_app_makes_its_forms_wagtails_base_forms():
    assert get_image_base_form() is S3ImageForm
    from wagtail.documents.forms import get_document_base_form

    assert get_document_base_form() is S3DocumentForm


def test_image_form_input_has_wagtails_limits_and_attributes(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 300_000
    form = get_image_form(get_image_model())()
    attrs = attributes(str(form["file"]))
    wagtail = WagtailImageField()

    assert isinstance(form.fields["file"].widget, DirectFileInput)
    # Wagtail's own attributes stay: the accept list, the title filled in from the name.
    assert attrs["accept"] == "image/*, image/avif"
    assert attrs["data-controller"] == "w-sync"
    assert attrs["data-w-sync-target-value"] == "#id_title"
    # The limit holds in the browser and in the upload policy; messages are Wagtail's.
    assert attrs["data-s3f-max-size"] == "300000"
    assert ["content-length-range", 0, 300_000] in policy_conditions(attrs)
    messages = json.loads(attrs["data-s3f-messages"])
    assert messages["too-large"] == wagtail.error_messages["file_too_large_unknown_size"]
    assert messages["type"] == wagtail.error_messages["invalid_image_extension"]
    # The browser sends each file's SHA-1 (Wagtail's duplicate check), S3 verifies it.
    assert int(attrs["data-s3f-checksum"]) > 0
    assert 'type="module"' in str(form.media) and "s3file/js/s3file.js" in str(form.media)


def test_document_form_input_has_wagtails_limit(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 5_000_000
    attrs = attributes(str(get_document_form(get_document_model())()["file"]))

    assert attrs["data-s3f-max-size"] == "5000000"
    assert ["content-length-range", 0, 5_000_000] in policy_conditions(attrs)
    assert attrs["data-w-sync-name-value"] == "wagtail:documents-upload"


def test_document_form_without_a_limit_uses_s3files(settings):
    settings.S3FILE_MAX_SIZE = 10**6  # below the dev storage's own limit
    attrs = attributes(str(get_document_form(get_document_model())()["file"]))

    assert attrs["data-s3f-max-size"] == str(conf.get("S3FILE_MAX_SIZE"))
    # No Wagtail limit, so no Wagtail message: s3file's own names the file.
    assert "{name}" in json.loads(attrs["data-s3f-messages"])["too-large"]


def test_forms_without_a_file_field_are_left_alone():
    form = get_image_multi_form(get_image_model())()

    assert "file" not in form.fields


def test_a_project_form_base_without_the_mixin_is_reported(settings):
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "wagtail.images.forms.BaseImageForm"

    [warning] = checks.check_form_bases()

    assert warning.id == "wagtail_s3file.W001"
    assert "S3FileFormMixin" in warning.hint


def test_the_apps_own_form_bases_pass_the_check():
    assert checks.check_form_bases() == []
    assert checks.check_app_order() == []


def test_the_app_listed_after_wagtail_images_is_reported(monkeypatch):
    configs = list(apps.get_app_configs())
    ours = apps.get_app_config("wagtail_s3file")
    configs.remove(ours)
    monkeypatch.setattr(apps, "get_app_configs", lambda: [*configs, ours])

    [warning] = checks.check_app_order()

    assert warning.id == "wagtail_s3file.W003"
    assert "wagtail.images and wagtail.documents" in warning.msg


TAG = Template("{% load wagtail_s3file %}{% s3file_multiple_upload max_size=1000 %}")


def test_multiple_upload_tag_renders_the_policy_and_the_script():
    html = TAG.render(Context())
    attrs = attributes(html)

    assert '<template id="wagtail-s3file-upload">' in html
    assert "wagtail_s3file/js/multiple-upload.js" in html
    assert attrs["data-s3f-max-size"] == "1000"
    # No Content-Type condition: Wagtail checks extensions, browsers may not know a type.
    assert ["starts-with", "$Content-Type", ""] in policy_conditions(attrs)


def test_multiple_upload_tag_renders_nothing_without_the_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "S3File" not in m]

    assert TAG.render(Context()).strip() == ""


def test_documents_tag_carries_wagtails_extensions_and_message(settings):
    settings.WAGTAILDOCS_EXTENSIONS = ["PDF", "txt"]
    template = Template("{% load wagtail_s3file %}{% s3file_multiple_upload documents=True %}")
    attrs = attributes(template.render(Context()))

    assert attrs["data-s3f-extensions"] == "pdf txt"
    assert attrs["data-s3f-extension-message"] == (
        "File extension “{extension}” is not allowed. Allowed extensions are: pdf, txt."
    )


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_multiple_upload_pages_carry_the_policy(admin_client, kind):
    html = admin_client.get(f"/cms/{kind}/multiple/add/").content.decode()

    # Wagtail's page, with its own uploader, and ours after it.
    assert html.count('id="fileupload"') == 1
    assert html.index("add-multiple.js") < html.index("wagtail_s3file/js/multiple-upload.js")
    assert '<template id="wagtail-s3file-upload">' in html


def test_admin_pages_load_the_upload_scripts_once(admin_client):
    html = admin_client.get("/cms/").content.decode()

    assert html.count('<script type="module" src="/static/s3file/js/s3file.js">') == 1
    assert html.count("wagtail_s3file/js/admin.js") == 1


def test_file_fields_of_wagtail_admin_forms_upload_directly(settings):
    """Snippets, pages and model viewsets, even with S3FILE_REPLACE_WIDGETS off."""
    from wagtail.admin.forms.models import WagtailAdminModelForm
    from wagtail.admin.panels import get_form_for_model

    from tests.testapp.models import Document

    settings.S3FILE_REPLACE_WIDGETS = False
    form = get_form_for_model(Document, form_class=WagtailAdminModelForm, fields=["file"])()

    assert "data-s3f-url" in attributes(str(form["file"]))


def test_installing_the_metadata_wrappers_again_changes_nothing():
    from wagtail.images.fields import WagtailImageField as Field

    from wagtail_s3file import metadata

    wrapped = Field.check_image_pixel_size
    metadata.install()

    assert Field.check_image_pixel_size is wrapped
    assert not getattr(wrapped.__wrapped__, "wagtail_s3file", False)  # Wagtail's own below


def test_the_upload_announcements_are_translated_on_the_server():
    from django.utils import translation

    with translation.override("de"):
        attrs = DirectFileInput().upload_attrs({}, "file")
    texts = json.loads(attrs["data-s3f-wagtail"])
    assert texts["uploading"] == "„{name}“ wird hochgeladen"
    assert texts["cancel"] == "Upload abbrechen"
    assert set(texts) == {"uploading", "progress", "done", "failed", "cancelled", "cancel", "bar"}
