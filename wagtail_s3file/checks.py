"""System checks: Wagtail forms that would not upload directly, templates that would not load."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.utils.module_loading import import_string

from . import compat


@register()
def check_form_bases(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        from .forms import S3FileFormMixin
    except ImportError:
        return []  # a Wagtail base form moved: Wagtail's own forms are in use

    warnings: list[CheckMessage] = []
    for number, name in enumerate(compat.FORM_BASES, start=1):
        path = getattr(settings, name, "")
        try:
            form = import_string(path)
        except ImportError:
            continue  # Wagtail reports its own setting when it builds the form
        if not issubclass(form, S3FileFormMixin):
            warnings.append(
                Warning(
                    f"{name} is {path!r}, which does not use S3FileFormMixin, so this "
                    "form's file goes through Django instead of straight to S3.",
                    hint=f"Add wagtail_s3file.forms.S3FileFormMixin to {path}'s bases "
                    "(before Wagtail's form).",
                    id=f"wagtail_s3file.W00{number}",
                )
            )
    return warnings


@register()
def check_app_order(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    names = [config.name for config in apps.get_app_configs()]
    ours = names.index("wagtail_s3file")
    late = [name for name in ("wagtail.images", "wagtail.documents") if name in names[:ours]]
    if not late:
        return []
    return [
        Warning(
            f"wagtail_s3file comes after {' and '.join(late)} in INSTALLED_APPS, so Wagtail's "
            "multiple upload pages keep sending files through Django.",
            hint="Put 'wagtail_s3file' above the Wagtail apps in INSTALLED_APPS.",
            id="wagtail_s3file.W003",
        )
    ]
