"""S3 multipart uploads, which the browser drives for large files through ``views.multipart``.

The browser never holds credentials: it asks for an upload (with the input's signed grant),
for presigned URLs of its parts, and to complete or abort it. Each answer carries a signed
handle of the upload, so later calls need no lookup and cannot name another upload. The dev
backend does the same on the local disk while the default storage is a FileSystemStorage.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import time
import uuid
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import Storage
from django.urls import get_script_prefix
from django.utils.crypto import constant_time_compare, salted_hmac

from . import conf
from .policy import storage_kind
from .signing import SignatureExpired

MiB = 1024**2
MIN_PART_SIZE = 5 * MiB
MAX_PARTS = 10_000
MAX_OBJECT_SIZE = 5 * 1024**4
SALT = "s3file.multipart"


class MultipartError(Exception):
    """A request the endpoints refuse or cannot serve: the HTTP status and a message."""

    def __init__(self, status: int, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def part_size(size: int) -> int:
    """``S3FILE_MULTIPART_PART_SIZE``, but at least 5 MiB and large enough that ``size`` needs
    no more than 10,000 parts (whole MiB, so 5 TiB takes 525 MiB parts)."""
    needed = -(-size // MAX_PARTS)
    return max(MIN_PART_SIZE, conf.get("S3FILE_MULTIPART_PART_SIZE"), -(-needed // MiB) * MiB)


class Upload(NamedTuple):
    """One multipart upload: where it goes, its id in S3, and how it is cut into parts."""

    key: str
    upload_id: str
    size: int
    part_size: int

    @property
    def parts(self) -> int:
        return max(1, -(-self.size // self.part_size))

    def part_length(self, number: int) -> int:
        return min(self.part_size, self.size - (number - 1) * self.part_size)


def sign_upload(upload: Upload) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(list(upload))


def unsign_upload(value: str) -> Upload:
    """The upload signed into ``value``; SuspiciousOperation if forged, malformed or stale."""
    try:
        key, upload_id, size, size_of_part = signing.TimestampSigner(salt=SALT).unsign_object(
            value, max_age=2 * conf.get("S3FILE_EXPIRES")
        )
    except signing.SignatureExpired as e:
        raise SignatureExpired("s3file: multipart upload handle expired") from e
    except (signing.BadSignature, ValueError, TypeError) as e:
        raise SuspiciousOperation("s3file: bad multipart upload handle") from e
    return Upload(key, upload_id, size, size_of_part)


def backend(storage: Storage) -> S3Backend | DevBackend:
    kind = storage_kind(storage)
    if kind == "s3":
        return S3Backend(storage)
    if kind == "dev":
        return DevBackend(storage)
    raise MultipartError(404, "Direct uploads are off for this storage.")


class S3Backend:
    """Multipart uploads in the storage's bucket, through boto3."""

    def __init__(self, storage: Any) -> None:
        self.client = storage.connection.meta.client
        self.bucket = storage.bucket_name

    def call(self, operation: str, **params: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "NoSuchUpload":
                raise MultipartError(404, "This upload no longer exists.", "missing") from e
            raise MultipartError(502, "The storage server refused the request.") from e
        except BotoCoreError as e:
            raise MultipartError(502, "The storage server could not be reached.") from e

    def create(self, key: str, content_type: str) -> str:
        return self.call("create_multipart_upload", Key=key, ContentType=content_type)["UploadId"]

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        params = {"Bucket": self.bucket, "Key": upload.key, "UploadId": upload.upload_id}
        return {
            number: self.client.generate_presigned_url(
                "upload_part",
                Params={**params, "PartNumber": number},
                ExpiresIn=conf.get("S3FILE_EXPIRES"),
            )
            for number in numbers
        }

    def list_parts(self, upload: Upload) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        marker = 0
        while True:
            page = self.call(
                "list_parts", Key=upload.key, UploadId=upload.upload_id, PartNumberMarker=marker
            )
            parts += [
                {"partNumber": p["PartNumber"], "size": p["Size"], "etag": p["ETag"]}
                for p in page.get("Parts", [])
            ]
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]

    def complete(self, upload: Upload) -> None:
        parts = check_complete(upload, self.list_parts(upload), self.abort)
        self.call(
            "complete_multipart_upload",
            Key=upload.key,
            UploadId=upload.upload_id,
            MultipartUpload={
                "Parts": [{"PartNumber": p["partNumber"], "ETag": p["etag"]} for p in parts]
            },
        )

    def abort(self, upload: Upload) -> None:
        self.call("abort_multipart_upload", Key=upload.key, UploadId=upload.upload_id)


