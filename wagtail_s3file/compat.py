"""Every place ``wagtail_s3file`` touches Wagtail, in one list that a system check verifies.

Wagtail moves its internals between releases. Each Wagtail name this app imports, wraps or
calls (``NAMES``), each attribute it reads off Wagtail's form fields (``FIELD_PARTS``), each
Wagtail template it extends or relies on (``TEMPLATES``) and each Wagtail setting it reads or
gives a default (``SETTINGS_READ``, ``FORM_BASES``) is listed here, with what depends on it.
The check ``wagtail_s3file.W010`` (a Python name or field part is gone) and ``W011`` (a template
changed) name what moved and the Wagtail releases these were read from (``EXPECTED``); the app
then leaves that part to Wagtail (uploads through Django, or Wagtail reading the file itself)
instead of failing at start-up with a ``KeyError`` or an ``AttributeError``.

One behaviour is relied on too, and kept by the tests rather than the check (it has no name):
Wagtail's ``WagtailImageField.to_python`` hands an upload with a ``temporary_file_path`` (as
``S3UploadedFile`` has) to Willow as it is, instead of reading it into memory
(``tests/wagtail/test_metadata.py`` counts the bytes read).

Only public, documented names where Wagtail offers one: ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
``WAGTAILDOCS_DOCUMENT_FORM_BASE``, ``register_form_field_override``, the
``insert_global_admin_js`` hook, ``check_image_pixel_size`` and ``get_image_dimensions``
(which Wagtail made a method "to make it easier to override"). The two private ones are
``_set_file_hash`` of images and documents: Wagtail offers no other place to give it a hash.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

#: The Wagtail releases every name below was read from.
EXPECTED = "7.4 and 8.0"

#: Marks a method of Wagtail's that ``wrap()`` has wrapped (so a second call does nothing).
WRAPPED = "wagtail_s3file"


@dataclass(frozen=True)
class Name:
    """An object of Wagtail's: a module and a dotted attribute path in it."""

    module: str
    attribute: str
    #: What uses it, and what happens without it (the end of the check's message).
    use: str

    @property
    def path(self) -> str:
        return f"{self.module}.{self.attribute}"

    @property
    def private(self) -> bool:
        return any(part.startswith("_") for part in self.attribute.split("."))

    def resolve(self) -> Any:
        """The object, or None if this Wagtail has no such name."""
        try:
            found: Any = importlib.import_module(self.module)
        except ImportError:
            return None
        for part in self.attribute.split("."):
            found = inspect.getattr_static(found, part, None)
            if found is None:
                return None
        return found


@dataclass(frozen=True)
class FieldParts:
    """Attributes and ``error_messages`` keys a Wagtail form field sets in its ``__init__``."""

    field: Name
    attributes: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    use: str = ""

    def missing(self) -> list[str]:
        """What a field made with no arguments lacks (all of it if the class is gone)."""
        cls = self.field.resolve()
        wanted = [*self.attributes, *(f"error_messages[{key!r}]" for key in self.messages)]
        if cls is None:
            return wanted
        try:
            made = cls()
        except TypeError:  # it wants arguments now
            return wanted
        return [
            *(name for name in self.attributes if not hasattr(made, name)),
            *(
                f"error_messages[{key!r}]"
                for key in self.messages
                if key not in made.error_messages
            ),
        ]


@dataclass(frozen=True)
class Template:
    """A template of a Wagtail app, with the blocks we override and the text we rely on."""

    app: str  # the label of the Wagtail app that holds it
    name: str
    blocks: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    use: str = ""
    #: Whether we have a template of the same name that extends it (else we only rely on it).
    ours: bool = True

    def missing(self) -> list[str] | None:
        """The blocks and texts Wagtail's own copy lacks; None if there is no such template."""
        try:
            config = apps.get_app_config(self.app)
        except LookupError:
            return []  # the app is not installed: nothing of it to rely on
        path = Path(config.path, "templates", self.name)
        try:
            source = path.read_text(encoding="utf-8")
        except OSError:
            return None
        return [
            *(
                f"{{% block {block} %}}"
                for block in self.blocks
                if not re.search(rf"{{%-?\s*block\s+{block}\s*-?%}}", source)
            ),
            *(text for text in self.texts if text not in source),
        ]


