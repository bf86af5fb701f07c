"""The ``s3file`` app: installs the direct-upload input and registers the system checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class S3FileConfig(AppConfig):
    name = "s3file"
    verbose_name = _("Direct uploads to S3")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import checks, files, forms  # noqa: F401  (checks register themselves on import)

        forms.install()
        # Every model save takes the direct uploads it saves, once (a double submit).
        pre_save.connect(files.consume_saved_uploads, dispatch_uid="s3file.consume")
