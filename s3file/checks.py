"""System checks: the insecure dev endpoint in production, a missing or misplaced middleware."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from . import conf
from .backends import backend, default_storage, local_backend
from .middleware import MIDDLEWARE_PATH, S3FileMiddleware, middleware_installed

SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


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


def position(base: type) -> int | None:
    """Where ``base`` (or a subclass) first comes in ``MIDDLEWARE``; None if nowhere."""
    for index, path in enumerate(settings.MIDDLEWARE):
        found = import_string(path)
        if isinstance(found, type) and issubclass(found, base):
            return index
    return None


@register()
def check_middleware_order(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With ``CSRF_USE_SESSIONS``, the browser's CSRF secret (which a grant is bound to) is in
    its session: the multipart API, served by the middleware itself, needs the session."""
    if not settings.CSRF_USE_SESSIONS:
        return []
    ours = position(S3FileMiddleware)
    sessions = position(import_string(SESSION_MIDDLEWARE))
    if ours is None or sessions is None or sessions < ours:
        return []
    return [
        Error(
            "S3FileMiddleware comes before SessionMiddleware while CSRF_USE_SESSIONS is on: "
            "the browser's CSRF secret is in its session, which the multipart upload API "
            "(served by S3FileMiddleware) cannot read there, so every large upload fails.",
            hint=f"Put '{MIDDLEWARE_PATH}' after '{SESSION_MIDDLEWARE}' in MIDDLEWARE.",
            id="s3file.E003",
        )
    ]


@register()
def check_overwrite(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A default storage that saves over an object of the same name would let one direct
    upload replace another (``S3OptimizedUploadStorage`` picks a free name for uploads)."""
    if backend() is None:
        return []
    storage = default_storage()
    overwrites = getattr(storage, "file_overwrite", False)  # django-storages' S3 storages
    overwrites = overwrites or getattr(storage, "_allow_overwrite", False)  # FileSystemStorage
    # A storage may say it never lets a direct upload overwrite (S3OptimizedUploadStorage).
    if not getattr(storage, "upload_overwrite", overwrites):
        return []
    return [
        Error(
            f"STORAGES['default'] ({type(storage).__name__}) overwrites files of the same "
            "name: a direct upload named like an existing file would replace it.",
            hint="Use s3file.storages_optimized.S3OptimizedUploadStorage (it gives direct "
            "uploads a free name whatever file_overwrite says), or set the storage's OPTIONS "
            "'file_overwrite' (S3) or 'allow_overwrite' (FileSystemStorage) to False.",
            id="s3file.E004",
        )
    ]


@register()
def check_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The cache that marks saved uploads must keep what it is given, or a form submitted
    twice saves its upload twice (``S3UploadedFile.consume``)."""
    alias = conf.get("S3FILE_CACHE")
    if alias not in settings.CACHES:
        return [
            Error(
                f"S3FILE_CACHE names the cache {alias!r}, which CACHES does not define.",
                hint="Set S3FILE_CACHE to an alias of CACHES (a shared cache in production).",
                id="s3file.E005",
            )
        ]
    if not isinstance(caches[alias], DummyCache):
        return []
    return [
        Warning(
            f"The cache {alias!r} (S3FILE_CACHE) is a DummyCache, which keeps nothing: a form "
            "submitted twice, or twice at once, saves its direct upload twice.",
            hint="Point S3FILE_CACHE at a cache that keeps entries, shared by every process "
            "(Redis, Memcached or the database cache).",
            id="s3file.W002",
        )
    ]
