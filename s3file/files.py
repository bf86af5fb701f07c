"""File objects for uploads that are already in storage: lazy, and read with ranged GETs."""

from __future__ import annotations

import functools
import hashlib
import logging
import posixpath
import secrets
import tempfile
import time
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.cache import BaseCache, caches
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import conf
from .after_response import after_error, after_response
from .backends import Backend, Head, LocalBackend, Missing, Unavailable, backend
from .rules import SHA1, Refused, check_file, name_type

TOO_LARGE = _("The uploaded file “%(name)s” is larger than this field allows (%(limit)s).")
WRONG_TYPE = _("The uploaded file “%(name)s” is not of a type this field accepts.")
MISSING = _(
    "The uploaded file “%(name)s” is no longer in storage: it expired, or this form was "
    "submitted already. Unless it was, please choose the file again."
)
SUBMITTED = _(
    "The uploaded file “%(name)s” was saved already: this form was submitted already. To "
    "save the file once more, please choose it again."
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


def used_cache() -> BaseCache:
    """The cache that marks the uploads a save took (``S3FILE_CACHE``)."""
    return caches[conf.get("S3FILE_CACHE")]


def direct_upload(content: object) -> S3UploadedFile | None:
    """The direct upload behind ``content`` (``File`` and ``FieldFile`` may wrap it), or None."""
    for _depth in range(4):  # FieldFile -> File -> ... ; a bound, not a loop over user data
        if isinstance(content, S3UploadedFile):
            return content
        # What a wrapper holds, never a property that opens one (an S3File's downloads it).
        held = getattr(content, "__dict__", {})
        content = held.get("file", held.get("_file"))
    return None


def consume_saved_uploads(
    sender: type, instance: models.Model, raw: bool = False, **kwargs: object
) -> None:
    """``pre_save`` receiver: take (``S3UploadedFile.consume``) each direct upload that a
    model's file field is about to save, whatever the storage, so a form submitted twice, or
    twice at once, saves its upload once."""
    if raw:  # loading fixtures
        return
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        value = getattr(instance, field.attname, None)
        # Only a file not saved yet: its content is the upload (no storage is opened).
        if value and not getattr(value, "_committed", True):
            upload = direct_upload(value)
            if upload is not None:
                upload.consume()


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
        #: Whether this file took its upload for a save (``consume()``), and the mark it
        #: left in ``S3FILE_CACHE``, unique to it.
        self.consumed = False
        self._token = secrets.token_hex(16)
        self._taken = ""
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

    @property
    def _mark(self) -> str:
        """The cache key that says a save took this upload (its bucket and key, hashed)."""
        where = f"{self.backend.bucket or 'local'}:{self.key}"
        return "s3file:saved:" + hashlib.sha256(where.encode()).hexdigest()

    def consume(self) -> None:
        """Take this upload for a save, once across requests and processes: the first file
        of any request to take it marks it in ``S3FILE_CACHE`` (``cache.add``, atomic in
        Django's real cache backends), and any other raises ``UnusableUpload`` (a 400, or
        the field's error while a form validates it). ``S3OptimizedUploadStorage.save``
        and every model's save (a ``pre_save`` receiver) call it, so a form submitted twice,
        even twice at once, saves its upload once, whatever the storage; a view that saves
        with another storage's ``save()`` itself may call it first.

        The mark is released if the view then answers with an error (the save failed: the
        form may be submitted again) and, in the dev storage, if the upload was not moved
        out of its pending folder after all. It lasts ``S3FILE_EXPIRE_DAYS``, as the upload.
        """
        if self.consumed or not self.temporary:
            return  # taken already by this file, or moved by its save: saved again here
        cache = used_cache()
        lifetime = conf.get("S3FILE_EXPIRE_DAYS") * 86400
        if not cache.add(self._mark, self._token, timeout=lifetime):
            logger.warning("Refused to save the upload %r again: a save took it", self.key)
            raise UnusableUpload(SUBMITTED, code="submitted", params={"name": self.name})
        self.consumed = True
        self._taken = self._mark  # the key changes when a storage moves the upload
        after_error(self.release)
        if isinstance(self.backend, LocalBackend):
            after_response(functools.partial(self.release, if_pending=True))

    def release(self, if_pending: bool = False) -> None:
        """Give back the upload ``consume()`` took (``if_pending``: only if it still lies
        in the dev storage's pending folder, not moved by a save)."""
        if not self.consumed:
            return
        if if_pending and not self._still_pending():
            return
        cache = used_cache()
        if cache.get(self._taken) == self._token:
            cache.delete(self._taken)
        self.consumed = False

    def _still_pending(self) -> bool:
        """Whether the dev storage still holds this upload in its pending folder."""
        if not (isinstance(self.backend, LocalBackend) and self.temporary):
            return False
        return self.backend.path(self.key).is_file()

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
        if self.temporary and not self.consumed and used_cache().get(self._mark) is not None:
            # Still there (a storage that keeps the upload, or its move not done yet), but
            # another request's save took it.
            raise UnusableUpload(SUBMITTED, code="submitted", params=params)
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
            size = self.size
            try:
                self._file = self.backend.open(self.key, size, self.etag)
            except Missing as e:
                # Gone since its check (deleted, or moved by another request's save).
                params = {"name": self.name}
                raise UnusableUpload(MISSING, code="missing", params=params) from e
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
            # FileSystemStorage moves what this returns: that is the save, taken once.
            self.consume()
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
        if self.consumed and self._file is not None and not path.is_file():
            # Moved by this file's save: later saves copy what is open, the file where it
            # lies now. (Moved by another request's, it is refused: ``consume()``.)
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
