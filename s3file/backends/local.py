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
from s3file.multipart import SALT, MiB, MultipartError, Part, Upload, gone
from s3file.rules import POST_MAX_SIZE, Grant, name_type, sign_grant, unsign_grant

from .base import Backend, Head, Missing


def endpoint_url(path: str = "") -> str:
    return get_script_prefix() + str(conf.get("S3FILE_ENDPOINT_PATH")) + path


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
        limit = min(grant.max_size, POST_MAX_SIZE)
        url = endpoint_url("?" + urlencode({"limit": limit, "signature": limit_signature(limit)}))
        return url, {**fields, "policy": policy, "x-amz-signature": signature}

    @staticmethod
    def grant(fields: dict[str, str]) -> Grant:
        """The grant a POST's ``policy`` and ``x-amz-signature`` carry; SuspiciousOperation
        when forged, SignatureExpired when older than ``S3FILE_EXPIRES`` (as S3's policy)."""
        token = fields["policy"] + ":" + fields["x-amz-signature"]
        return unsign_grant(token, max_age=conf.get("S3FILE_EXPIRES"))

    def save(self, key: str, content: File[bytes]) -> None:
        """Store ``content`` at ``key``, replacing what is there, as S3 does."""
        if Path(self.storage.path(key)).is_dir():
            raise SuspiciousFileOperation("a folder")
        self.storage.delete(key)
        self.storage.save(key, content)

    def head(self, key: str, checksum: bool = False) -> Head:
        try:
            if not os.path.isfile(self.storage.path(key)):
                raise FileNotFoundError(key)
            return Head(self.storage.size(key), name_type(key))
        except (OSError, SuspiciousFileOperation) as e:
            raise Missing(key) from e

    def folder(self, upload_id: str) -> Path:
        return Path(self.storage.path(".s3file-multipart")) / uuid.UUID(upload_id).hex

    def check_free(self, key: str) -> None:
        """Refuse (MultipartError) a key that names a folder, or lies below a file."""
        target, root = Path(self.storage.path(key)), Path(self.storage.path(""))
        if target.is_dir() or any(p.is_file() for p in target.parents if root in p.parents):
            raise MultipartError(400, "The key names a folder, or lies below a file.", "key")

    def create(self, key: str, content_type: str) -> tuple[str, bool]:
        self.check_free(key)
        upload_id = uuid.uuid4().hex
        self.folder(upload_id).mkdir(parents=True)
        return upload_id, True

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        expires = int(time.time()) + conf.get("S3FILE_EXPIRES")
        handle = multipart.sign_upload(upload)
        query = {"upload": handle, "expires": expires}
        return {
            n: endpoint_url("multipart/part/?")
            + urlencode(
                {**query, "partNumber": n, "signature": part_signature(handle, n, expires)}
            )
            for n in numbers
        }

    def list_parts(self, upload: Upload) -> list[Part]:
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise gone()
        return [
            Part(partNumber=int(p.name), size=p.stat().st_size, etag=md5_etag(p))
            for p in sorted(folder.iterdir())
            if p.name.isdigit()
        ]

    def complete(self, upload: Upload, parts: list[Part]) -> None:
        target = Path(self.storage.path(upload.key))
        folder = self.folder(upload.upload_id)
        try:
            self.check_free(upload.key)  # a folder or a file may have appeared since create
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for part in parts:
                    with open(folder / str(part["partNumber"]), "rb") as source:
                        shutil.copyfileobj(source, out, MiB)
        except OSError as e:  # IsADirectoryError, FileExistsError, NotADirectoryError
            raise MultipartError(
                400, "The key names a folder, or lies below a file.", "key"
            ) from e
        shutil.rmtree(folder)

    def abort(self, upload: Upload) -> None:
        shutil.rmtree(self.folder(upload.upload_id), ignore_errors=True)

    def write_part(self, upload: Upload, number: int, request: HttpRequest) -> str:
        """Store part ``number``, the body of ``request``; check its Content-MD5 as S3 does;
        return its ETag."""
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise gone()
        digest = MD5()
        partial = folder / f".{number}.partial"
        room = upload.part_length(number)
        with open(partial, "wb") as out:
            # At most the part's signed size, and one byte more, which says it is too large.
            while room >= 0 and (chunk := request.read(min(MiB, room + 1))):
                room -= len(chunk)
                digest.update(chunk)
                out.write(chunk)
        if room < 0:
            partial.unlink()
            raise MultipartError(400, "The part is larger than it was signed for.", TOO_LARGE)
        md5 = request.headers.get("Content-MD5", "")
        if md5 and base64.b64encode(digest.digest()).decode() != md5:
            partial.unlink()
            raise MultipartError(400, "The Content-MD5 you specified did not match.", "BadDigest")
        partial.replace(folder / str(number))
        return f'"{digest.hexdigest()}"'


#: S3's error code for a body over its limit.
TOO_LARGE = "EntityTooLarge"
LIMIT_SALT = "s3file.dev-limit"
MD5 = functools.partial(hashlib.md5, usedforsecurity=False)


def limit_signature(limit: int) -> str:
    return salted_hmac(LIMIT_SALT, str(limit), algorithm="sha256").hexdigest()


def signed_limit(query: Mapping[str, str]) -> int | None:
    """The body size a POST URL was signed for; None if it carries none, or a forged one."""
    with contextlib.suppress(KeyError, ValueError):
        limit = int(query["limit"])
        if constant_time_compare(query.get("signature", ""), limit_signature(limit)):
            return limit
    return None


def part_signature(handle: str, number: int, expires: int) -> str:
    return salted_hmac(SALT, f"{handle}:{number}:{expires}", algorithm="sha256").hexdigest()


def check_part_signature(handle: str, number: int, expires: int, signature: str) -> None:
    """Refuse (MultipartError) a part URL this server did not sign, or signed too long ago."""
    if not constant_time_compare(signature, part_signature(handle, number, expires)):
        raise MultipartError(403, "The request signature does not match.", "SignatureDoesNotMatch")
    if expires < time.time():
        raise MultipartError(403, "Request has expired.", "AccessDenied")


def md5_etag(path: Path) -> str:
    with open(path, "rb") as f:
        return f'"{hashlib.file_digest(f, MD5).hexdigest()}"'
