"""The one interface behind which S3 and the dev storage differ."""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from typing import IO, Generic, NamedTuple, TypeVar

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import Storage

from s3file import conf
from s3file.multipart import Part, Upload
from s3file.rules import Grant

S = TypeVar("S", bound=Storage)


class Head(NamedTuple):
    """What one HEAD tells about a stored upload."""

    size: int
    content_type: str | None
    #: The version the HEAD saw; reads and copies insist on it ("" where there is none).
    etag: str = ""
    #: The base64 SHA-1 the storage verified ("" when unknown).
    sha1: str = ""
    #: When the object was stored, in seconds since the epoch (0: unknown).
    modified: float = 0


class Missing(Exception):
    """The object is not (or no longer) in storage."""


class Unavailable(Exception):
    """The storage could not be reached or answered with an error."""


class Backend(ABC, Generic[S]):
    """Where direct uploads go and how they come back, for one storage.

    ``backends.backend()`` chooses the implementation; nothing else asks which storage it is.
    Keys are full keys: with the storage's ``location`` in front, as S3 and the browser see them.
    """

    #: The bucket uploads land in, and its S3 endpoint (None: the default AWS endpoint);
    #: no bucket where the objects are not in S3 (they cannot be copied server-side).
    bucket: str | None = None
    endpoint_url: str | None = None
    #: Whether the storage serves a file as its name says (a FileSystemStorage behind a web
    #: server) rather than with the Content-Type stored with it; then the name's type is
    #: what the accept list must take (``rules.check_upload``).
    by_name: bool = False
    #: The key prefix the storage puts before names (S3's ``location``).
    location: str = ""

    def __init__(self, storage: S) -> None:
        self.storage = storage

    def upload_prefix(self) -> str:
        """Where browsers upload, as a key prefix ending in "/"."""
        path: str = conf.get("S3FILE_UPLOAD_PATH").strip("/")
        return posixpath.join(self.location, path) + "/"

    def storage_name(self, key: str) -> str:
        """The storage-relative name of the full key ``key``."""
        prefix = self.location + "/" if self.location else ""
        if not key.startswith(prefix):
            raise SuspiciousOperation(f"s3file: key {key!r} is outside the storage location")
        return key.removeprefix(prefix)

    @abstractmethod
    def presign_post(self, grant: Grant) -> tuple[str, dict[str, str]]:
        """The URL and form fields of a POST that may upload what ``grant`` allows."""

    @abstractmethod
    def head(self, key: str, checksum: bool = False) -> Head:
        """Size and type of ``key`` (with its SHA-1 if ``checksum``); Missing, Unavailable."""

    def sha1(self, key: str, etag: str) -> str:
        """The SHA-1 (hex) the storage verified for ``key``, or "" (none did: the file
        computes it)."""
        return ""

    def open(self, key: str, size: int, etag: str) -> IO[bytes]:
        """``key`` for reading, as long as it is still the version ``etag``."""
        return self.storage.open(key, "rb")

    def delete(self, key: str) -> None:
        """Delete ``key``; a failure is logged, never raised (the lifecycle rule remains)."""
        self.storage.delete(key)

    @abstractmethod
    def create(self, key: str, content_type: str) -> tuple[str, bool]:
        """Start a multipart upload to ``key``; return its id, and whether its parts' ETags
        are their MD5s (not under SSE-KMS or SSE-C)."""

    @abstractmethod
    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        """Presigned URLs to PUT the parts ``numbers`` to."""

    @abstractmethod
    def list_parts(self, upload: Upload) -> list[Part]:
        """The parts stored so far."""

    @abstractmethod
    def complete(self, upload: Upload, parts: list[Part]) -> None:
        """Join ``parts``, checked by ``multipart.check_complete``, into the upload's object."""

    @abstractmethod
    def abort(self, upload: Upload) -> None:
        """Drop the upload and its parts."""
