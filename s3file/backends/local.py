"""The dev backend: uploads into a ``FileSystemStorage`` through the dev endpoint
(``s3file.dev``), which plays S3's part of a direct upload in this Django process."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.crypto import constant_time_compare, salted_hmac

from s3file import conf, multipart
from s3file.multipart import MiB, MultipartError, Part, Upload, gone
from s3file.rules import POST_MAX_SIZE, Grant, content_length, name_type, sign_grant, unsign_grant

from .base import Backend, Head, Missing

URL_SALT = "s3file.dev-url"
MD5 = functools.partial(hashlib.md5, usedforsecurity=False)
NOT_FREE = "The key names a folder, or lies below a file."
#: S3's error code for a body over its limit.
TOO_LARGE = "EntityTooLarge"


def url_signature(query: Mapping[str, object]) -> str:
    """This server's signature of a dev endpoint URL's ``query``, names and values."""
    message = urlencode(sorted((name, str(value)) for name, value in query.items()))
    return salted_hmac(URL_SALT, message, algorithm="sha256").hexdigest()


def signed_url(path: str, **query: object) -> str:
    """The dev endpoint's URL ``path`` with ``query`` and this server's signature of it."""
    query["signature"] = url_signature(query)
    return f"{get_script_prefix()}{conf.get('S3FILE_ENDPOINT_PATH')}{path}?{urlencode(query)}"


def signed(query: Mapping[str, str], *names: str) -> bool:
    """Whether ``query`` carries this server's signature of its ``names`` (``signed_url``);
    KeyError if it lacks one of them, or the signature."""
    wanted = url_signature({name: query[name] for name in names})
    return constant_time_compare(query["signature"], wanted)


def signed_limit(query: Mapping[str, str]) -> int | None:
    """The body size a POST URL was signed for; None if it carries none, or a forged one."""
    with contextlib.suppress(KeyError):
        if signed(query, "limit"):
            return int(query["limit"])
    return None


class LocalBackend(Backend[FileSystemStorage]):
    """Direct uploads into a local folder: POSTs and parts go to the dev endpoint, with the
    grant and part URLs signed by this server; multipart parts wait in
    ``.s3file-multipart/<id>/`` under the storage."""

    by_name = True

    def presign_post(self, grant: Grant) -> tuple[str, dict[str, str]]:
        # The signed grant itself, split where S3 puts a policy and its signature.
        policy, signature = sign_grant(grant).rsplit(":", 1)
        fields = {"key": grant.folder + "/${filename}", "success_action_status": "201"}
        # The size the endpoint reads at most, where it sees it before reading the body.
        url = signed_url("", limit=min(grant.max_size, POST_MAX_SIZE))
        return url, {**fields, "policy": policy, "x-amz-signature": signature}

    @staticmethod
    def grant(fields: dict[str, str]) -> Grant:
        """The grant a POST's ``policy`` and ``x-amz-signature`` carry; SuspiciousOperation
        when forged, SignatureExpired when older than ``S3FILE_EXPIRES`` (as S3's policy)."""
        token = fields["policy"] + ":" + fields["x-amz-signature"]
        return unsign_grant(token, max_age=conf.get("S3FILE_EXPIRES"))

    def save(self, key: str, content: File[bytes]) -> None:
        """Store ``content`` at ``key``, replacing what is there, as S3 does."""
        self.check_free(key)
        self.storage.delete(key)
        self.storage.save(key, content)

    def head(self, key: str, checksum: bool = False) -> Head:
        with contextlib.suppress(OSError, SuspiciousFileOperation):
            if os.path.isfile(path := self.storage.path(key)):
                stat = os.stat(path)
                return Head(stat.st_size, name_type(key), modified=stat.st_mtime)
        raise Missing(key)

    def folder(self, upload_id: str) -> Path:
        return Path(self.storage.path(".s3file-multipart")) / uuid.UUID(upload_id).hex

    def check_free(self, key: str) -> None:
        """Refuse (MultipartError) a key that names a folder, or lies below a file."""
        target, root = Path(self.storage.path(key)), Path(self.storage.path(""))
        if target.is_dir() or any(p.is_file() for p in target.parents if root in p.parents):
            raise MultipartError(400, NOT_FREE, "key")

    def create(self, key: str, content_type: str) -> tuple[str, bool]:
        self.check_free(key)
        upload_id = uuid.uuid4().hex
        self.folder(upload_id).mkdir(parents=True)
        return upload_id, True

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        handle = multipart.sign_upload(upload)
        expires = int(time.time()) + conf.get("S3FILE_EXPIRES")
        return {
            n: signed_url("multipart/part/", upload=handle, partNumber=n, expires=expires)
            for n in numbers
        }

    def list_parts(self, upload: Upload) -> list[Part]:
        if not (folder := self.folder(upload.upload_id)).is_dir():
            raise gone()
        return [
            Part(partNumber=int(p.name), size=p.stat().st_size, etag=md5_etag(p))
            for p in sorted(folder.iterdir())
            if p.name.isdigit()
        ]

    def complete(self, upload: Upload, parts: list[Part]) -> None:
        target, folder = Path(self.storage.path(upload.key)), self.folder(upload.upload_id)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for part in parts:
                    with open(folder / str(part["partNumber"]), "rb") as source:
                        shutil.copyfileobj(source, out, MiB)
        # IsADirectoryError, FileExistsError, NotADirectoryError: a folder is at the key, or a
        # file above it (one may have appeared since create).
        except OSError as e:
            raise MultipartError(400, NOT_FREE, "key") from e
        shutil.rmtree(folder)

    def abort(self, upload: Upload) -> None:
        shutil.rmtree(self.folder(upload.upload_id), ignore_errors=True)

    def write_part(self, upload: Upload, number: int, request: HttpRequest) -> str:
        """Store part ``number``, the body of ``request``, as S3 does: at most its signed size
        (refused unread when its length says more), with the Content-MD5 it names if any;
        return its ETag."""
        if content_length(request) > (room := upload.part_length(number)):
            raise MultipartError(400, "The part is larger than it was signed for.", TOO_LARGE)
        if not (folder := self.folder(upload.upload_id)).is_dir():
            raise gone()
        partial, digest = folder / f".{number}.partial", MD5()
        with open(partial, "wb") as out:
            # At most the part's signed size, and one byte more, which says it is too large.
            while room >= 0 and (chunk := request.read(min(MiB, room + 1))):
                room -= out.write(chunk)
                digest.update(chunk)  # hashed on the way: no second read of the part
        if room < 0:
            partial.unlink()
            raise MultipartError(400, "The part is larger than it was signed for.", TOO_LARGE)
        md5 = request.headers.get("Content-MD5", "")
        if md5 and base64.b64encode(digest.digest()).decode() != md5:
            partial.unlink()
            raise MultipartError(400, "The Content-MD5 you specified did not match.", "BadDigest")
        partial.replace(folder / str(number))
        return f'"{digest.hexdigest()}"'


def md5_etag(path: Path) -> str:
    with open(path, "rb") as f:
        return f'"{hashlib.file_digest(f, MD5).hexdigest()}"'
