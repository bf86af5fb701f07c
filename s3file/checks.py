"""System checks: the insecure dev endpoint in production, a missing or misplaced middleware,
an overwriting storage, mistakes in ``S3FILE_API_FIELDS``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import FieldDoesNotExist
from django.db import models
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


#: The options an entry of ``S3FILE_API_FIELDS`` may have.
API_FIELD_OPTIONS = {"max_size", "accept", "permission"}


@register()
def check_api_fields(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Each entry of ``S3FILE_API_FIELDS`` names a model file field (``app_label.Model.field``)
    or a name of the project's own, with options the grant endpoint can use: a mistake there
    would otherwise show only as a refused or failing upload."""
    enabled = conf.get("S3FILE_API_FIELDS")
    if isinstance(enabled, (list, tuple)):
        enabled = dict.fromkeys(enabled, {})
    if not isinstance(enabled, dict):
        return [api_field_error("S3FILE_API_FIELDS is neither a dict nor a list of names.")]
    errors: list[CheckMessage] = []
    for name, options in enabled.items():
        problem = api_field_problem(name, options)
        if problem:
            errors.append(api_field_error(f"S3FILE_API_FIELDS[{name!r}]: {problem}"))
    return errors


def api_field_error(message: str) -> Error:
    return Error(
        message,
        hint="Name a model's FileField or ImageField as 'app_label.Model.field' (or a name of "
        "your own without two dots), with options max_size (bytes, a positive whole number), "
        "accept (a string like an accept attribute's) and permission (a callable or its "
        "dotted path): see the API fields in django-s3file's documentation.",
        id="s3file.E005",
    )


def api_field_problem(name: Any, options: Any) -> str:
    """What is wrong with one entry of ``S3FILE_API_FIELDS``; empty if nothing."""
    if not isinstance(name, str) or not name:
        return "the name is not a non-empty string."
    if name.count(".") == 2:
        problem = model_field_problem(name)
        if problem:
            return problem
    if options is None:
        return ""
    if not isinstance(options, dict):
        return "the options are not a dict."
    unknown = sorted(set(options) - API_FIELD_OPTIONS, key=str)
    if unknown:
        return f"unknown options {', '.join(map(repr, unknown))}."
    max_size = options.get("max_size")
    if max_size is not None and not (
        isinstance(max_size, int) and not isinstance(max_size, bool) and max_size > 0
    ):
        return f"max_size {max_size!r} is not a positive whole number of bytes."
    accept = options.get("accept")
    if accept is not None and not isinstance(accept, str):
        return f"accept {accept!r} is not a string."
    return permission_problem(options.get("permission"))


def model_field_problem(name: str) -> str:
    """What is wrong with ``app_label.Model.field`` as a model file field; empty if nothing."""
    label, _, field_name = name.rpartition(".")
    try:
        model = apps.get_model(label)
    except LookupError:
        return f"there is no model {label!r} (is its app installed?)."
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return f"{label} has no field {field_name!r}."
    if not isinstance(field, models.FileField):
        return f"{label}.{field_name} is a {type(field).__name__}, not a FileField."
    return ""


def permission_problem(permission: Any) -> str:
    """What is wrong with a ``permission`` option; empty if nothing."""
    if permission is None or callable(permission):
        return ""
    if not isinstance(permission, str):
        return f"permission {permission!r} is neither a callable nor a dotted path."
    try:
        found = import_string(permission)
    except ImportError:
        return f"permission {permission!r} cannot be imported."
    if not callable(found):
        return f"permission {permission!r} is not callable."
    return ""


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
                id="s3file.E006",
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