# Python names. Imports elsewhere in the app stay plain imports of public API; every one is
# listed here (a test keeps this list complete).
IMAGE_FORM = Name(
    "wagtail.images.forms",
    "BaseImageForm",
    "S3ImageForm extends it; without it Wagtail's own image form is used and images upload "
    "through Django.",
)
DOCUMENT_FORM = Name(
    "wagtail.documents.forms",
    "BaseDocumentForm",
    "S3DocumentForm extends it; without it Wagtail's own document form is used and documents "
    "upload through Django.",
)
IMAGE_FIELD = Name(
    "wagtail.images.fields",
    "WagtailImageField",
    "the image form's file field, whose messages the browser shows.",
)
DOCUMENT_FIELD = Name(
    "wagtail.documents.fields",
    "WagtailDocumentField",
    "the document form's file field, whose messages the browser shows.",
)
PIXEL_CHECK = Name(
    "wagtail.images.fields",
    "WagtailImageField.check_image_pixel_size",
    "wrapped so that the pixel limit of a direct upload is read from the image's header; "
    "without it Wagtail decodes the whole image, reading it from storage.",
)
IMAGE_DIMENSIONS = Name(
    "wagtail.images.models",
    "WagtailImageFieldFile.get_image_dimensions",
    "wrapped so that a direct upload's width and height come from its header; without it "
    "Wagtail decodes the whole image, reading it from storage.",
)
IMAGE_HASH = Name(
    "wagtail.images.models",
    "AbstractImage._set_file_hash",
    "wrapped so that a direct upload's SHA-1 is the one S3 verified; without it Wagtail "
    "reads the whole image from storage to hash it.",
)
DOCUMENT_HASH = Name(
    "wagtail.documents.models",
    "AbstractDocument._set_file_hash",
    "wrapped so that a direct upload's SHA-1 is the one S3 verified; without it Wagtail "
    "reads the whole document from storage to hash it.",
)
IMAGE_FIELD_FILE = Name(
    "wagtail.images.models",
    "WagtailImageFieldFile",
    "the image model's file, whose dimensions are read from the header.",
)
ABSTRACT_IMAGE = Name(
    "wagtail.images.models", "AbstractImage", "the image model, whose hash S3 gives."
)
ABSTRACT_DOCUMENT = Name(
    "wagtail.documents.models", "AbstractDocument", "the document model, whose hash S3 gives."
)
IMAGE_UPLOAD_TO = Name(
    "wagtail.images.models",
    "AbstractImage.get_upload_to",
    "names the folder images are saved in (original_images), which direct uploads go "
    "straight into with S3FILE_CLAIM; without it images are uploaded aside and copied.",
)
GET_IMAGE_MODEL = Name(
    "wagtail.images",
    "get_image_model",
    "the image model whose folder the Add images page uploads into with S3FILE_CLAIM; "
    "without it images are uploaded aside and copied.",
)
GET_DOCUMENT_MODEL = Name(
    "wagtail.documents",
    "get_document_model",
    "the document model whose folder the Add documents page uploads into with S3FILE_CLAIM; "
    "without it documents are uploaded aside and copied.",
)
FORM_FIELD_OVERRIDE = Name(
    "wagtail.admin.forms.models",
    "register_form_field_override",
    "gives file fields of Wagtail's admin forms (snippets, pages, model viewsets) S3FileInput; "
    "without it those fields upload through Django.",
)
HOOKS = Name(
    "wagtail.hooks",
    "register",
    "registers insert_global_admin_js, which loads the upload scripts on admin pages.",
)

NAMES: tuple[Name, ...] = (
    IMAGE_FORM,
    DOCUMENT_FORM,
    IMAGE_FIELD,
    DOCUMENT_FIELD,
    PIXEL_CHECK,
    IMAGE_DIMENSIONS,
    IMAGE_HASH,
    DOCUMENT_HASH,
    IMAGE_FIELD_FILE,
    ABSTRACT_IMAGE,
    ABSTRACT_DOCUMENT,
    IMAGE_UPLOAD_TO,
    GET_IMAGE_MODEL,
    GET_DOCUMENT_MODEL,
    FORM_FIELD_OVERRIDE,
    HOOKS,
)

#: What forms.py subclasses and imports; our form bases are defaults only if all are there.
FORMS_NEED = (IMAGE_FORM, DOCUMENT_FORM, IMAGE_FIELD)

