"""The ``s3file_admin`` app: admin file widgets with upload progress, errors and preview."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class S3FileAdminConfig(AppConfig):
    name = "s3file_admin"
    verbose_name = _("Direct uploads to S3 in the admin")

    def ready(self) -> None:
        from . import checks, widgets  # noqa: F401  (importing checks registers them)

        # Before django.contrib.admin's ready() autodiscovers admin modules: each ModelAdmin
        # copies the defaults when it is registered (see the check s3file_admin.W001).
        widgets.install()
        if apps.is_installed("unfold"):  # never imported otherwise: Unfold is optional
            from . import unfold

            unfold.install()
