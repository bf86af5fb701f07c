"""The S3 backend: django-storages' S3 storage, through one boto3 client shared by threads."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import threading
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from botocore.paginate import PageIterator
from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS
from storages.backends.s3 import S3Storage

from s3file import conf
from s3file.multipart import Part, Upload
from s3file.rules import Grant, conditions

from .base import Changed, Head, Missing, MultipartBackend, Rejected, Unavailable

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CopySourceTypeDef

logger = logging.getLogger("s3file")
_clients: dict[str, S3Client] = {}
_clients_lock = threading.Lock()
#: django-storages' settings a client is built from: its session's, then the client's own.
SESSION_SETTINGS = ("session_profile", "access_key", "secret_key", "security_token")
CLIENT_SETTINGS = ("region_name", "use_ssl", "endpoint_url", "verify")
#: The tag of an upload in a final folder until it is saved (``S3FILE_CLAIM``); the bucket's
#: lifecycle rule expires objects that still carry it, the claim removes it.
PENDING_TAG = {"Key": "s3file", "Value": "pending"}
#: The tag as a POST form field and as CreateMultipartUpload's ``Tagging`` parameter.
PENDING_XML = (
    "<Tagging><TagSet><Tag><Key>s3file</Key><Value>pending</Value></Tag></TagSet></Tagging>"
)
PENDING_QUERY = "s3file=pending"


def shared_client(storage: S3Storage) -> S3Client:
    """One boto3 client per storage configuration, built once and used by every thread.

    django-storages builds a boto3 resource per thread (resources are not thread-safe), which
    costs 90-330 ms of CPU in each new thread; clients are thread-safe, so s3file's own calls
    share one and a request in a fresh thread builds nothing."""
    options = {name: getattr(storage, name) for name in CLIENT_SETTINGS}
    credentials = [getattr(storage, name) for name in SESSION_SETTINGS]
    key = repr([*credentials, options, sorted(vars(storage.client_config).items())])
    client = _clients.get(key)
    if client is not None:  # no lock once built: every request asks
        return client
    with _clients_lock:  # boto3 sessions are not thread-safe; build each client once
        client = _clients.get(key)
        if client is None:
            profile, *keys = credentials  # a profile wins, as in storages
            session = boto3.Session(profile_name=profile) if profile else boto3.Session(*keys)
            client = session.client("s3", config=storage.client_config, **options)
            _clients[key] = client
    return client


def status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


@contextlib.contextmanager
def unchanged(key: str) -> Iterator[None]:
    """Refuse (``Changed``) to use ``key`` once it is no longer the version that was
    checked: S3 answers an If-Match on another ETag with a 412, and a 404 once it is gone
    (deleted, or moved by another request, since its check)."""
    try:
        yield
    except ClientError as e:
        if status(e) in (404, 412):
            raise Changed(f"s3file: {key!r} changed after its check") from e
        raise


def if_match(etag: str, name: str = "IfMatch") -> dict[str, Any]:
    """Only the version that was checked may be read ("": none checked yet)."""
    return {name: etag} if etag else {}


def hex_sha1(value: str) -> str:
    """The hex of S3's base64 SHA-1; "" for none or a checksum of parts ("...-N")."""
    return base64.b64decode(value).hex() if value and "-" not in value else ""


def etags_are_md5(created: dict[str, Any]) -> bool:
    """Whether the parts of an upload S3 created so (its answer) get their MD5 as ETag: not
    when KMS encrypts them (the bucket's default encryption) or SSE-C."""
    kms = str(created.get("ServerSideEncryption", "")).startswith("aws:kms")
    return not kms and "SSECustomerAlgorithm" not in created


#: The Content-Disposition of every object a browser uploads: until a form takes it, the
#: bucket's origin offers it as a download, never as a page (the POST policy requires it).
DISPOSITION = "attachment"


