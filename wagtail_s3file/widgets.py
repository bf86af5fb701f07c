"""The file input of Wagtail's image and document forms, uploading straight to storage."""

from __future__ import annotations

import inspect
import json
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext
from wagtail.images.models import AbstractImage

from s3file.forms import S3FileInputMixin, final_folder
from s3file.middleware import REQUEST

#: The folder Wagtail's own ``AbstractImage.get_upload_to`` saves images in.
IMAGE_FOLDER = "original_images"
#: wagtailmedia's chooser (its URL names) and the views its upload tabs post to: one per
#: media type, each a URL with the type in it.
MEDIA_CHOOSERS = {"wagtailmedia:chooser", "wagtailmedia:chooser_typed"}
MEDIA_UPLOAD = "wagtailmedia:chooser_upload"


def announcements() -> dict[str, str]:
    """What the Wagtail scripts show and say of an upload (``data-s3f-wagtail``), translated
    here; ``{name}`` and ``{percent}`` are filled in the browser."""
    return {
        "uploading": gettext("Uploading “{name}”"),
        "progress": gettext("“{name}”: {percent} uploaded"),
        "done": gettext("“{name}” uploaded"),
        "failed": gettext("“{name}” could not be uploaded"),
        "cancelled": gettext(
            "Upload cancelled. The file is still chosen: submit again to upload it."
        ),
        "cancel": gettext("Cancel upload"),
        "bar": gettext("Upload progress"),
    }


class DirectFileInput(S3FileInputMixin, forms.FileInput):
    """A plain ``FileInput`` (Wagtail's choice: no "Currently:" link, no clear box) whose
    file goes straight to storage, with S3's SHA-1 check, and messages of the caller's.

    ``messages`` replaces some of the texts the script shows (keys of
    ``s3file.forms.messages()``: ``too-large``, ``type``, ...), so that a refusal in the
    browser reads as Wagtail's own error for the same file.
    """

    # Installing wagtail_s3file asks for direct uploads in Wagtail, whatever
    # S3FILE_REPLACE_WIDGETS says about the project's other forms.
    direct_upload = True
    # The file's SHA-1 is Wagtail's duplicate check; S3 verifies the one the browser sends.
    checksum = True
    # Wagtail's fields check the size and the format themselves, with Wagtail's messages
    # (the grant the file was uploaded under still bounds it, see S3FileMiddleware).
    check_limits = False

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        messages: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.messages = dict(messages or {})
        super().__init__(attrs, **kwargs)

    def upload_attrs(
        self, attrs: dict[str, Any], name: str = "", folder: str = "", storage: Any = None
    ) -> dict[str, Any]:
        data = super().upload_attrs(attrs, name, folder, storage)
        data["data-s3f-wagtail"] = json.dumps(announcements())
        if self.messages:
            texts = json.loads(data["data-s3f-messages"])
            data["data-s3f-messages"] = json.dumps({**texts, **self.messages})
        return data


def chooser_targets(request: HttpRequest | None = None) -> list[str]:
    """Where a form rendered in ``request`` (default: the current request) posts, when that
    request is a Wagtail chooser's: its upload or "create" tab's form goes to the chooser's
    ``create`` view (wagtailmedia's to its ``chooser_upload`` views), not to the chooser that
    rendered it; so do snippet choosers' "create" tabs. Elsewhere (add, edit and multiple
    upload pages, which post to themselves): nothing."""
    request = REQUEST.get() if request is None else request
    if request is None:
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    try:
        if match.view_name in MEDIA_CHOOSERS:
            return [reverse(MEDIA_UPLOAD, args=(kind,)) for kind in ("audio", "video")]
        if match.url_name == "choose" and match.namespace:
            return [reverse(f"{match.namespace}:create")]
    except NoReverseMatch:
        pass  # a chooser without an upload tab
    return []


def preview_targets(request: HttpRequest) -> list[str]:
    """Where else a page's or snippet's add or edit form rendered in ``request`` posts: its
    preview view (``preview_on_add``, ``preview_on_edit``), to which Wagtail's preview panel
    posts the whole form, keys of kept uploads included. Elsewhere: nothing."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if not match.namespace or match.url_name not in ("add", "edit"):
        return []
    name = f"{match.namespace}:preview_on_{match.url_name}"
    try:
        return [reverse(name, args=match.args, kwargs=match.kwargs)]
    except NoReverseMatch:
        return []  # a model without previews


def admin_targets(request: HttpRequest) -> list[str]:
    """The views Wagtail's admin posts a form rendered in ``request`` to, besides the view
    that rendered it: what every input rendered there declares (``s3file.forms.add_posts_to``,
    which ``WagtailS3FileConfig.ready`` calls), including the inputs of forms Wagtail builds
    itself (a snippet chooser's "create" tab, a page's fields)."""
    return [*chooser_targets(request), *preview_targets(request)]


def saved_in(model: Any, name: str = "file") -> tuple[str, models.FileField | None]:
    """Where the file field ``name`` of ``model`` (a Wagtail image, document or media model)
    saves: the folder, when a page can know it before saving ("" if not), and the field.

    A string ``upload_to`` names it (documents, media); images keep theirs in
    ``IMAGE_FOLDER`` unless the image model overrides ``get_upload_to``."""
    try:
        field = model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return "", None
    if not isinstance(field, models.FileField):
        return "", None
    folder = final_folder(field)
    # Wagtail's own method, not a subclass's.
    wagtails = inspect.getattr_static(AbstractImage, "get_upload_to", None)
    own = wagtails is not None and inspect.getattr_static(model, "get_upload_to", None) is wagtails
    return folder or (IMAGE_FOLDER if own else ""), field


def point_at(widget: S3FileInputMixin, model: Any, name: str = "file") -> None:
    """Have ``widget`` upload where ``model``'s field ``name`` saves (``S3FILE_CLAIM``)."""
    widget.upload_folder, widget.model_field = saved_in(model, name)
