"""File objects for uploads that are already in storage: lazy, and read with ranged GETs."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import logging
import mimetypes
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from functools import cached_property
from typing import Any

from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .policy import condition_met, storage_kind, storage_name

TOO_LARGE = _("The uploaded file “%(name)s” is larger than this field allows (%(limit)s).")
WRONG_TYPE = _("The uploaded file “%(name)s” is not of a type this field accepts.")
MISSING = _(
    "The uploaded file “%(name)s” is no longer in storage (it may have expired). "
    "Please choose it again."
)

UNAVAILABLE = _(
    "The storage server could not be reached to check “%(name)s”. Nothing was saved: "
    "please submit the form again in a moment."
)
logger = logging.getLogger("s3file")


#: Actions waiting for the view's answer (see ``after_response``); the middleware sets a list
#: here around each POST.
AFTER_RESPONSE: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "s3file_after_response", default=None
)


def after_response(action: Callable[[], None]) -> None:
    """Run ``action`` once the view has answered without a server error, or at once outside
    a request ``S3FileMiddleware`` handles. Deleting a temporary upload waits for this, so a
    request that fails after the copy (a database error, say) can be submitted again."""
    pending = AFTER_RESPONSE.get()
    if pending is None:
        action()
    else:
        pending.append(action)


def get_object(client: Any, **params: Any) -> Any:
    """``client.get_object``, with a changed object as SuspiciousOperation (a 400)."""
    from botocore.exceptions import ClientError

    try:
        return client.get_object(**params)
    except ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] == 412:
            raise SuspiciousOperation(f"s3file: {params['Key']!r} changed after its check") from e
        raise


class RangedS3Reader(io.RawIOBase):
    """A seekable, read-only view of one S3 object that downloads only what is read.

    A read opens one ranged GET from the current position to the end and streams from it,
    so reading a header costs a few kilobytes and reading everything costs one request;
    a seek elsewhere drops the stream and the next read opens a new range.
    """

    def __init__(self, client: Any, bucket: str, key: str, size: int, etag: str = "") -> None:
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        # Every range must come from the object that was checked, not one put there since.
        self.conditions = {"IfMatch": etag} if etag else {}
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
            self._body = get_object(
                self.client,
                Bucket=self.bucket,
                Key=self.key,
                Range=f"bytes={self.position}-",
                **self.conditions,
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
    reading costs ranged GETs of what is read (never the whole object into memory), pinned to
    the ETag that HEAD saw, so the object cannot be swapped between its check and its use.
    ``size`` raises ``ValidationError`` (which form fields show on their field) when the
    object is gone or S3 is unreachable, and when it breaks one of ``limits``: the grant it was
    uploaded under, and the limits of the widget it is posted to.
    """

    def __init__(self, storage: Storage, key: str) -> None:
        self.storage, self.key = storage, key
        self.storage_name = storage_name(storage, key)
        self.bucket: str | None = getattr(storage, "bucket_name", None)
        #: (largest size, Content-Type condition) pairs the object must meet.
        self.limits: list[tuple[int, list]] = []
        #: Whether the object is still the browser's upload (S3OptimizedUploadStorage
        #: moves it on the first save, then points this file at its new place).
        self.temporary = True
        #: Whether the widget had the browser send a SHA-1 (then the HEAD asks for it).
        self.checksum_wanted = False
        #: Preconditions for reading and copying: the ETag the HEAD saw.
        self.conditions: dict[str, str] = {}
        self._spooled: Any = None
        # The script puts each file at folder/<random>/<original name>.
        super().__init__(file=None, name=posixpath.basename(key), charset=None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name} ({self.key})>"  # no HEAD in a log line

    def add_limit(self, max_size: int, content_type: list) -> None:
        if (max_size, content_type) not in self.limits:
            self.limits.append((max_size, content_type))

    def moved_to(self, bucket: str, key: str) -> None:
        """Follow the object to where a storage moved it; later saves copy from there."""
        self.close()
        self.bucket, self.key, self.temporary = bucket, key, False
        self.conditions = {}

    @cached_property
    def _head(self) -> dict[str, Any]:
        if storage_kind(self.storage) == "s3":
            from botocore.exceptions import BotoCoreError, ClientError

            client = self.storage.connection.meta.client
            # With the checksum, when the widget asked the browser for one (sha1 then needs
            # no second HEAD); SSE-KMS objects may refuse that mode, hence the second try.
            modes = [{"ChecksumMode": "ENABLED"}, {}] if self.checksum_wanted else [{}]
            for mode in modes:
                try:
                    head = client.head_object(Bucket=self.bucket, Key=self.key, **mode)
                    break
                except ClientError as e:
                    status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                    if status == 403 and mode:
                        continue
                    if status in (403, 404):
                        raise self._missing() from e
                    raise self._unavailable() from e
                except BotoCoreError as e:  # no connection, a timeout: S3 is away
                    raise self._unavailable() from e
            self.conditions = {"IfMatch": head["ETag"]}
            return {
                "size": head["ContentLength"],
                "content_type": head.get("ContentType"),
                "sha1": head.get("ChecksumSHA1", ""),
            }
        try:
            if not os.path.isfile(self.storage.path(self.storage_name)):
                raise FileNotFoundError(self.storage_name)
            size = self.storage.size(self.storage_name)
            return {"size": size, "content_type": mimetypes.guess_type(self.name)[0]}
        except (OSError, SuspiciousFileOperation) as e:
            raise self._missing() from e

    def _checked(self) -> dict[str, Any]:
        head = self._head
        for max_size, content_type in self.limits:
            if head["size"] > max_size:
                raise ValidationError(
                    TOO_LARGE,
                    code="too_large",
                    params={"name": self.name, "limit": filesizeformat(max_size)},
                )
            known = head["content_type"]
            if known and content_type and not condition_met(content_type, known):
                raise ValidationError(WRONG_TYPE, code="type", params={"name": self.name})
        return head

    @cached_property
    def sha1(self) -> str:
        """The file's SHA-1 as hex: the checksum S3 verified when the browser sent one
        (one HEAD), else computed by streaming the object in bounded chunks."""
        if storage_kind(self.storage) == "s3":
            from botocore.exceptions import ClientError

            if self.checksum_wanted:
                value = self._head["sha1"]  # that HEAD asked for it
            else:
                try:
                    head = self.storage.connection.meta.client.head_object(
                        Bucket=self.bucket, Key=self.key, ChecksumMode="ENABLED", **self.conditions
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
        return self._checked()["size"]

    @size.setter
    def size(self, value: int) -> None:
        pass  # UploadedFile.__init__ assigns None; the real size comes from storage

    @property
    def content_type(self) -> str:  # type: ignore[override]
        return self._checked()["content_type"] or "application/octet-stream"

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        pass

    @property
    def file(self) -> Any:  # type: ignore[override]
        if self._file is None:
            if storage_kind(self.storage) == "s3":
                raw = RangedS3Reader(
                    self.storage.connection.meta.client,
                    self.bucket,
                    self.key,
                    self.size,
                    self.conditions.get("IfMatch", ""),
                )
                self._file = io.BufferedReader(raw, buffer_size=64 * 1024)
            else:
                self._file = self.storage.open(self.storage_name, "rb")
        return self._file

    @file.setter
    def file(self, value: Any) -> None:
        self._file = value

    def temporary_file_path(self) -> str:
        """A copy on local disk, made on first call (Django's ImageField opens images by
        path when it can, instead of reading the whole upload into memory)."""
        if self._spooled is None or not os.path.exists(self._spooled.name):
            self._spooled = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in close())
                prefix="s3file-", suffix=posixpath.splitext(self.name)[1], delete=False
            )
            self.seek(0)
            shutil.copyfileobj(self.file, self._spooled, 1024 * 1024)
            self._spooled.close()
            self.seek(0)
        return self._spooled.name

    def open(self, mode: str | None = None) -> S3UploadedFile:
        self.seek(0)
        return self

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._spooled is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._spooled.name)
            self._spooled = None
