"""Where S3 and the dev storage differ: the one place that tells them apart.

``backend()`` looks at ``STORAGES["default"]`` (or the storage given) and answers with the
``S3Backend`` for django-storages' S3 storages, the ``LocalBackend`` for a
``FileSystemStorage`` (the dev endpoint), or None: direct uploads are off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.storage import FileSystemStorage, Storage, storages

from s3file import conf

from .base import Backend, Head, Missing, Unavailable
from .local import LocalBackend

if TYPE_CHECKING:
    from .s3 import S3Backend

__all__ = ["Backend", "Head", "LocalBackend", "Missing", "Unavailable", "backend"]


def default_storage() -> Storage:
    """The storage uploads go to: ``STORAGES["default"]``."""
    return storages["default"]


def backend(storage: Storage | None = None) -> Backend[Any] | None:
    """The backend of ``storage`` (default: ``default_storage()``), or None."""
    storage = default_storage() if storage is None else storage
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages is an optional extra
        pass
    else:
        if isinstance(storage, S3Storage):
            from .s3 import S3Backend

            return S3Backend(storage)
    # A FileSystemStorage takes direct uploads only through the dev endpoint, which is on
    # while DEBUG is (or as S3FILE_DEV_ENDPOINT says); off, its inputs upload through Django.
    if isinstance(storage, FileSystemStorage) and conf.dev_endpoint_on():
        return LocalBackend(storage)
    return None


def local_backend() -> LocalBackend | None:
    """The default storage's backend if the dev endpoint serves it, else None."""
    found = backend()
    return found if isinstance(found, LocalBackend) else None


def s3_backend(storage: Storage | None = None) -> S3Backend | None:
    """The backend of ``storage`` (default: ``default_storage()``) if it is in S3, else None."""
    found = backend(storage)
    if found is None or isinstance(found, LocalBackend):
        return None  # and django-storages may be missing
    from .s3 import S3Backend

    return found if isinstance(found, S3Backend) else None
