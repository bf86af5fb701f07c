"""An S3 storage that moves direct uploads into place with a server-side copy."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import SuspiciousOperation
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from . import conf
from .files import S3UploadedFile, after_response
from .policy import storage_kind

logger = logging.getLogger("s3file")


def uploaded_source(content: Any) -> S3UploadedFile | None:
    """The direct upload behind ``content`` (a ``File`` may wrap it), or None."""
    for _ in range(4):  # FieldFile -> File -> ... ; a bound, not a loop over user data
        if isinstance(content, S3UploadedFile):
            return content
        content = getattr(content, "file", None)
        if content is None:
            return None
    return None


class S3OptimizedUploadStorage(S3Storage):
    """``S3Boto3Storage`` that saves a file already in S3 by copying it inside S3.

    When the content is a direct upload (``request.FILES`` from ``S3FileMiddleware``), the
    object is copied server-side (boto3's managed copy: in parts above the transfer config's
    ``multipart_threshold``, so objects over 5 GB copy too) with the usual write parameters
    (ContentType, ACL, ``AWS_S3_OBJECT_PARAMETERS``), and the temporary object is deleted
    unless ``S3FILE_DELETE_TEMP_FILES`` is False; saving the same upload again copies it from
    where the first save put it. Any other content is uploaded as usual.
    """

    def _save(self, name: str, content: Any) -> str:
        source = uploaded_source(content)
        if source is None or storage_kind(source.storage) != "s3":
            return super()._save(name, content)
        cleaned_name = clean_name(name)
        key = self._normalize_name(cleaned_name)
        params = self._get_write_parameters(key, source)
        if self.gzip and params["ContentType"] in self.gzip_content_types:
            return super()._save(name, content)  # compressing needs the bytes
        self.copy_object(source, key, params)
        if source.temporary and conf.get("S3FILE_DELETE_TEMP_FILES"):
            self.delete_source(source)
            # Saved again (one upload attached to several objects): copy from here.
            source.moved_to(self.bucket_name, key)
        return cleaned_name

    def copy_object(self, source: S3UploadedFile, key: str, params: dict[str, Any]) -> None:
        """Copy ``source`` to ``key`` inside S3, replacing its metadata with ``params``."""
        client = self.connection.meta.client
        copy_source = {"Bucket": source.bucket, "Key": source.key}
        size = source.size  # a HEAD, unless validation made it; it also pins the ETag
        # Copy the object that was checked, not one put at its key since.
        extra = {**params, "MetadataDirective": "REPLACE"}
        if etag := source.conditions.get("IfMatch"):
            extra["CopySourceIfMatch"] = etag
        try:
            if size < self.transfer_config.multipart_threshold:
                # One request; the managed copy below would first HEAD the source again.
                client.copy_object(
                    CopySource=copy_source, Bucket=self.bucket_name, Key=key, **extra
                )
            else:
                client.copy(
                    copy_source,
                    self.bucket_name,
                    key,
                    ExtraArgs=extra,
                    Config=self.transfer_config,
                )
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