def check_complete(
    upload: Upload, parts: list[dict[str, Any]], abort: Any
) -> list[dict[str, Any]]:
    """The parts, in order, if they are exactly the upload's; else MultipartError. Parts of
    the wrong size did not come from the script: ``abort`` the upload, freeing the space."""
    by_number = {p["partNumber"]: p for p in parts}
    missing = [n for n in range(1, upload.parts + 1) if n not in by_number]
    wrong = [
        n
        for n, p in by_number.items()
        if n > upload.parts or (n not in missing and p["size"] != upload.part_length(n))
    ]
    if wrong:
        abort(upload)
    if missing or wrong:
        raise MultipartError(
            400, f"The upload is incomplete: parts missing {missing[:10]}, wrong {wrong[:10]}."
        )
    return [by_number[n] for n in range(1, upload.parts + 1)]


class DevBackend:
    """The same flow on the local disk: parts in ``.s3file-multipart/<id>/`` under the storage,
    uploaded with PUT to ``views.dev_part`` through URLs this server signs."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage

    def folder(self, upload_id: str) -> Path:
        return Path(self.storage.path(".s3file-multipart")) / uuid.UUID(upload_id).hex

    def create(self, key: str, content_type: str) -> str:
        upload_id = uuid.uuid4().hex
        self.folder(upload_id).mkdir(parents=True)
        return upload_id

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        base = get_script_prefix() + conf.get("S3FILE_ENDPOINT_PATH") + "multipart/part/"
        expires = int(time.time()) + conf.get("S3FILE_EXPIRES")
        handle = sign_upload(upload)
        return {
            n: base
            + "?"
            + urlencode(
                {
                    "upload": handle,
                    "partNumber": n,
                    "expires": expires,
                    "signature": part_signature(handle, n, expires),
                }
            )
            for n in numbers
        }

    def list_parts(self, upload: Upload) -> list[dict[str, Any]]:
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise MultipartError(404, "This upload no longer exists.", "missing")
        return [
            {"partNumber": int(p.name), "size": p.stat().st_size, "etag": etag(p)}
            for p in sorted(folder.iterdir())
            if p.name.isdigit()
        ]

    def complete(self, upload: Upload) -> None:
        parts = check_complete(upload, self.list_parts(upload), self.abort)
        target = Path(self.storage.path(upload.key))
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = self.folder(upload.upload_id)
        with open(target, "wb") as out:
            for part in parts:
                with open(folder / str(part["partNumber"]), "rb") as source:
                    shutil.copyfileobj(source, out, MiB)
        shutil.rmtree(folder)

    def abort(self, upload: Upload) -> None:
        shutil.rmtree(self.folder(upload.upload_id), ignore_errors=True)

    def write_part(self, upload: Upload, number: int, stream: Any, content_md5: str) -> str:
        """Store part ``number`` read from ``stream``; check Content-MD5 as S3 does."""
        folder = self.folder(upload.upload_id)
        if not folder.is_dir():
            raise MultipartError(404, "This upload no longer exists.", "missing")
        digest = hashlib.md5(usedforsecurity=False)
        partial = folder / f".{number}.partial"
        with open(partial, "wb") as out:
            while chunk := stream.read(MiB):
                digest.update(chunk)
                out.write(chunk)
        if content_md5 and base64.b64encode(digest.digest()).decode() != content_md5:
            partial.unlink()
            raise MultipartError(400, "The Content-MD5 you specified did not match.", "BadDigest")
        partial.replace(folder / str(number))
        return f'"{digest.hexdigest()}"'


def part_signature(handle: str, number: int, expires: int) -> str:
    return salted_hmac(SALT, f"{handle}:{number}:{expires}", algorithm="sha256").hexdigest()


def check_part_signature(handle: str, number: int, expires: int, signature: str) -> None:
    if not constant_time_compare(signature, part_signature(handle, number, expires)):
        raise MultipartError(403, "The request signature does not match.", "SignatureDoesNotMatch")
    if expires < time.time():
        raise MultipartError(403, "Request has expired.", "AccessDenied")


def etag(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(MiB):
            digest.update(chunk)
    return f'"{digest.hexdigest()}"'
