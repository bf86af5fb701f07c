"""The ``wagtail_s3file`` app: Wagtail's image and document uploads, straight to S3."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class WagtailS3FileConfig(AppConfig):
    name = "wagtail_s3file"
    label = "wagtail_s3file"
    verbose_name = _("Direct uploads to S3 for Wagtail")

    def ready(self) -> None:
        from django.db import models

        from s3file.forms import S3FileInput, add_posts_to

        from . import checks, compat, metadata  # noqa: F401  (importing checks registers them)
        from .widgets import admin_targets

        # Every Wagtail name below comes through compat: one that moved leaves its part to
        # Wagtail instead of start-up failing.
        metadata.install()
        # File and image fields of Wagtail's admin forms (snippets, pages, model viewsets,
        # settings) upload directly, as the images and documents do, even where
        # S3FILE_REPLACE_WIDGETS leaves the project's other forms alone: the admin always runs
        # the script. A project's own override for these fields, registered later, wins.
        register_form_field_override = compat.find(
            "wagtail.admin.forms.models", "register_form_field_override"
        )
        if register_form_field_override is not None:
            register_form_field_override(models.FileField, override={"widget": S3FileInput})
        compat.set_default_form_bases()
        # Inputs rendered in a chooser or an editor: their forms also post to the chooser's
        # "create" view and to the editor's preview.
        add_posts_to(admin_targets)
        if apps.is_installed("wagtailmedia"):  # optional: imported only when installed
            from . import media

            media.install()
