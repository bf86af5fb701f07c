"""File objects for uploads that are already in storage: lazy, and read with ranged GETs."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import mimetypes
import os
import posixpath
from functools import cached_property
from typing import Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .policy import storage_kind, storage_name

MISSING = _(
    "The uploaded file “%(name)s” is no longer in storage (it may have expired). "
    "Please choose it again."
)

UNAVAILABLE = _(
    "The storage server could not be reached to check “%(name)s”. Nothing was saved: "
    "please submit the form again in a moment."
)
logger = logging.getLogger("s3file")


class RangedS3Reader(io.RawIOBase):
    """A seekable, read-only view of one S3 object that downloads only what is read.

    A read opens one ranged GET from the current position to the end and streams from it,
    so reading a header costs a few kilobytes and reading everything costs one request;
    a seek elsewhere drops the stream and the next read opens a new range.
    """

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self.position = 0
        self._body: Any = None
        self._body_position = -1

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size or not len(buffer):
            return 0
        if self._body is None or self._body_position != self.position:
            self._drop_body()
            self._body = self.client.get_object(
                Bucket=self.bucket, Key=self.key, Range=f"bytes={self.position}-"
            )["Body"]
            self._body_position = self.position
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        self._body_position = self.position
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


class S3UploadedFile(UploadedFile):
    """An upload the browser put into storage, as Django's ``UploadedFile``.

    Nothing is fetched until something asks: ``size`` and ``content_type`` cost one HEAD,
    reading costs ranged GETs of what is read (never the whole object into memory).
    If the object is gone, ``size`` raises ``ValidationError``, which Django's form fields
    turn into an error on their field.
    """

    def __init__(self, storage: Storage, key: str) -> None:
        self.storage, self.key = storage, key
        self.storage_name = storage_name(storage, key)
        self.bucket: str | None = getattr(storage, "bucket_name", None)
        #: Whether the object is still the browser's upload (S3OptimizedUploadStorage
        #: moves it on the first save, then points this file at its new place).
        self.temporary = True
        # The script puts each file at folder/<random>/<original name>.
        super().__init__(file=None, name=posixpath.basename(key), charset=None)

    def moved_to(self, bucket: str, key: str) -> None:
        """Follow the object to where a storage moved it; later saves copy from there."""
        self.close()
        self.bucket, self.key, self.temporary = bucket, key, False

    @cached_property
    def _head(self) -> dict[str, Any]:
        if storage_kind(self.storage) == "s3":
            from botocore.exceptions import BotoCoreError, ClientError

            try:
                head = self.storage.connection.meta.client.head_object(
                    Bucket=self.bucket, Key=self.key
                )
            except ClientError as e:
                if e.response["ResponseMetadata"]["HTTPStatusCode"] in (403, 404):
                    raise self._missing() from e
                raise self._unavailable() from e
            except BotoCoreError as e:  # no connection, a timeout: S3 is away, not the file
                raise self._unavailable() from e
            return {"size": head["ContentLength"], "content_type": head.get("ContentType")}
        try:
            if not os.path.isfile(self.storage.path(self.storage_name)):
                raise FileNotFoundError(self.storage_name)
            size = self.storage.size(self.storage_name)
            return {"size": size, "content_type": mimetypes.guess_type(self.name)[0]}
        except (OSError, SuspiciousFileOperation) as e:
            raise self._missing() from e

    @cached_property
    def sha1(self) -> str:
        """The file's SHA-1 as hex: the checksum S3 verified when the browser sent one
        (one HEAD), else computed by streaming the object in bounded chunks."""
        if storage_kind(self.storage) == "s3":
            from botocore.exceptions import ClientError

            try:
                head = self.storage.connection.meta.client.head_object(
                    Bucket=self.bucket, Key=self.key, ChecksumMode="ENABLED"
                )
            except ClientError:
                head = {}
            value = head.get("ChecksumSHA1", "")
            if value and "-" not in value:  # "-N": a checksum of part checksums
                return base64.b64decode(value).hex()
        digest = hashlib.sha1(usedforsecurity=False)
        for chunk in self.chunks():
            digest.update(chunk)
        self.seek(0)
        return digest.hexdigest()

    def _unavailable(self) -> ValidationError:
        logger.warning("Storage unavailable while checking %r", self.key, exc_info=True)
        return ValidationError(UNAVAILABLE, code="unavailable", params={"name": self.name})

    def _missing(self) -> ValidationError:
        return ValidationError(MISSING, code="missing", params={"name": self.name})

    @property
    def size(self) -> int:  # type: ignore[override]
        return self._head["size"]

    @size.setter
    def size(self, value: int) -> None:
        pass  # UploadedFile.__init__ assigns None; the real size comes from storage

    @property
    def content_type(self) -> str:  # type: ignore[override]
        return self._head["content_type"] or "application/octet-stream"

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        pass

    @property
    def file(self) -> Any:  # type: ignore[override]
        if self._file is None:
            if storage_kind(self.storage) == "s3":
                raw = RangedS3Reader(
                    self.storage.connection.meta.client, self.bucket, self.key, self.size
                )
                self._file = io.BufferedReader(raw, buffer_size=64 * 1024)
            else:
                self._file = self.storage.open(self.storage_name, "rb")
        return self._file

    @file.setter
    def file(self, value: Any) -> None:
        self._file = value

    def open(self, mode: str | None = None) -> S3UploadedFile:
        self.seek(0)
        return self

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
