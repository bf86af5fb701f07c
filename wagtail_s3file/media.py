"""wagtailmedia's audio and video (file and thumbnail), straight from the browser to S3.

``wagtail_s3file`` imports this module only when ``"wagtailmedia"`` is installed. Its
``ready()`` calls ``install()``, which makes ``S3MediaForm`` wagtailmedia's
``MEDIA_FORM_BASE`` unless the project names its own. wagtailmedia's add and edit views and
its chooser's upload tabs all build their form on that base, so all of them upload directly;
their views, fields, validation and messages are wagtailmedia's, unchanged.

What wagtailmedia reads from the file is its size (the edit page's "Filesize"): one HEAD.
Duration, width and height are fields the editor fills in; nothing is read from the video.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.checks import Warning, register
from django.utils.module_loading import import_string

from s3file.forms import S3FileInputMixin

from .media_compat import FILE_FIELDS, FORM_BASE_KEY, SETTING, BaseMediaForm, reload_settings
from .widgets import DirectFileInput, chooser_targets, point_at

#: wagtailmedia's base form unless the project sets ``WAGTAILMEDIA["MEDIA_FORM_BASE"]``.
FORM_BASE = "wagtail_s3file.media.S3MediaForm"


class S3MediaFormMixin:
    """Upload the media file and its thumbnail straight to S3.

    The media file's plain ``FileInput`` becomes a ``DirectFileInput`` (the same attributes:
    wagtailmedia's ``accept`` list, which the browser checks before uploading); the
    thumbnail's ``ClearableFileInput`` keeps its "Currently" and "Clear" and uploads directly
    whatever ``S3FILE_REPLACE_WIDGETS`` says. Put it before wagtailmedia's form in the bases of
    a project's own ``MEDIA_FORM_BASE``.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rendered in the chooser, the upload tab's form posts to another view.
        targets = chooser_targets()
        for name in FILE_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            widget = field.widget
            if isinstance(widget, S3FileInputMixin):
                if widget.direct_upload is None:  # a copy of the form class's widget, ours
                    widget.direct_upload = True
                widget.posts_to = targets
                continue
            # No checksum: the browser would read the whole file into memory to hash it, for
            # a hash nothing of wagtailmedia's uses (multipart parts are checked anyway).
            direct = DirectFileInput(attrs=widget.attrs, checksum=False, posts_to=targets)
            direct.is_required = widget.is_required
            # Into wagtailmedia's folder (``media``), with S3FILE_CLAIM.
            point_at(direct, getattr(getattr(self, "_meta", None), "model", None), name)
            field.widget = direct


class S3MediaForm(S3MediaFormMixin, BaseMediaForm):
    """wagtailmedia's ``BaseMediaForm`` whose files upload straight to S3."""


def install() -> None:
    """Make ``S3MediaForm`` wagtailmedia's base form, unless the project names one."""
    current = getattr(settings, SETTING, None) or {}
    if current.get(FORM_BASE_KEY):
        return
    setattr(settings, SETTING, {**current, FORM_BASE_KEY: FORM_BASE})
    reload_settings()  # wagtailmedia's ready() may have read the setting already


@register()
def check_media_form_base(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """``wagtail_s3file.W101``: a project's ``MEDIA_FORM_BASE`` without ``S3MediaFormMixin``."""
    path = (getattr(settings, SETTING, None) or {}).get(FORM_BASE_KEY, "")
    try:
        form = import_string(path)
    except ImportError:
        return []  # wagtailmedia reports its own setting when it builds the form
    if isinstance(form, type) and issubclass(form, S3MediaFormMixin):
        return []
    return [
        Warning(
            f'{SETTING}["{FORM_BASE_KEY}"] is {path!r}, which does not use S3MediaFormMixin, '
            "so wagtailmedia's audio and video files go through Django instead of straight "
            "to S3.",
            hint=f"Add wagtail_s3file.media.S3MediaFormMixin to {path}'s bases (before "
            "wagtailmedia's BaseMediaForm), or remove the setting.",
            id="wagtail_s3file.W101",
        )
    ]
