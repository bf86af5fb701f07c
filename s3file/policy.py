"""The upload policy: what a browser may put into the bucket, and where uploads go.

The same conditions serve S3, which enforces them on a presigned POST, and the dev endpoint
(``dev.py``), which enforces them the way S3 does while the default storage is a
``FileSystemStorage``.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import uuid
from typing import Any, Literal

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import FileSystemStorage, Storage, storages

from . import conf
from .signing import Grant

#: S3 refuses a single POST above 5 GiB; larger files need multipart upload.
POST_MAX_SIZE = 5 * 1024**3
Condition = dict[str, str] | list[Any]


def default_storage() -> Storage:
    """The storage uploads go to: ``STORAGES["default"]``."""
    return storages["default"]


def storage_kind(storage: Storage | None = None) -> Literal["s3", "dev"] | None:
    """``"s3"`` for django-storages' S3 backends, ``"dev"`` for ``FileSystemStorage``."""
    storage = storage if storage is not None else default_storage()
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages is an optional extra
        S3Storage = None  # noqa: N806
    if S3Storage is not None and isinstance(storage, S3Storage):
        return "s3"
    if isinstance(storage, FileSystemStorage):
        return "dev"
    return None


def upload_prefix(storage: Storage) -> str:
    """Where browsers upload, as a key prefix ending in "/" (with the S3 location)."""
    path = conf.get("S3FILE_UPLOAD_PATH").strip("/")
    location = getattr(storage, "location", "") if storage_kind(storage) == "s3" else ""
    return posixpath.join(location.strip("/"), path) + "/" if location else path + "/"


def new_folder(storage: Storage) -> str:
    """A fresh upload folder for one rendered input, as a full key (with the S3 location)."""
    return upload_prefix(storage) + uuid.uuid4().hex


def storage_name(storage: Storage, key: str) -> str:
    """The storage-relative name of the full key ``key`` (strips the S3 location)."""
    location = getattr(storage, "location", "").strip("/")
    if storage_kind(storage) == "s3" and location:
        if not key.startswith(location + "/"):
            raise SuspiciousOperation(f"s3file: key {key!r} is outside the storage location")
        return key[len(location) + 1 :]
    return key


def extension_types(accept: str) -> dict[str, str]:
    """The Content-Type to store for each ``.ext`` in ``accept``: browsers disagree on some
    (Windows calls a .csv application/vnd.ms-excel), the policy must not."""
    extensions = (item.strip().lower() for item in accept.split(","))
    found = {ext: mimetypes.guess_type("file" + ext, strict=False)[0] for ext in extensions}
    return {ext: kind for ext, kind in found.items() if ext.startswith(".") and kind}


def content_type_condition(accept: str) -> Condition:
    """Turn an ``accept`` attribute into the strictest Content-Type condition S3 can check.

    A policy cannot say "one of", so a list becomes a starts-with of what its types share
    (``image/png,image/jpeg`` -> ``image/``); the browser checks the exact list before uploading.
    """
    anything: Condition = ["starts-with", "$Content-Type", ""]
    types = set()
    for item in accept.lower().split(","):
        item = item.strip()
        if not item:
            continue
        if item in {"*", "*/*"}:
            return anything
        if item.startswith("."):
            item = mimetypes.guess_type("file" + item, strict=False)[0] or ""
        if item.endswith("/*"):
            item = item[:-1]
        if "/" not in item:  # an extension without a known type, or nonsense
            return anything
        types.add(item)
    if not types:
        return anything
    if len(types) == 1 and not (only := next(iter(types))).endswith("/"):
        return ["eq", "$Content-Type", only]
    return ["starts-with", "$Content-Type", os.path.commonprefix(sorted(types))]


#: The form field a browser may add with the file's SHA-1 (base64); S3 verifies it.
CHECKSUM_FIELD = "x-amz-checksum-sha1"


def new_grant(storage: Storage, max_size: int, accept: str) -> Grant:
    """What a freshly rendered input with this ``accept`` and size limit may upload."""
    return Grant(new_folder(storage), max_size, content_type_condition(accept))


def condition_met(condition: Condition, value: str) -> bool:
    """Whether ``value`` meets an ``eq`` or ``starts-with`` condition, as S3 checks it."""
    op, expected = condition[0], condition[2]
    return value == expected if op == "eq" else value.startswith(expected)


def conditions(grant: Grant) -> list[Condition]:
    """Everything a POST of ``grant`` must satisfy, but the key (boto3 adds that)."""
    return [
        {"success_action_status": "201"},
        ["content-length-range", 0, min(grant.max_size, POST_MAX_SIZE)],
        grant.content_type,
        # Optional (it may be empty); when present, S3 refuses a body that does not match.
        ["starts-with", "$" + CHECKSUM_FIELD, ""],
    ]


def presign(storage: Storage, grant: Grant) -> tuple[str, dict]:
    """Return the URL and form fields of a POST that may upload what ``grant`` allows."""
    expires = conf.get("S3FILE_EXPIRES")
    key = grant.folder + "/${filename}"
    if storage_kind(storage) == "s3":
        client = storage.connection.meta.client
        post = client.generate_presigned_post(
            storage.bucket_name,
            key,
            Fields={"success_action_status": "201"},
            Conditions=conditions(grant),
            ExpiresIn=expires,
        )
        return post["url"], post["fields"]
    from .dev import presign_post  # the dev endpoint's policy: S3's, signed here

    return presign_post(grant)
