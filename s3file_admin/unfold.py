"""django-unfold: its file and image widgets with our progress, errors and preview.

Unfold gives its ``ModelAdmin``s and inlines their own widgets through
``unfold.overrides.FORMFIELD_OVERRIDES`` (and ``FORMFIELD_OVERRIDES_INLINE``). They are
``ClearableFileInput``s, so they upload directly already; the subclasses here add what
``S3AdminFileWidget`` adds to the stock admin's, dressed in Unfold's look. Imported only
when ``unfold`` is in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from typing import Any

from unfold import overrides
from unfold.widgets import (
    UnfoldAdminFileFieldWidget,
    UnfoldAdminImageFieldWidget,
    UnfoldAdminImageSmallFieldWidget,
)

from .widgets import STYLESHEET, S3AdminWidgetMixin

UNFOLD_STYLESHEET = "s3file_admin/css/unfold.css"


class S3UnfoldWidgetMixin(S3AdminWidgetMixin):
    """Unfold's own template, inside a ``div.s3file-widget`` the scripts put their panel
    and errors after (Unfold's file input itself is invisible), with Unfold's look."""

    stylesheets = (STYLESHEET, UNFOLD_STYLESHEET)
    template_name = "s3file_admin/unfold/file_input.html"
    #: The Unfold template rendered inside the wrapper.
    unfold_template_name: str

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["unfold_template_name"] = self.unfold_template_name
        return context


class S3UnfoldAdminFileFieldWidget(S3UnfoldWidgetMixin, UnfoldAdminFileFieldWidget):
    """Unfold's file field widget with direct-upload progress, errors and cancel."""

    unfold_template_name = UnfoldAdminFileFieldWidget.template_name


class S3UnfoldAdminImageFieldWidget(S3UnfoldWidgetMixin, UnfoldAdminImageFieldWidget):
    """Unfold's image field widget with direct-upload progress, errors, cancel and preview."""

    unfold_template_name = UnfoldAdminImageFieldWidget.template_name


class S3UnfoldAdminImageSmallFieldWidget(S3UnfoldWidgetMixin, UnfoldAdminImageSmallFieldWidget):
    """Unfold's compact image widget (its inlines'), with the same additions."""

    unfold_template_name = UnfoldAdminImageSmallFieldWidget.template_name


REPLACEMENTS: dict[type, type] = {
    UnfoldAdminFileFieldWidget: S3UnfoldAdminFileFieldWidget,
    UnfoldAdminImageFieldWidget: S3UnfoldAdminImageFieldWidget,
    UnfoldAdminImageSmallFieldWidget: S3UnfoldAdminImageSmallFieldWidget,
}


def install() -> None:
    """Make our subclasses the widgets of Unfold's ``ModelAdmin``s and inlines.

    Unfold's overrides are edited in place (each ``ModelAdmin`` copies them when it is
    registered; inlines read them when they are built). Only entries still naming Unfold's
    own widget change, so a project's choice stays; calling it again changes nothing.
    """
    for table in (overrides.FORMFIELD_OVERRIDES, overrides.FORMFIELD_OVERRIDES_INLINE):
        for options in table.values():
            for unfolds, ours in REPLACEMENTS.items():
                if options.get("widget") is unfolds:
                    options["widget"] = ours
