"""Where S3 and the dev storage differ: the one place that tells them apart.

``backend()`` looks at ``STORAGES["default"]`` (or the storage given) and answers with the
``S3Backend`` for django-storages' S3 storages, the ``LocalBackend`` for a
``FileSystemStorage`` (the dev endpoint), or None: direct uploads are off.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages

from s3file import conf

from .base import Backend, Head, Missing, Unavailable
from .local import LocalBackend

__all__ = ["Backend", "Head", "LocalBackend", "Missing", "Unavailable", "backend"]


def default_storage() -> Storage:
    """The storage uploads go to: ``STORAGES["default"]``."""
    return storages["default"]


def backend(storage: Storage | None = None) -> Backend[Any] | None:
    """The backend of ``storage`` (default: ``default_storage()``), or None."""
    storage = default_storage() if storage is None else storage
    with contextlib.suppress(ImportError):  # django-storages is an optional extra
        from storages.backends.s3 import S3Storage

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
    return found if isinstance(found := backend(), LocalBackend) else None
