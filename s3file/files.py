"""File objects for uploads that are already in storage: lazy, and read with ranged GETs."""

from __future__ import annotations

import hashlib
import logging
import posixpath
import tempfile
import time
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import conf
from .backends import Backend, Head, LocalBackend, Missing, Unavailable, backend
from .rules import SHA1, Refused, check_file, name_type

TOO_LARGE = _("The uploaded file “%(name)s” is larger than this field allows (%(limit)s).")
WRONG_TYPE = _("The uploaded file “%(name)s” is not of a type this field accepts.")
MISSING = _(
    "The uploaded file “%(name)s” is no longer in storage: it expired, or this form was "
    "submitted already. Unless it was, please choose the file again."
)
ELSEWHERE = _(
    "The uploaded file “%(name)s” was uploaded for another field. Please choose it again."
)
OTHER_VIEW = _(
    "The uploaded file “%(name)s” was uploaded for another form. Please choose it again."
)
SESSION_CHANGED = _(
    "Your session changed since “%(name)s” was uploaded (for example, you logged in or "
    "out). Please choose the file again."
)
UNAVAILABLE = _(
    "The storage server could not be reached to check “%(name)s”. Nothing was saved: "
    "please submit the form again in a moment."
)
EXPIRED = _(
    "The uploaded file “%(name)s” was uploaded too long ago to be kept: storage removes it "
    "soon. Please choose it again."
)
logger = logging.getLogger("s3file")


class UnusableUpload(ValidationError):
    """An upload that cannot be used (gone, refused, over a limit): a form field shows it on
    its field; a view that reads the file itself gets a 400 from ``S3FileMiddleware``
    (``status``: 503 while the storage cannot be reached)."""

    status = 400


class StorageUnavailable(UnusableUpload):
    status = 503


if TYPE_CHECKING:  # Django's file classes are generic in the stubs only
    BaseFile = UploadedFile[bytes]
else:
    BaseFile = UploadedFile


