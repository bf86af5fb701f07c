"""System checks: the core app is installed, and this app comes before the admin."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks


@checks.register()
def check_installed_apps(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``s3file`` must be installed; ``s3file_admin`` must come before the admin app."""
    errors: list[checks.CheckMessage] = []
    configs = list(apps.get_app_configs())
    if not any(config.name == "s3file" for config in configs):
        errors.append(
            checks.Error(
                "s3file_admin builds on the s3file app, which is not installed.",
                hint='Add "s3file" to INSTALLED_APPS.',
                id="s3file_admin.E001",
            )
        )
    labels = [config.label for config in configs]
    if "admin" in labels and labels.index("s3file_admin") > labels.index("admin"):
        errors.append(
            checks.Warning(
                "s3file_admin comes after django.contrib.admin in INSTALLED_APPS, so "
                "ModelAdmins registered by the admin's autodiscovery keep the plain "
                "AdminFileWidget: uploads go to S3 directly, without the admin's progress "
                "bars and error display.",
                hint='Put "s3file_admin" before "django.contrib.admin" in INSTALLED_APPS.',
                id="s3file_admin.W001",
            )
        )
    return errors
