"""System checks: the insecure dev endpoint in production, and a missing middleware."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, Warning, register

from . import conf
from .policy import storage_kind


@register(Tags.security, deploy=True)
def check_dev_endpoint(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if storage_kind() != "dev":
        return []
    return [
        Error(
            "The s3file dev endpoint is active: STORAGES['default'] is a FileSystemStorage, so "
            "browsers upload into this server through an S3 stand-in meant for development.",
            hint="Use django-storages' S3Boto3Storage (or s3file's S3OptimizedUploadStorage) "
            "as the default storage in production.",
            id="s3file.E001",
        )
    ]


@register()
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if conf.middleware_installed():
        return []
    return [
        Warning(
            "s3file is installed but S3FileMiddleware is not in MIDDLEWARE, so file inputs "
            "keep uploading through Django.",
            hint=f"Add '{conf.MIDDLEWARE_PATH}' to MIDDLEWARE.",
            id="s3file.W001",
        )
    ]