class S3UploadedFile(BaseFile):
    """An upload the browser put into storage, as Django's ``UploadedFile``.

    Nothing is fetched until something asks: ``size`` and ``content_type`` cost one HEAD,
    reading costs ranged GETs of what is read (never the whole object into memory), pinned to
    the ETag that HEAD saw, so the object cannot be swapped between its check and its use.
    ``size`` raises ``ValidationError`` (which form fields show on their field) when the
    object is gone or S3 is unreachable, and when it breaks one of ``limits``: the grant it was
    uploaded under, and the limits of the widget it is posted to.
    """

    _file: IO[bytes] | None

    def __init__(self, storage: Storage, key: str) -> None:
        found = backend(storage)
        if found is None:
            raise SuspiciousOperation("s3file: direct uploads are off for this storage")
        self.storage = storage
        self.backend = found
        self.key = key
        self.storage_name = found.storage_name(key)
        #: (largest size, accept list) pairs the object must meet (``rules.check_file``).
        self.limits: list[tuple[int, str]] = []
        #: Why this upload may not be used here at all (``refuse()``), checked before a HEAD.
        self.refusal: ValidationError | None = None
        #: Whether the object is still the browser's upload (S3OptimizedUploadStorage
        #: moves it on the first save, then points this file at its new place; the dev
        #: storage's ``FileSystemStorage`` moves it by ``temporary_file_path()``).
        self.temporary = True
        #: Whether the widget had the browser send a SHA-1 (then the HEAD asks for it).
        self.checksum_wanted = False
        #: The SHA-1 (hex) the browser posted with the key, for a file it sent in parts (S3
        #: verifies no whole-file SHA-1 of those); "" if none. The uploader's word, which
        #: nothing checks: only for what trusts the uploader (Wagtail's ``file_hash``).
        self.stated_sha1 = ""
        #: The version the HEAD saw, which reads and copies insist on ("": none yet).
        self.etag = ""
        #: The folder of the grant it was posted back under (the middleware sets it): a form
        #: rendered again keeps the upload by signing that folder anew (``keep_error()``).
        self.folder = ""
        self._spooled: str | None = None  # the path of temporary_file_path()
        # The script puts each file at folder/<random>/<original name>.
        super().__init__(file=None, name=posixpath.basename(key), charset=None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name} ({self.key})>"  # no HEAD in a log line

    def add_limit(self, max_size: int, accept: str) -> None:
        """Require at most ``max_size`` bytes and a name and type ``accept`` takes."""
        if (max_size, accept) not in self.limits:
            self.limits.append((max_size, accept))

    def refuse(self, code: str = "field") -> None:
        """Make this upload fail validation without touching storage: its grant was for
        another field, another view (``code`` ``view``) or another browser session
        (``binding``); ``code`` is the ``rules.Refused`` code."""
        messages = {"binding": (SESSION_CHANGED, "session"), "view": (OTHER_VIEW, "other_view")}
        message, kind = messages.get(code, (ELSEWHERE, "elsewhere"))
        self.refusal = UnusableUpload(message, code=kind, params={"name": self.name})

    def moved_to(self, backend: Backend[Any], key: str) -> None:
        """Follow the object to where a storage moved it; later saves copy from there."""
        self.close()
        self.backend = backend
        self.key = key
        self.temporary = False
        self.etag = ""

    @cached_property
    def _head(self) -> Head:
        if self.refusal is not None:
            raise self.refusal
        params = {"name": self.name}
        try:
            head = self.backend.head(self.key, self.checksum_wanted)
        except Missing as e:
            raise UnusableUpload(MISSING, code="missing", params=params) from e
        except Unavailable as e:
            logger.warning("Storage unavailable while checking %r", self.key, exc_info=True)
            raise StorageUnavailable(UNAVAILABLE, code="unavailable", params=params) from e
        self.etag = head.etag
        return head

    def _checked(self) -> Head:
        """The HEAD, once every limit is met; its ``content_type`` the type to keep: the
        object's when a type of the accept list took it, the extension's when an extension
        did (never the uploader's unchecked string), else its name's."""
        head = self._head
        params = {"name": self.name}
        name = self.name or ""
        kept = name_type(name) or "application/octet-stream"
        for max_size, accept in self.limits:
            try:
                found = check_file(max_size, accept, name, head.size, head.content_type or None)
            except Refused as e:
                if e.code == "type":
                    raise UnusableUpload(WRONG_TYPE, code="type", params=params) from e
                params["limit"] = filesizeformat(max_size)
                raise UnusableUpload(TOO_LARGE, code="too_large", params=params) from e
            if accept:
                kept = found
        return head._replace(content_type=kept)

    def keep_error(self) -> ValidationError | None:
        """Why a form rendered again cannot keep this upload for its next submit, or None.

        It must pass its checks (one HEAD, the one validation made) and outlive the form:
        the bucket's lifecycle rule removes it ``S3FILE_EXPIRE_DAYS`` after it was stored,
        and a rendered form's signatures last twice ``S3FILE_EXPIRES``.
        """
        try:
            head = self._checked()
        except ValidationError as e:
            return e
        lifetime = conf.get("S3FILE_EXPIRE_DAYS") * 86400 - 2 * conf.get("S3FILE_EXPIRES")
        if head.modified and time.time() > head.modified + lifetime:
            return ValidationError(EXPIRED, code="expired", params={"name": self.name})
        return None

    @cached_property
    def verified_sha1(self) -> str:
        """The SHA-1 (hex) S3 verified when the browser sent the file with one (one HEAD),
        or "" (none: a file sent in parts, or without ``checksum``); reads no byte."""
        # The HEAD asked for S3's checksum when it is wanted; else the backend may know one.
        if self.checksum_wanted:
            return self._head.sha1
        return self.backend.sha1(self.key, self.etag)

    @cached_property
    def sha1(self) -> str:
        """The file's SHA-1 as hex: the checksum S3 verified when the browser sent one
        (one HEAD), else computed by streaming the object in bounded chunks."""
        if self.verified_sha1:
            return self.verified_sha1
        digest = hashlib.file_digest(self.open(), SHA1)  # open() rewinds
        self.seek(0)
        return digest.hexdigest()

    @property
    def size(self) -> int:
        return self._checked().size

    @size.setter
    def size(self, value: int) -> None:
        pass  # UploadedFile.__init__ assigns None; the real size comes from storage

    @property
    def stored_type(self) -> str | None:
        """The Content-Type the object is stored with, as the browser sent it (the HEAD's)."""
        return self._head.content_type

    @property
    def content_type(self) -> str:
        return self._checked().content_type or "application/octet-stream"

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        pass

    @property
    def file(self) -> IO[bytes]:
        if self._file is None:
            self._file = self.backend.open(self.key, self.size, self.etag)
        return self._file

    @file.setter
    def file(self, value: IO[bytes] | None) -> None:
        self._file = value

    def temporary_file_path(self) -> str:
        """The upload as a file on local disk (Django's ImageField opens images by path when
        it can, instead of reading the whole upload into memory).

        A pending upload of the dev storage is that file itself, so ``FileSystemStorage``
        saves it by moving it out of the pending folder (``file_move_safe``, a rename), as
        ``S3OptimizedUploadStorage`` moves one on S3; unless ``S3FILE_DELETE_TEMP_FILES`` is
        False. The upload is opened first: it keeps reading the file where it was moved to,
        so a second save copies it from there. Otherwise a copy, made on first call.
        """
        pending = self._pending_path()
        if pending is not None:
            self.file  # noqa: B018 - opened (and checked) before the storage moves it
            return pending
        if self._spooled is None or not Path(self._spooled).exists():
            suffix = posixpath.splitext(self.name or "")[1]
            with tempfile.NamedTemporaryFile(prefix="s3file-", suffix=suffix, delete=False) as f:
                f.writelines(self.chunks(1024 * 1024))
            self._spooled = f.name  # deleted in close()
            self.seek(0)
        return self._spooled

    def _pending_path(self) -> str | None:
        """The path of this upload's pending file, if the dev storage keeps it and a save
        may move it; else None (on S3, moved already, or to be kept)."""
        if not (self.temporary and conf.get("S3FILE_DELETE_TEMP_FILES")):
            return None
        if not isinstance(self.backend, LocalBackend):
            return None
        path = self.backend.path(self.key)
        if self._file is not None and not path.is_file():
            # Moved by a save: later saves copy what is open, the file where it lies now.
            self.temporary = False
            return None
        return str(path)

    def open(self, mode: str | None = None, *args: object, **kwargs: object) -> S3UploadedFile:
        self.seek(0)
        return self

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._spooled is not None:
            Path(self._spooled).unlink(missing_ok=True)
            self._spooled = None
