"""Every Wagtail name, form field part and template the app relies on, with what depends on
it, checked against the installed Wagtail (the CI matrix runs this on 7.4 LTS and 8.x); and
start-up going on, with Wagtail doing that part itself, when a release moved one."""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Name:
    """An object of Wagtail's (a module and a dotted attribute path in it), and its use."""

    module: str
    attribute: str
    use: str

    @property
    def path(self) -> str:
        return f"{self.module}.{self.attribute}"


#: Every Wagtail name the app imports, wraps or calls.
NAMES = [
    Name(
        "wagtail.images.forms",
        "BaseImageForm",
        "S3ImageForm extends it; without it Wagtail's own image form is used and images "
        "upload through Django.",
    ),
    Name(
        "wagtail.documents.forms",
        "BaseDocumentForm",
        "S3DocumentForm extends it; without it Wagtail's own document form is used and "
        "documents upload through Django.",
    ),
    Name(
        "wagtail.images.fields",
        "WagtailImageField",
        "the image form's file field, whose messages the browser shows.",
    ),
    Name(
        "wagtail.documents.fields",
        "WagtailDocumentField",
        "the document form's file field, whose messages the browser shows.",
    ),
    Name(
        "wagtail.images.fields",
        "WagtailImageField.check_image_pixel_size",
        "wrapped so that the pixel limit of a direct upload is read from the image's header; "
        "without it Wagtail decodes the whole image, reading it from storage.",
    ),
    Name(
        "wagtail.images.models",
        "WagtailImageFieldFile.get_image_dimensions",
        "wrapped so that a direct upload's width and height come from its header; without it "
        "Wagtail decodes the whole image, reading it from storage.",
    ),
    Name(
        "wagtail.images.models",
        "AbstractImage._set_file_hash",
        "wrapped so that a direct upload's SHA-1 is the one S3 verified; without it Wagtail "
        "reads the whole image from storage to hash it.",
    ),
    Name(
        "wagtail.documents.models",
        "AbstractDocument._set_file_hash",
        "wrapped so that a direct upload's SHA-1 is the one S3 verified; without it Wagtail "
        "reads the whole document from storage to hash it.",
    ),
    Name(
        "wagtail.images.models",
        "WagtailImageFieldFile",
        "the image model's file, whose dimensions are read from the header.",
    ),
    Name("wagtail.images.models", "AbstractImage", "the image model, whose hash S3 gives."),
    Name(
        "wagtail.images.models",
        "AbstractImage.get_upload_to",
        "names the folder images are saved in (original_images), which direct uploads go "
        "straight into with S3FILE_CLAIM; without it images are uploaded aside and copied.",
    ),
    Name(
        "wagtail.images",
        "get_image_model",
        "the image model whose folder the Add images page uploads into with S3FILE_CLAIM.",
    ),
    Name(
        "wagtail.documents",
        "get_document_model",
        "the document model whose folder the Add documents page uploads into with S3FILE_CLAIM.",
    ),
    Name(
        "wagtail.documents.models", "AbstractDocument", "the document model, whose hash S3 gives."
    ),
    Name(
        "wagtail.admin.forms.models",
        "register_form_field_override",
        "gives file fields of Wagtail's admin forms (snippets, pages, model viewsets) "
        "S3FileInput; without it those fields upload through Django.",
    ),
    Name(
        "wagtail.hooks",
        "register",
        "registers insert_global_admin_js, which loads the upload scripts on admin pages.",
    ),
]


@dataclass(frozen=True)
class FieldParts:
    """Attributes and ``error_messages`` keys a Wagtail form field sets in its ``__init__``."""

    field: Name
    attributes: tuple[str, ...]
    messages: tuple[str, ...]
    use: str


FIELD_PARTS = [
    FieldParts(
        NAMES[2],
        attributes=("max_upload_size",),
        messages=("file_too_large_unknown_size", "invalid_image_extension"),
        use="the image input's size limit and the messages the browser shows for a file it "
        "refuses; without them the browser shows s3file's own messages.",
    ),
    FieldParts(
        NAMES[3],
        attributes=("max_upload_size",),
        messages=("file_too_large_unknown_size",),
        use="the document input's size limit and the message the browser shows for a file "
        "too large; without them the browser shows s3file's own message.",
    ),
]


@dataclass(frozen=True)
class Template:
    """A template of a Wagtail app, with the blocks we override and the text we rely on."""

    app: str  # the label of the Wagtail app that holds it
    name: str
    blocks: tuple[str, ...]
    texts: tuple[str, ...]
    use: str
    #: Whether we have a template of the same name that extends it (else we only rely on it).
    ours: bool = True


# The multiple upload pages: our templates of the same name extend these, adding the upload
# policy and multiple-upload.js to block extra_js, after Wagtail's add-multiple.js has set up
# the jQuery File Upload plugin on #fileupload; the tag reads the pages' max_filesize.
MULTIPLE_UPLOAD = (
    "the Add images/documents page uploads to S3 (the upload policy and multiple-upload.js in "
    "block extra_js, the jQuery File Upload plugin on #fileupload, the page's max_filesize); "
    "without it files on that page go through Django."
)
MULTIPLE_UPLOAD_TEXTS = (
    'id="fileupload"',
    "max_filesize",
    "jquery.fileupload.js",
    "add-multiple.js",
)
TEMPLATES = [
    Template(
        "wagtailimages",
        "wagtailimages/multiple/add.html",
        ("extra_js",),
        MULTIPLE_UPLOAD_TEXTS,
        MULTIPLE_UPLOAD,
    ),
    Template(
        "wagtaildocs",
        "wagtaildocs/multiple/add.html",
        ("extra_js",),
        MULTIPLE_UPLOAD_TEXTS,
        MULTIPLE_UPLOAD,
    ),
    Template(
        "wagtailadmin",
        "wagtailadmin/admin_base.html",
        (),
        ("insert_global_admin_js",),
        "the hook insert_global_admin_js loads the upload scripts on every admin page; "
        "without it chooser modals upload through Django.",
        ours=False,
    ),
]


