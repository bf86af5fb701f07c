"""System checks: the insecure dev endpoint in production and a missing middleware."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .backends import local_backend
from .middleware import MIDDLEWARE_PATH, middleware_installed


@register(Tags.security, deploy=True)
def check_dev_endpoint(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if local_backend() is None:
        return []
    return [
        Error(
            "The s3file dev endpoint is active: STORAGES['default'] is a FileSystemStorage and "
            "DEBUG or S3FILE_DEV_ENDPOINT is on, so browsers upload into this server through "
            "an S3 stand-in meant for development.",
            hint="Use django-storages' S3Boto3Storage (or s3file's S3OptimizedUploadStorage) "
            "as the default storage in production, or set S3FILE_DEV_ENDPOINT = False.",
            id="s3file.E001",
        )
    ]


@register()
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if middleware_installed():
        return []
    return [
        Warning(
            "s3file is installed but S3FileMiddleware is not in MIDDLEWARE, so file inputs "
            "keep uploading through Django.",
            hint=f"Add '{MIDDLEWARE_PATH}' to MIDDLEWARE.",
            id="s3file.W001",
        )
    ]
