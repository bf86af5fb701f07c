from __future__ import annotations

from django.core.files.storage import Storage


class ExplodingStorage(Storage):
    """A default storage no request without s3file's fields may touch."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return super().__getattribute__(name)
        raise AssertionError(f"storage.{name} used")
