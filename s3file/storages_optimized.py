"""An S3 storage that moves files already in S3 into place with a server-side copy."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import SuspiciousOperation
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

from . import conf
from .files import S3UploadedFile, after_response
from .policy import storage_kind

logger = logging.getLogger("s3file")
#: The largest object one CopyObject request may copy.
COPY_OBJECT_MAX = 5 * 1024**3


class CopySource(NamedTuple):
    """An object to copy from: where it is, its size, the ETag it must still have, and the
    direct upload it is (None for another S3 file, which is never deleted)."""

    storage: Any
    bucket: str
    key: str
    size: int
    etag: str
    upload: S3UploadedFile | None


def copy_source(content: Any) -> CopySource | None:
    """The S3 object behind ``content`` (``File`` and ``FieldFile`` may wrap it), or None."""
    for _ in range(4):  # FieldFile -> File -> ... ; a bound, not a loop over user data
        if isinstance(content, S3UploadedFile):
            if storage_kind(content.storage) != "s3":
                return None
            size = content.size  # a HEAD, unless validation made it; it also pins the ETag
            etag = content.conditions.get("IfMatch", "")
            return CopySource(content.storage, content.bucket, content.key, size, etag, content)
        if isinstance(content, S3File):  # another S3 file: its .file would download it all
            obj = content.obj
            return CopySource(
                content._storage, obj.bucket_name, obj.key, obj.content_length, obj.e_tag, None
            )
        content = getattr(content, "file", None)
        if content is None:
            return None
    return None


class S3OptimizedUploadStorage(S3Storage):
    """``S3Boto3Storage`` that saves a file already in S3 by copying it inside S3.

    When the content is a direct upload (``request.FILES`` from ``S3FileMiddleware``) or a
    file of an S3 storage on the same server, the object is copied server-side: one
    CopyObject up to ``copy_threshold`` (1 GiB), boto3's managed multipart copy in parts of
    ``copy_chunksize`` (128 MiB) above it, so objects over 5 GB copy too; with the usual write
    parameters (ContentType, ACL,
    ``AWS_S3_OBJECT_PARAMETERS``). A direct upload's temporary object is then deleted (once
    the view has answered) unless ``S3FILE_DELETE_TEMP_FILES`` is False; saving the same
    upload again copies it from where the first save put it. Any other content is uploaded
    as usual.
    """

    def get_default_settings(self) -> dict[str, Any]:
        return {
            **super().get_default_settings(),
            # One CopyObject up to this size (S3 takes up to 5 GiB in one); a multipart copy
            # in parts of copy_chunksize above it. Both may be set in OPTIONS.
            "copy_threshold": 1024**3,
            "copy_chunksize": 128 * 1024**2,
        }

    def _save(self, name: str, content: Any) -> str:
        source = copy_source(content)
        if source is None or source.storage.endpoint_url != self.endpoint_url:
            return super()._save(name, content)
        cleaned_name = clean_name(name)
        key = self._normalize_name(cleaned_name)
        params = self._get_write_parameters(key, source.upload or content)
        if self.gzip and params["ContentType"] in self.gzip_content_types:
            return super()._save(name, content)  # compressing needs the bytes
        self.copy_object(source, key, params)
        upload = source.upload
        if upload is not None and upload.temporary and conf.get("S3FILE_DELETE_TEMP_FILES"):
            self.delete_source(upload)
            # Saved again (one upload attached to several objects): copy from here.
            upload.moved_to(self.bucket_name, key)
        return cleaned_name

    def copy_object(self, source: CopySource, key: str, params: dict[str, Any]) -> None:
        """Copy ``source`` to ``key`` inside S3, replacing its metadata with ``params``."""
        client = self.connection.meta.client
        copy_from = {"Bucket": source.bucket, "Key": source.key}
        # Copy the object that was checked, not one put at its key since.
        extra = {**params, "MetadataDirective": "REPLACE"}
        if source.etag:
            extra["CopySourceIfMatch"] = source.etag
        try:
            if source.size <= min(self.copy_threshold, COPY_OBJECT_MAX):
                # One request; the managed copy below would first HEAD the source again.
                client.copy_object(CopySource=copy_from, Bucket=self.bucket_name, Key=key, **extra)
            else:
                config = TransferConfig(
                    multipart_threshold=self.copy_threshold,
                    multipart_chunksize=self.copy_chunksize,
                    max_concurrency=self.transfer_config.max_request_concurrency,
                    use_threads=self.transfer_config.use_threads,
                )
                client.copy(copy_from, self.bucket_name, key, ExtraArgs=extra, Config=config)
        except ClientError as e:
            if e.response["ResponseMetadata"]["HTTPStatusCode"] == 412:
                raise SuspiciousOperation(f"s3file: {source.key!r} changed after its check") from e
            raise

    def delete_source(self, source: S3UploadedFile) -> None:
        """Delete the temporary upload once the view has answered; a failure only leaves it to
        the bucket's lifecycle rule."""
        client, bucket, key = source.storage.connection.meta.client, source.bucket, source.key

        def delete() -> None:
            try:
                client.delete_object(Bucket=bucket, Key=key)
            except (ClientError, BotoCoreError):
                logger.warning("Could not delete the temporary upload %r", key, exc_info=True)

        after_response(delete)