FIELD_PARTS: tuple[FieldParts, ...] = (
    FieldParts(
        IMAGE_FIELD,
        attributes=("max_upload_size",),
        messages=("file_too_large_unknown_size", "invalid_image_extension"),
        use="the image input's size limit and the messages the browser shows for a file it "
        "refuses; without them the browser shows s3file's own messages.",
    ),
    FieldParts(
        DOCUMENT_FIELD,
        attributes=("max_upload_size",),
        messages=("file_too_large_unknown_size",),
        use="the document input's size limit and the message the browser shows for a file "
        "too large; without them the browser shows s3file's own message.",
    ),
)

# The multiple upload pages: our templates of the same name extend these, adding the upload
# policy and multiple-upload.js to block extra_js, after Wagtail's add-multiple.js has set up
# the jQuery File Upload plugin on #fileupload; the tag reads the pages' max_filesize.
_MULTIPLE_UPLOAD = (
    "the Add images/documents page uploads to S3 (the upload policy and multiple-upload.js in "
    "block extra_js, the jQuery File Upload plugin on #fileupload, the page's max_filesize); "
    "without it files on that page go through Django."
)
TEMPLATES: tuple[Template, ...] = (
    Template(
        "wagtailimages",
        "wagtailimages/multiple/add.html",
        blocks=("extra_js",),
        texts=('id="fileupload"', "max_filesize", "jquery.fileupload.js", "add-multiple.js"),
        use=_MULTIPLE_UPLOAD,
    ),
    Template(
        "wagtaildocs",
        "wagtaildocs/multiple/add.html",
        blocks=("extra_js",),
        texts=('id="fileupload"', "max_filesize", "jquery.fileupload.js", "add-multiple.js"),
        use=_MULTIPLE_UPLOAD,
    ),
    Template(
        "wagtailadmin",
        "wagtailadmin/admin_base.html",
        texts=("insert_global_admin_js",),
        use="the hook insert_global_admin_js loads the upload scripts on every admin page; "
        "without it chooser modals upload through Django.",
        ours=False,
    ),
)

#: Wagtail's settings that say which form its images and documents use, and our default for
#: each: set at start-up (``set_default_form_bases()``) only where the project sets none.
FORM_BASES = {
    "WAGTAILIMAGES_IMAGE_FORM_BASE": "wagtail_s3file.forms.S3ImageForm",
    "WAGTAILDOCS_DOCUMENT_FORM_BASE": "wagtail_s3file.forms.S3DocumentForm",
}

#: Wagtail's settings we read as Wagtail does (its defaults live in Wagtail's code).
SETTINGS_READ = ("WAGTAILDOCS_EXTENSIONS",)


def wagtail_setting(name: str) -> Any:
    """One of ``SETTINGS_READ``, as Wagtail reads it (None when unset)."""
    return getattr(settings, name, None)


def set_default_form_bases() -> None:
    """Make our forms Wagtail's image and document base forms, so that adding the app is
    enough; a project's own value of either setting (even ``""``, Wagtail's own form) wins,
    and the check ``wagtail_s3file.W001``/``W002`` says if its form lacks our mixin."""
    if not all(name.resolve() for name in FORMS_NEED):
        return  # forms.py cannot import; W010 names what moved
    for setting, form in FORM_BASES.items():
        if not hasattr(settings, setting):
            setattr(settings, setting, form)


def wagtail_version() -> str:
    """The installed Wagtail's version, as its package metadata gives it."""
    return importlib.metadata.version("wagtail")


def missing_names() -> list[Name]:
    """The names in ``NAMES`` this Wagtail does not have."""
    return [name for name in NAMES if name.resolve() is None]


def wrap(name: Name, wrapper: Callable[..., Any]) -> bool:
    """Replace Wagtail's method ``name`` with one calling ``wrapper(original, self, *args)``.

    False (and nothing wrapped) if this Wagtail has no such method; wrapping again does
    nothing, so the original below stays Wagtail's own.
    """
    owner_path, _, method = name.attribute.rpartition(".")
    owner = Name(name.module, owner_path, name.use).resolve()
    original = inspect.getattr_static(owner, method, None) if isinstance(owner, type) else None
    if not inspect.isfunction(original):
        return False
    if getattr(original, WRAPPED, False):
        return True

    @functools.wraps(original)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        return wrapper(original, self, *args, **kwargs)

    setattr(wrapped, WRAPPED, True)
    setattr(owner, method, wrapped)
    return True
