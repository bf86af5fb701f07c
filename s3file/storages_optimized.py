"""An S3 storage that moves files already in S3 into place with a server-side copy."""

from __future__ import annotations

import functools
import logging
import posixpath
from typing import Any, NamedTuple

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import Storage
from django.core.files.utils import validate_file_name
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

from . import conf
from .after_response import after_response
from .backends import backend
from .backends.s3 import S3Backend
from .files import S3UploadedFile, direct_upload

logger = logging.getLogger("s3file")


class CopySource(NamedTuple):
    """An object to copy from: its endpoint, where it is, its size, the ETag it must still
    have, and the direct upload it is (None for another S3 file, which is never deleted)."""

    endpoint_url: str | None
    bucket: str
    key: str
    size: int
    etag: str
    upload: S3UploadedFile | None


def copy_source(content: Any) -> CopySource | None:
    """The S3 object behind ``content`` (``File`` and ``FieldFile`` may wrap it), or None."""
    for _ in range(4):  # FieldFile -> File -> ... ; a bound, not a loop over user data
        if isinstance(content, S3UploadedFile):
            bucket = content.backend.bucket
            if bucket is None:
                return None  # not in S3: saved by reading it
            size = content.size  # a HEAD, unless validation made it; it also pins the ETag
            endpoint = content.backend.endpoint_url
            return CopySource(endpoint, bucket, content.key, size, content.etag, content)
        if isinstance(content, S3File):  # another S3 file: its .file would download it all
            obj = content.obj
            endpoint = content._storage.endpoint_url
            return CopySource(
                endpoint, obj.bucket_name, obj.key, obj.content_length, obj.e_tag, None
            )
        content = getattr(content, "file", None)
    return None


class S3OptimizedUploadStorage(S3Storage):
    """``S3Boto3Storage`` that saves a file already in S3 by copying it inside S3.

    When the content is a direct upload (``request.FILES`` from ``S3FileMiddleware``) or a
    file of an S3 storage on the same server, the object is copied server-side: one
    CopyObject up to ``copy_threshold`` (1 GiB), boto3's managed multipart copy in parts of
    ``copy_chunksize`` (128 MiB) above it, so objects over 5 GB copy too; with the usual write
    parameters (ContentType, ACL, ``AWS_S3_OBJECT_PARAMETERS``). A direct upload's temporary
    object is then deleted (once the view has answered) unless ``S3FILE_DELETE_TEMP_FILES``
    is False; saving the same upload again copies it from where the first save put it. Any
    other content is uploaded as usual. The copy, the delete and ``exists()`` use the client
    s3file shares between threads (``backends.s3.shared_client``).

    A direct upload that already lies in the folder it is saved in (``S3FILE_CLAIM``: the
    input knew the folder) is claimed there instead: its pending tag removed, nothing copied
    or deleted, in constant time; its name is its key. It is copied after all when it was
    claimed before (a second save), when its key is longer than the field's ``max_length``,
    or when the storage would write more than its Content-Type (``ACL``,
    ``AWS_S3_OBJECT_PARAMETERS``, gzip) or another one; an upload copied out of a final
    folder is never deleted, and expires with its tag.
    """

    #: Whether a direct upload may be saved over an object of the same name: never here
    #: (``save()``), whatever ``file_overwrite`` says; the system check ``s3file.E004``
    #: refuses a default storage that would.
    upload_overwrite = False

    def get_default_settings(self) -> dict[str, Any]:
        return {
            **super().get_default_settings(),
            # One CopyObject up to this size (S3 takes up to 5 GiB in one); a multipart copy
            # in parts of copy_chunksize above it. Both may be set in OPTIONS.
            "copy_threshold": 1024**3,
            "copy_chunksize": 128 * 1024**2,
        }

    def backend(self) -> S3Backend:
        """This storage's backend, as the seam keeps it (one per storage)."""
        found = backend(self)
        if not isinstance(found, S3Backend):  # only if an S3Storage stopped being one
            raise TypeError(f"s3file: {type(self).__name__} has no S3 backend")
        return found

    def exists(self, name: str) -> bool:
        """django-storages' check (``file_overwrite=False`` asks it on every save), through
        the shared client: a save in a fresh thread builds no client."""
        key = self._normalize_name(clean_name(name))
        return self.backend().exists(key, self.get_object_parameters(key))

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        """Claim a direct upload in place (``claim()``), or save as django-storages does, but
        never a direct upload over another object: whatever ``file_overwrite`` says, it gets
        a name no object has (Django's ``Storage.get_available_name``), so two uploads of one
        name both survive. A direct upload is taken first (``S3UploadedFile.consume``): one
        that another request's save took is refused (``UnusableUpload``), not saved twice."""
        upload = direct_upload(content)
        if upload is not None:
            upload.consume()
        claimed = self.claim(name, content, max_length) if name is not None else None
        if claimed is not None:
            return claimed
        if name is not None and self.file_overwrite and direct_upload(content) is not None:
            name = Storage.get_available_name(self, name, max_length=max_length)
        return str(super().save(name, content, max_length))

    def claim(self, name: str, content: Any, max_length: int | None = None) -> str | None:
        """The name of ``content``, a direct upload kept where it lies, if it is one in the
        folder of ``name``; else None (it is saved as usual)."""
        source = copy_source(content)
        upload = None if source is None else source.upload
        if upload is None or not upload.temporary or source is None:
            return None
        if (source.endpoint_url, source.bucket) != (self.endpoint_url, self.bucket_name):
            return None
        backend = self.backend()
        try:
            stored = backend.storage_name(upload.key)
        except SuspiciousOperation:
            return None
        folder = posixpath.dirname(clean_name(name))
        # As the input put it: <folder>/<the input's subfolder>/<the file's>/<file name>.
        nested = stored.startswith(folder + "/") and stored.count("/") == folder.count("/") + 3
        if not (folder and nested and backend.pending(upload.key)):
            return None
        if max_length is not None and len(stored) > max_length:
            return None
        # Only what a copy would write anyway: the Content-Type the object has.
        if self._get_write_parameters(stored, upload) != {"ContentType": upload.stored_type}:
            return None
        validate_file_name(stored, allow_relative_path=True)
        if not backend.claim(upload.key):
            return None
        upload.moved_to(backend, upload.key)  # saved again: copied from here
        logger.info("Saved %r where it was uploaded (claimed, no copy)", stored)
        return stored

    def _save(self, name: str, content: Any) -> str:
        source = copy_source(content)
        if source is None or source.endpoint_url != self.endpoint_url:
            return str(super()._save(name, content))
        cleaned_name = clean_name(name)
        key = self._normalize_name(cleaned_name)
        params = self._get_write_parameters(key, source.upload or content)
        if self.gzip and params["ContentType"] in self.gzip_content_types:
            return str(super()._save(name, content))  # compressing needs the bytes
        backend = self.backend()
        backend.copy((source.bucket, source.key), source.etag, source.size, key, params)
        upload = source.upload
        # An upload in a final folder may have been claimed by an earlier save: never
        # deleted here, it expires with its pending tag if nothing claims it.
        if (
            upload is not None
            and upload.temporary
            and not upload.backend.pending(upload.key)
            and conf.get("S3FILE_DELETE_TEMP_FILES")
        ):
            # Once the view has answered; a failure only leaves it to the lifecycle rule.
            after_response(functools.partial(upload.backend.delete, upload.key))
            # Saved again (one upload attached to several objects): copy from here.
            upload.moved_to(backend, key)
        return str(cleaned_name)
