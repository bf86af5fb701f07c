"""The ``wagtail_s3file`` app: Wagtail's image and document uploads, straight to S3."""

from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

#: Wagtail's settings for its image and document base forms, and ours for them.
FORM_BASES = {
    "WAGTAILIMAGES_IMAGE_FORM_BASE": "wagtail_s3file.forms.S3ImageForm",
    "WAGTAILDOCS_DOCUMENT_FORM_BASE": "wagtail_s3file.forms.S3DocumentForm",
}


class WagtailS3FileConfig(AppConfig):
    name = "wagtail_s3file"
    label = "wagtail_s3file"
    verbose_name = _("Direct uploads to S3 for Wagtail")

    def ready(self) -> None:
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from s3file.forms import S3FileInput

        from . import checks, metadata  # noqa: F401  (importing checks registers them)

        metadata.install()
        # File and image fields of Wagtail's admin forms (snippets, pages, model viewsets,
        # settings) upload directly, as the images and documents do, even where
        # S3FILE_REPLACE_WIDGETS leaves the project's other forms alone: the admin always runs
        # the script. A project's own override for these fields, registered later, wins.
        register_form_field_override(models.FileField, override={"widget": S3FileInput})
        # Wagtail reads these when it builds a form; a project's own setting wins (and the
        # system check says if its form lacks S3FileFormMixin).
        for name, form in FORM_BASES.items():
            if not getattr(settings, name, ""):
                setattr(settings, name, form)
        if self.apps.is_installed("wagtailmedia"):  # optional: imported only when installed
            from . import media

            media.install()
