"""The admin's file widget with upload progress, errors in the admin's style and a preview."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib.admin import options
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.forms.widgets import Media
from django.utils.translation import gettext

from s3file.forms import S3FileInputMixin, module_scripts

STYLESHEET = "s3file_admin/css/s3file_admin.css"
# One module per concern; they share nothing but the DOM, data attributes and s3file events.
SCRIPTS = ("progress", "errors", "preview")


def messages() -> dict[str, str]:
    """What the admin scripts show, translated here; ``{name}`` etc. are filled in the browser."""
    return {
        "uploading": gettext("Uploading {current} of {count}"),
        "uploadingPercent": gettext("Uploading {current} of {count}, {percent} done"),
        "saving": gettext("Saving…"),
        "waiting": gettext("Waiting"),
        "retrying": gettext("Connection problem: trying again ({attempt})…"),
        "progress": gettext("Upload progress"),
        "ofTotal": gettext("{loaded} of {total}"),
        "cancel": gettext("Cancel upload"),
        "cancelled": gettext(
            "Upload cancelled. The files are still chosen: save again to upload them."
        ),
        "failed": gettext("Upload failed. See the error next to the field."),
        "retry": gettext("Retry"),
        "reload": gettext("Reload the page"),
        "preview": gettext("Preview of “{name}”"),
        # Django's own file size formats (filesizeformat), so its translations apply; bytes
        # are the browser's (Intl), which knows every language's plural forms.
        "KB": gettext("%s KB"),
        "MB": gettext("%s MB"),
        "GB": gettext("%s GB"),
        "TB": gettext("%s TB"),
    }


if TYPE_CHECKING:  # what the mixin goes with: a ClearableFileInput, which has the core's
    Widget = S3FileInputMixin
else:
    Widget = object


class S3AdminWidgetMixin(Widget):
    """What ``S3AdminFileWidget`` adds to an admin file widget, for other admin themes' widgets.

    When the input uploads directly (see ``s3file.forms.S3FileInputMixin``, which every
    ``ClearableFileInput`` has), the widget gains the admin scripts, its ``stylesheets`` and a
    ``data-s3f-admin`` attribute with their translated strings. Otherwise it changes nothing.
    """

    #: The stylesheets added with the scripts (a theme's adapter adds its own after ours).
    stylesheets: tuple[str, ...] = (STYLESHEET,)

    @property
    def media(self) -> Media:
        media = super().media
        if self.uploads_directly:
            media += Media(css={"all": list(self.stylesheets)})
            media += module_scripts(*(f"s3file_admin/js/{name}.js" for name in SCRIPTS))
        return media

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if "data-s3f-url" in widget_attrs:  # the core made it a direct-upload input
            widget_attrs["data-s3f-admin"] = json.dumps(messages())
        return context


class S3AdminFileWidget(S3AdminWidgetMixin, AdminFileWidget):
    """``AdminFileWidget`` that shows the direct upload the way the admin looks.

    The admin's markup is kept as it is ("Currently", "Clear", "Change"); when the input
    uploads directly (see ``s3file.forms.S3FileInputMixin``) it gains the admin scripts and
    stylesheet and a ``data-s3f-admin`` attribute with their translated strings. Otherwise
    it is exactly ``AdminFileWidget``.
    """


def install() -> None:
    """Make ``S3AdminFileWidget`` the admin's default widget for file and image fields.

    Only entries still pointing at ``AdminFileWidget`` change, so a project's or another
    app's choice stays; calling it again changes nothing.
    """
    for field in (models.FileField, models.ImageField):
        defaults = options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(field, {})
        if defaults.get("widget", AdminFileWidget) is AdminFileWidget:
            defaults["widget"] = S3AdminFileWidget