class S3Backend(MultipartBackend[S3Storage]):
    """Direct uploads into the storage's bucket: presigned POSTs and multipart uploads."""

    claims = True

    def __init__(self, storage: S3Storage) -> None:
        super().__init__(storage)
        self.client = shared_client(storage)
        self.bucket: str = storage.bucket_name
        self.endpoint_url = storage.endpoint_url
        self.location = str(storage.location).strip("/")

    def presign_post(self, grant: Grant) -> tuple[str, dict[str, str]]:
        fields: dict[str, Any] = {"success_action_status": "201"}
        fields["Content-Disposition"] = DISPOSITION
        policy = [*conditions(grant), {"Content-Disposition": DISPOSITION}]
        if self.pending(grant.folder + "/"):
            if conf.get("S3FILE_POST_TAGGING"):
                # S3 refuses a POST without the tag: no upload here escapes the lifecycle rule.
                fields["tagging"] = PENDING_XML
                policy.append({"tagging": PENDING_XML})
            else:
                # No tag without a tagging field: one POST may carry a byte at most, larger
                # files go in parts (``forms``), which CreateMultipartUpload tags.
                policy[1] = ["content-length-range", 0, 1]
        post = self.client.generate_presigned_post(
            self.bucket,
            grant.folder + "/${filename}",
            Fields=fields,
            Conditions=policy,
            ExpiresIn=conf.get("S3FILE_EXPIRES"),
        )
        return post["url"], post["fields"]

    def head(self, key: str, checksum: bool = False) -> Head:
        # With the checksum when the widget asked the browser for one (sha1 then needs no
        # second HEAD); SSE-KMS objects may refuse that mode, hence the second try.
        mode: dict[str, Any] = {"ChecksumMode": "ENABLED"} if checksum else {}
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key, **mode)
        except ClientError as e:
            if status(e) == 403 and checksum:
                return self.head(key)
            raise (Missing if status(e) in (403, 404) else Unavailable)(key) from e
        except BotoCoreError as e:  # no connection, a timeout: S3 is away
            raise Unavailable(key) from e
        sha1 = hex_sha1(head.get("ChecksumSHA1", ""))
        modified = head["LastModified"].timestamp()
        return Head(head["ContentLength"], head.get("ContentType"), head["ETag"], sha1, modified)

    def exists(self, key: str, params: dict[str, Any]) -> bool:
        """Whether ``key`` exists, as django-storages asks it (with the download ``params``
        of the storage's object parameters)."""
        params = {k: v for k, v in params.items() if k in ALLOWED_DOWNLOAD_ARGS}
        try:
            self.client.head_object(Bucket=self.bucket, Key=key, **params)
        except ClientError as e:
            if status(e) == 404:
                return False
            raise
        return True

    def sha1(self, key: str, etag: str) -> str:
        with contextlib.suppress(ClientError):
            head = self.client.head_object(
                Bucket=self.bucket, Key=key, ChecksumMode="ENABLED", **if_match(etag)
            )
            return hex_sha1(head.get("ChecksumSHA1", ""))
        return ""

    def open(self, key: str, size: int, etag: str) -> IO[bytes]:
        return io.BufferedReader(RangedReader(self, key, size, etag), buffer_size=64 * 1024)

    def get(self, key: str, etag: str, start: int) -> Any:
        """The body of ``key`` from byte ``start``, if it is still version ``etag``."""
        with unchanged(key):
            return self.client.get_object(
                Bucket=self.bucket, Key=key, Range=f"bytes={start}-", **if_match(etag)
            )["Body"]

    def claim(self, key: str) -> bool:
        """Remove the pending tag (keeping any other): one GetObjectTagging and one
        Put- or DeleteObjectTagging, whatever the object's size."""
        try:
            tags = self.client.get_object_tagging(Bucket=self.bucket, Key=key)["TagSet"]
            if PENDING_TAG not in tags:
                return False
            kept = [tag for tag in tags if tag != PENDING_TAG]
            if kept:
                tagging: Any = {"TagSet": kept}
                self.client.put_object_tagging(Bucket=self.bucket, Key=key, Tagging=tagging)
            else:
                self.client.delete_object_tagging(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError):
            # No tagging permission, say: the upload is copied instead, and expires where it is.
            logger.warning("Could not claim the upload %r; copying it", key, exc_info=True)
            return False
        return True

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError):
            logger.warning("Could not delete the temporary upload %r", key, exc_info=True)

    def copy(
        self, source: tuple[str, str], etag: str, size: int, key: str, extra: dict[str, Any]
    ) -> None:
        """Copy ``source`` (bucket, key), still version ``etag``, to ``key`` inside S3,
        replacing its metadata with ``extra``: one CopyObject up to the storage's
        ``copy_threshold`` (at most 5 GiB), boto3's managed multipart copy above it."""
        copy_from: CopySourceTypeDef = {"Bucket": source[0], "Key": source[1]}
        # Copy the object that was checked, not one put at its key since.
        extra = {**extra, "MetadataDirective": "REPLACE", **if_match(etag, "CopySourceIfMatch")}
        if self.pending(source[1]):
            # CopyObject copies tags unless told not to: a copy of a pending upload is saved,
            # and must not expire with the pending tag.
            extra["TaggingDirective"] = "REPLACE"
        threshold: int = getattr(self.storage, "copy_threshold", 1024**3)
        with unchanged(source[1]):
            if size <= min(threshold, 5 * 1024**3):
                # One request; the managed copy would first HEAD the source again.
                self.client.copy_object(CopySource=copy_from, Bucket=self.bucket, Key=key, **extra)
            else:
                config = TransferConfig(
                    multipart_threshold=threshold,
                    multipart_chunksize=getattr(self.storage, "copy_chunksize", 128 * 1024**2),
                    max_concurrency=self.storage.transfer_config.max_request_concurrency,
                    use_threads=self.storage.transfer_config.use_threads,
                )
                self.client.copy(copy_from, self.bucket, key, ExtraArgs=extra, Config=config)

    def call(self, method: Callable[..., Any], **params: Any) -> Any:
        """The answer of the client's ``method`` on the bucket (all pages of a paginator's),
        with S3's failures as storage errors."""
        try:
            answer = method(Bucket=self.bucket, **params)
            return answer.build_full_result() if isinstance(answer, PageIterator) else answer
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "NoSuchUpload":
                raise Missing(params.get("Key", "")) from e
            if status(e) >= 500:
                raise Unavailable(params.get("Key", "")) from e
            raise Rejected(str(e)) from e
        except BotoCoreError as e:
            raise Unavailable(params.get("Key", "")) from e

    def create(self, key: str, content_type: str) -> tuple[str, bool]:
        tagging = {"Tagging": PENDING_QUERY} if self.pending(key) else {}
        created = self.call(
            self.client.create_multipart_upload,
            Key=key,
            ContentType=content_type,
            ContentDisposition=DISPOSITION,
            **tagging,
        )
        return str(created["UploadId"]), etags_are_md5(created)

    def part_urls(self, upload: Upload, numbers: list[int]) -> dict[int, str]:
        expires = conf.get("S3FILE_EXPIRES")
        params = {"Bucket": self.bucket, "Key": upload.key, "UploadId": upload.upload_id}
        return {
            number: self.client.generate_presigned_url(
                "upload_part", Params={**params, "PartNumber": number}, ExpiresIn=expires
            )
            for number in numbers
        }

    def list_parts(self, upload: Upload) -> list[Part]:
        paginate = self.client.get_paginator("list_parts").paginate
        parts = self.call(paginate, Key=upload.key, UploadId=upload.upload_id).get("Parts", [])
        return [Part(partNumber=p["PartNumber"], size=p["Size"], etag=p["ETag"]) for p in parts]

    def complete(self, upload: Upload, parts: list[Part]) -> None:
        etags = [{"PartNumber": p["partNumber"], "ETag": p["etag"]} for p in parts]
        ids = {"Key": upload.key, "UploadId": upload.upload_id}
        self.call(self.client.complete_multipart_upload, **ids, MultipartUpload={"Parts": etags})

    def abort(self, upload: Upload) -> None:
        self.call(self.client.abort_multipart_upload, Key=upload.key, UploadId=upload.upload_id)


class RangedReader(io.RawIOBase):
    """A seekable, read-only view of one S3 object that downloads only what is read.

    A read opens one ranged GET from the current position to the end and streams from it,
    so reading a header costs a few kilobytes and reading everything costs one request;
    a seek elsewhere drops the stream and the next read opens a new range.
    """

    def __init__(self, backend: S3Backend, key: str, size: int, etag: str) -> None:
        self.backend = backend
        self.key = key
        self.size = size
        self.etag = etag
        self.position = 0
        #: The open GET, streaming from ``position`` on; None: the next read opens one.
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        position = max(0, base + offset)
        if position != self.position:
            self._drop_body()
        self.position = position
        return position

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size or not len(buffer):
            return 0
        if self._body is None:
            self._body = self.backend.get(self.key, self.etag, self.position)
        data = self._body.read(len(buffer))  # older botocore bodies have no readinto
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()
