"""Where S3 and the dev storage differ: the one place that tells them apart.

``backend()`` looks at ``STORAGES["default"]`` (or the storage given) and answers with the
``S3Backend`` for django-storages' S3 storages, the ``LocalBackend`` for a
``FileSystemStorage`` (the dev endpoint, ``backends.dev``), or None: direct uploads are off.
Backends raise storage errors (``Missing``, ``Changed``, ``Unavailable``, ``Rejected``),
which the views turn into HTTP answers.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages

from .base import (
    Backend,
    Changed,
    Head,
    Missing,
    MultipartBackend,
    Rejected,
    StorageError,
    Unavailable,
)
from .dev.storage import LocalBackend, dev_backend, local_backend

__all__ = [
    "Backend",
    "Changed",
    "Head",
    "LocalBackend",
    "Missing",
    "MultipartBackend",
    "Rejected",
    "StorageError",
    "Unavailable",
    "backend",
    "local_backend",
]


def default_storage() -> Storage:
    """The storage uploads go to: ``STORAGES["default"]``."""
    return storages["default"]


def backend(storage: Storage | None = None) -> Backend[Any] | None:
    """The backend of ``storage`` (default: ``default_storage()``), or None; one per
    storage (``Backend.of``)."""
    storage = default_storage() if storage is None else storage
    with contextlib.suppress(ImportError):  # django-storages is an optional extra
        from storages.backends.s3 import S3Storage

        if isinstance(storage, S3Storage):
            from .s3 import S3Backend

            return S3Backend.of(storage)
    if isinstance(storage, FileSystemStorage):
        return dev_backend(storage)
    return None
