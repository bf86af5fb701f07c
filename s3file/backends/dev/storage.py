"""The dev storage: S3's storage side, played on local disk while the default storage is a
``FileSystemStorage``.

Uploads wait in a pending folder outside ``MEDIA_ROOT`` (``S3FILE_DEV_PENDING_ROOT``), which
the site never serves: nothing a visitor uploads is at a URL of the site until a form takes
it and the storage saves it where the form says. The folder is bounded: a file of at most
``S3FILE_DEV_MAX_SIZE``, as many files per grant as one form may post, and at most
``S3FILE_DEV_MAX_TOTAL_SIZE`` in all (uploads older than ``S3FILE_EXPIRE_DAYS`` are deleted
to make room, as the bucket's lifecycle rule would).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.urls import get_script_prefix
from django.utils._os import safe_join
from django.utils.crypto import constant_time_compare, salted_hmac

from s3file import conf
from s3file.backends.base import Backend, Head, Missing, Rejected
from s3file.rules import Grant, accept_items, name_type, sign_grant, unsign_grant

URL_SALT = "s3file.dev-url"
MiB = 1024**2
#: Types a browser runs as a document or script when the site serves a file of that name
#: (as ``FileSystemStorage`` files are served); also any ``*/xml`` and ``*+xml`` type.
ACTIVE_TYPES = {
    "text/html",
    "text/javascript",
    "text/ecmascript",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "text/xsl",
    "text/x-component",
    "application/x-shockwave-flash",
}
#: Only one upload at a time checks and fills the pending folder (its cap holds).
_room = threading.Lock()


def url_signature(query: Mapping[str, object]) -> str:
    """This server's signature of a dev endpoint URL's ``query``, names and values."""
    message = urlencode(sorted((name, str(value)) for name, value in query.items()))
    return salted_hmac(URL_SALT, message, algorithm="sha256").hexdigest()


def signed_limit(query: Mapping[str, str]) -> int | None:
    """The body size a POST URL was signed for (``LocalBackend.presign_post``); None if it
    carries none, or a forged one."""
    with contextlib.suppress(KeyError, ValueError):
        wanted = url_signature({"limit": query["limit"]})
        if constant_time_compare(query["signature"], wanted):
            return int(query["limit"])
    return None


def is_active(name: str) -> bool:
    """Whether a browser runs a file called ``name`` as a page or script when a site serves it
    by its name (HTML, XHTML, SVG, XML, XSL, JavaScript and the like)."""
    kind = name_type(name) or ""
    return kind in ACTIVE_TYPES or kind.endswith(("/xml", "+xml"))


def names_type(accept: str, name: str) -> bool:
    """Whether ``accept`` names the type of ``name`` itself (its extension, or its exact
    type), not only a wildcard (``image/*``, ``*/*``) or no list that lets it through."""
    kind = name_type(name)
    lowered = name.lower()
    return any(
        lowered.endswith(item) if item.startswith(".") else item == kind
        for item in accept_items(accept)
    )


def default_pending_root(location: str) -> Path:
    """Where a storage at ``location`` keeps pending uploads, unless the setting says: in the
    system's temporary folder, one folder per project (per ``MEDIA_ROOT``)."""
    project = hashlib.sha256(os.path.abspath(location).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "s3file-pending" / project


class LocalBackend(Backend[FileSystemStorage]):
    """Direct uploads into a local folder through the dev endpoint (``dev.http``), with the
    grant signed by this server in place of S3's policy."""

    by_name = True

    @property
    def max_size(self) -> int:
        """The largest file the dev storage takes (``S3FILE_DEV_MAX_SIZE``)."""
        return int(conf.get("S3FILE_DEV_MAX_SIZE"))

    @property
    def pending_root(self) -> Path:
        """The folder uploads wait in until a form takes them: never under ``MEDIA_ROOT``."""
        root = conf.get("S3FILE_DEV_PENDING_ROOT")
        return Path(root) if root else default_pending_root(os.fspath(self.storage.location))

    def path(self, key: str) -> Path:
        """The pending file of ``key``; SuspiciousFileOperation for one outside the folder."""
        return Path(safe_join(self.pending_root, key))

    def presign_post(self, grant: Grant) -> tuple[str, dict[str, str]]:
        # The signed grant itself, split where S3 puts a policy and its signature.
        policy, signature = sign_grant(grant).rsplit(":", 1)
        fields = {"key": grant.folder + "/${filename}", "success_action_status": "201"}
        # The size the endpoint reads at most, where it sees it before reading the body.
        query: dict[str, object] = {"limit": min(grant.max_size, self.max_size)}
        query["signature"] = url_signature(query)
        url = f"{get_script_prefix()}{conf.get('S3FILE_ENDPOINT_PATH')}?{urlencode(query)}"
        return url, {**fields, "policy": policy, "x-amz-signature": signature}

    @staticmethod
    def grant(fields: dict[str, str]) -> Grant:
        """The grant a POST's ``policy`` and ``x-amz-signature`` carry; SuspiciousOperation
        when forged, SignatureExpired when older than ``S3FILE_EXPIRES`` (as S3's policy)."""
        token = fields["policy"] + ":" + fields["x-amz-signature"]
        return unsign_grant(token, max_age=conf.get("S3FILE_EXPIRES"))

    def save(self, key: str, content: IO[bytes], size: int, folder: str) -> None:
        """Store ``size`` bytes of ``content`` at ``key`` (in the grant's ``folder``),
        replacing what is there, as S3 does; ``Rejected`` when the key cannot be a file
        (``key``), the file is too large (``too-large``), or there is no room (``full``)."""
        if size > self.max_size:
            raise Rejected(f"{size} bytes is more than S3FILE_DEV_MAX_SIZE", "too-large")
        try:
            target = self.path(key)
            grant_folder = self.path(folder)
        except SuspiciousFileOperation as e:
            raise Rejected(str(e), "key") from e
        root = self.pending_root
        if root.resolve().is_relative_to(Path(self.storage.path("")).resolve()):
            # The site would serve every upload before any form took it.
            raise Rejected(
                "S3FILE_DEV_PENDING_ROOT lies inside MEDIA_ROOT, which the site serves."
            )
        with _room:
            self.make_room(root, size, grant_folder, target)
            self.check_free(root, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            try:
                with open(partial, "wb") as out:
                    shutil.copyfileobj(content, out, MiB)
                partial.replace(target)
            # A folder or file appeared at the key, or above it, since the check.
            except OSError as e:
                partial.unlink(missing_ok=True)
                raise Rejected("The key names a folder, or lies below a file.", "key") from e

    def make_room(self, root: Path, size: int, folder: Path, target: Path) -> None:
        """Delete the uploads older than ``S3FILE_EXPIRE_DAYS``; ``Rejected`` (``full``) if
        ``size`` more bytes would still take the folder over ``S3FILE_DEV_MAX_TOTAL_SIZE``, or
        the grant's ``folder`` already holds as many files as one form may post."""
        # As the bucket's lifecycle rule expires them (a form that keeps an upload across
        # its errors counts on it until then).
        expired = time.time() - conf.get("S3FILE_EXPIRE_DAYS") * 86400
        total = 0
        for path in pending_files(root):
            with contextlib.suppress(OSError):  # one deleted meanwhile
                stat = path.stat()
                if stat.st_mtime < expired:
                    path.unlink()
                elif path != target:  # a file replaced frees its room
                    total += stat.st_size
        limit: int = conf.get("S3FILE_DEV_MAX_TOTAL_SIZE")
        if total + size > limit:
            raise Rejected(
                f"The dev storage is full: its pending uploads take {total} of {limit} bytes "
                "(S3FILE_DEV_MAX_TOTAL_SIZE).",
                "full",
            )
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        if most is not None and folder.is_dir():
            held = sum(1 for path in pending_files(folder) if path != target)
            if held >= most:
                raise Rejected(
                    f"This form's input already holds {held} uploads, as many as one form may "
                    "post (DATA_UPLOAD_MAX_NUMBER_FILES). Reload the page.",
                    "full",
                )

    @staticmethod
    def check_free(root: Path, target: Path) -> None:
        """Refuse (``Rejected``, ``key``) a key that names a folder, or lies below a file."""
        if target.is_dir() or any(p.is_file() for p in target.parents if root in p.parents):
            raise Rejected("The key names a folder, or lies below a file.", "key")

    def head(self, key: str, checksum: bool = False) -> Head:
        with contextlib.suppress(OSError, SuspiciousFileOperation):
            path = self.path(key)
            if path.is_file():
                stat = path.stat()
                kind = name_type(posixpath.basename(key))
                return Head(stat.st_size, kind, modified=stat.st_mtime)
        raise Missing(key)

    def open(self, key: str, size: int, etag: str) -> IO[bytes]:
        try:
            return open(self.path(key), "rb")
        except (OSError, SuspiciousFileOperation) as e:
            raise Missing(key) from e

    def delete(self, key: str) -> None:
        with contextlib.suppress(OSError, SuspiciousFileOperation):
            self.path(key).unlink(missing_ok=True)


def pending_files(folder: Path) -> Iterator[Path]:
    """The files under ``folder`` (uploads, and partial ones being written)."""
    for directory, _, names in os.walk(folder):
        for name in names:
            yield Path(directory, name)


def dev_backend(storage: FileSystemStorage) -> LocalBackend | None:
    """The backend of ``storage`` while the dev endpoint is on (``S3FILE_DEV_ENDPOINT``,
    else ``DEBUG``); off, its inputs upload through Django."""
    return LocalBackend.of(storage) if conf.dev_endpoint_on() else None


def local_backend() -> LocalBackend | None:
    """The default storage's backend if the dev endpoint serves it, else None."""
    storage = storages["default"]
    return dev_backend(storage) if isinstance(storage, FileSystemStorage) else None
