"""System checks: Wagtail forms that would not upload directly, templates that would not load,
and Wagtail names or templates this app relies on that a Wagtail release moved."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.utils.module_loading import import_string

from . import compat

HINT = (
    "Upgrade django-s3file, or use a Wagtail release it supports ({expected}); until then "
    "Wagtail does this part itself."
)


@register()
def check_form_bases(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        from .forms import S3FileFormMixin
    except ImportError:
        return []  # a Wagtail base form moved: check_wagtail_names names it

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


@register()
def check_wagtail_names(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every Wagtail name, form field part and template in ``compat`` is where this app
    expects it (W010 for Python, W011 for templates)."""
    found = f"Wagtail {compat.wagtail_version()}"
    expected = f"as in Wagtail {compat.EXPECTED}"
    hint = HINT.format(expected=compat.EXPECTED)
    warnings: list[CheckMessage] = [
        Warning(
            f"{found} has no {name.path}, which wagtail_s3file expects {expected}: {name.use}",
            hint=hint,
            obj=name.path,
            id="wagtail_s3file.W010",
        )
        for name in compat.missing_names()
    ]
    for parts in compat.FIELD_PARTS:
        missing = parts.missing()
        if missing:
            warnings.append(
                Warning(
                    f"{found}'s {parts.field.path} has no {', '.join(missing)}, which "
                    f"wagtail_s3file expects {expected}: {parts.use}",
                    hint=hint,
                    obj=parts.field.path,
                    id="wagtail_s3file.W010",
                )
            )
    for template in compat.TEMPLATES:
        lacks = template.missing()
        if lacks == []:
            continue
        what = (
            f"no template {template.name}"
            if lacks is None
            else f"no {', '.join(lacks)} in its template {template.name}"
        )
        warnings.append(
            Warning(
                f"{found} has {what}, which wagtail_s3file expects {expected}: {template.use}",
                hint=hint,
                obj=template.name,
                id="wagtail_s3file.W011",
            )
        )
    return warnings
