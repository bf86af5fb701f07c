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
        from . import checks, metadata  # noqa: F401  (importing checks registers them)

        metadata.install()
        # Wagtail reads these when it builds a form; a project's own setting wins (and the
        # system check says if its form lacks S3FileFormMixin).
        for name, form in FORM_BASES.items():
            if not getattr(settings, name, ""):
                setattr(settings, name, form)
