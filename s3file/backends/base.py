"""The one interface behind which S3 and the dev storage differ."""

from __future__ import annotations

import contextlib
import posixpath
from abc import ABC, abstractmethod
from typing import IO, Generic, NamedTuple, Self, TypeVar

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import Storage

from s3file import conf
from s3file.multipart import Part, Upload
from s3file.rules import MAX_OBJECT_SIZE, Grant

S = TypeVar("S", bound=Storage)
#: The attribute a storage keeps its backend in (``Backend.of``).
CACHED = "_s3file_backend"


class Kept:
    """A storage's backend, kept on the storage. A copy or a pickle of the storage keeps
    none (a boto3 client can be neither) and builds its own on first use."""

    __slots__ = ("backend",)

    def __init__(self) -> None:
        self.backend: object = None

    def __reduce__(self) -> tuple[type[Kept], tuple[()]]:
        return (Kept, ())


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


class StorageError(Exception):
    """What a backend raises when the storage cannot do what was asked. Backends speak
    storage, never HTTP: ``views`` and the dev endpoint turn these into answers."""


class Missing(StorageError):
    """The object (or the multipart upload) is not, or no longer, in storage."""


class Changed(StorageError, SuspiciousOperation):
    """The object is no longer the version that was checked. A ``SuspiciousOperation`` too:
    where nothing catches it, Django answers with a 400."""


class Unavailable(StorageError):
    """The storage could not be reached, or failed."""


class Rejected(StorageError):
    """The storage refused the request; ``code`` says why: ``key`` (a name it cannot hold),
    ``too-large``, ``full`` (no room left), ``refused`` (any other)."""

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


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
    #: Whether browsers may upload straight into the folder a file is saved in, and saving
    #: claims the object there (``S3FILE_CLAIM``): S3, whose uploads there carry a tag.
    claims: bool = False

    def __init__(self, storage: S) -> None:
        self.storage = storage

    @classmethod
    def of(cls, storage: S) -> Self:
        """The backend of ``storage``, built on first use and kept on it: a render asks
        several times, a request more. A storage lives as long as its settings (Django
        builds a new one when ``STORAGES`` change)."""
        kept = getattr(storage, CACHED, None)
        if not isinstance(kept, Kept):
            kept = Kept()
            with contextlib.suppress(AttributeError):  # a storage with __slots__: not kept
                setattr(storage, CACHED, kept)
        if not isinstance(kept.backend, cls):
            kept.backend = cls(storage)
        return kept.backend

    @property
    def max_size(self) -> int:
        """The largest object the storage takes (S3's: 5 TiB)."""
        return MAX_OBJECT_SIZE

    def upload_prefix(self, final: str = "") -> str:
        """Where browsers upload, as a key prefix ending in "/": the upload folder, or the
        storage folder ``final`` that files are saved in (``S3FILE_CLAIM``)."""
        path: str = (final or conf.get("S3FILE_UPLOAD_PATH")).strip("/")
        return posixpath.join(self.location, path) + "/"

    def pending(self, key: str) -> bool:
        """Whether ``key`` (a key the rules allowed) lies in a final folder, not the upload
        folder: the object stays where it is when saved, and only a claim keeps it."""
        return not key.startswith(self.upload_prefix())

    def claim(self, key: str) -> bool:
        """Keep the upload at ``key`` for good: False when it is not a pending upload (it was
        claimed before), and then it must be copied."""
        return False

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

    @abstractmethod
    def open(self, key: str, size: int, etag: str) -> IO[bytes]:
        """``key`` for reading, as long as it is still the version ``etag`` (else reads
        raise ``Changed``)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Delete ``key``; a failure is logged, never raised (the lifecycle rule remains)."""


class MultipartBackend(Backend[S]):
    """A backend that also takes uploads in parts (S3's multipart upload), which the browser
    drives through the multipart API (``views``) for files above the threshold."""

    @abstractmethod
    def create(self, key: str, content_type: str) -> tuple[str, bool]:
        """Start a multipart upload to ``key``; return its id, and whether its parts' ETags
        are their MD5s (not under SSE-KMS or SSE-C). Operations on an upload that is gone
        raise ``Missing``."""

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
