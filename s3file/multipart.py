"""S3 multipart uploads, which the browser drives for large files through ``views.multipart``.

The browser never holds credentials: it asks for an upload (with the input's signed grant),
for presigned URLs of its parts, and to complete or abort it. Each answer carries a signed
handle of the upload, so later calls need no lookup and cannot name another upload. The dev
backend (``dev.DevBackend``) does the same on the local disk while the default storage is a
FileSystemStorage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.files.storage import Storage

from . import conf
from .policy import storage_kind
from .signing import sign_tuple, unsign_tuple

if TYPE_CHECKING:
    from .dev import DevBackend  # which imports this module

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
    return sign_tuple(SALT, upload)


def unsign_upload(value: str) -> Upload:
    return unsign_tuple(SALT, value, Upload, "multipart upload handle")


def backend(storage: Storage) -> S3Backend | DevBackend:
    kind = storage_kind(storage)
    if kind == "s3":
        return S3Backend(storage)
    if kind == "dev":
        from .dev import DevBackend

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