@pytest.mark.parametrize("name", NAMES, ids=lambda name: name.path)
def test_this_wagtail_has_the_name(name):
    assert compat.find(name.module, name.attribute) is not None, name.use


@pytest.mark.parametrize("parts", FIELD_PARTS, ids=lambda parts: parts.field.path)
def test_this_wagtails_form_field_has_the_attributes_and_messages(parts):
    made = compat.find(parts.field.module, parts.field.attribute)()

    assert [name for name in parts.attributes if not hasattr(made, name)] == [], parts.use
    assert [key for key in parts.messages if key not in made.error_messages] == [], parts.use


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.name)
def test_this_wagtails_template_has_the_blocks_and_texts(template):
    config = apps.get_app_config(template.app)
    source = Path(config.path, "templates", template.name).read_text(encoding="utf-8")

    for block in template.blocks:
        assert re.search(rf"{{%-?\s*block\s+{block}\s*-?%}}", source), template.use
    assert [text for text in template.texts if text not in source] == [], template.use


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
    listed = [name.path for name in NAMES]

    unlisted = [
        name
        for name in wagtail_imports()
        if not any(path == name or path.startswith(f"{name}.") for path in listed)
    ]

    assert unlisted == []


def test_every_wagtail_method_the_app_wraps_is_listed():
    listed = {name.path for name in NAMES}

    assert {f"{module}.{attribute}" for module, attribute, _ in metadata.WRAPPERS} <= listed


def test_every_wagtail_template_the_app_overrides_is_listed():
    templates = PACKAGE / "templates"
    ours = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.relative_to(templates).parts[0].startswith("wagtail")
        and path.relative_to(templates).parts[0] != "wagtail_s3file"
    }

    assert ours == {template.name for template in TEMPLATES if template.ours}
    for name in ours:
        extends = re.match(r'{% extends "([^"]+)" %}', (templates / name).read_text())
        assert extends and extends.group(1) == name  # extends Wagtail's own, copies nothing


def test_the_private_names_are_the_two_file_hash_methods():
    private = [
        name.path
        for name in NAMES
        if any(part.startswith("_") for part in name.attribute.split("."))
    ]

    assert private == [
        "wagtail.images.models.AbstractImage._set_file_hash",
        "wagtail.documents.models.AbstractDocument._set_file_hash",
    ]


def test_a_method_wagtail_dropped_is_left_unwrapped(monkeypatch):
    monkeypatch.delattr(AbstractDocument, "_set_file_hash")

    metadata.install()  # no KeyError or AttributeError

    assert not hasattr(AbstractDocument, "_set_file_hash")
    assert not compat.wrap("wagtail.documents.models", "AbstractDocument._set_file_hash", print)


def test_start_up_goes_on_when_wagtail_moved_what_ready_uses(monkeypatch):
    import wagtail.admin.forms.models

    monkeypatch.delattr(wagtail.admin.forms.models, "register_form_field_override")
    monkeypatch.delattr(AbstractImage, "_set_file_hash")

    apps.get_app_config("wagtail_s3file").ready()  # no ImportError or AttributeError

    assert not hasattr(AbstractImage, "_set_file_hash")


def test_a_moved_base_form_keeps_wagtails_own(monkeypatch, settings):
    import wagtail.documents.forms

    monkeypatch.delattr(wagtail.documents.forms, "BaseDocumentForm")
    # As at start-up: forms.py not imported yet (it then fails to import).
    monkeypatch.delitem(sys.modules, "wagtail_s3file.forms")
    monkeypatch.delattr(wagtail_s3file, "forms")
    del settings.WAGTAILIMAGES_IMAGE_FORM_BASE
    del settings.WAGTAILDOCS_DOCUMENT_FORM_BASE

    compat.set_default_form_bases()

    # forms.py could not import, so Wagtail's own forms stay (uploads through Django).
    assert not hasattr(settings, "WAGTAILIMAGES_IMAGE_FORM_BASE")
    assert not hasattr(settings, "WAGTAILDOCS_DOCUMENT_FORM_BASE")


def test_a_message_wagtail_dropped_leaves_the_browser_s3files(monkeypatch, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 5_000_000
    init = WagtailDocumentField.__init__

    def without_the_message(self, *args, **kwargs):
        init(self, *args, **kwargs)
        del self.error_messages["file_too_large_unknown_size"]

    monkeypatch.setattr(WagtailDocumentField, "__init__", without_the_message)

    html = str(get_document_form(get_document_model())()["file"])  # no KeyError

    messages = re.search(r'data-s3f-messages="([^"]*)"', html).group(1)
    from html import unescape

    assert "{name}" in json.loads(unescape(messages))["too-large"]  # s3file's own text
    assert 'data-s3f-max-size="5000000"' in html


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
