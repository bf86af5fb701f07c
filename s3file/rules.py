"""The upload rules: what a rendered input grants the browser, and every check of it.

One grant (folder, largest size, Content-Type condition, signed with a timestamp) is made
here when a form renders and checked here wherever a browser comes back with it: by the dev
endpoint before it stores a byte, by the multipart API before it starts an upload, and by the
middleware and ``S3UploadedFile`` when the form is posted. S3 enforces the same grant, as the
POST policy ``conditions()`` writes. A rule added here holds for S3 and the dev storage alike.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import re
import uuid
from typing import NamedTuple
from urllib.parse import unquote

from django.core.exceptions import SuspiciousOperation

from .signing import sign_tuple, unsign_tuple

SALT = "s3file.grant"
#: S3 refuses a single POST above 5 GiB; larger files need multipart upload.
POST_MAX_SIZE = 5 * 1024**3
#: S3's largest object.
MAX_OBJECT_SIZE = 5 * 1024**4
#: The form field a browser may add with the file's SHA-1 (base64); S3 verifies it.
CHECKSUM_FIELD = "x-amz-checksum-sha1"
#: A Content-Type condition of an S3 POST policy: ``[op, "$Content-Type", value]``.
Condition = list[str]
# Control characters never appear in a browser's file name; backslashes only in attacks.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]")


class Grant(NamedTuple):
    """What one rendered input may upload: files into ``folder``, of at most ``max_size``
    bytes, whose Content-Type meets ``content_type``."""

    folder: str
    max_size: int
    content_type: Condition


class Refused(SuspiciousOperation):
    """An upload the rules refuse; ``code`` says which rule: ``key`` (malformed), ``folder``
    (outside its folder), ``too-large``, ``type``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"s3file: {message}")
        self.code = code


def sign_grant(grant: Grant) -> str:
    """The signed grant, as the form carries it."""
    return sign_tuple(SALT, grant)


def unsign_grant(value: str, max_age: int | None = None) -> Grant:
    """The grant signed into ``value``; SuspiciousOperation if forged or older than
    ``max_age`` (default: twice ``S3FILE_EXPIRES``, see ``signing.unsign_tuple``)."""
    return unsign_tuple(SALT, value, Grant, "upload signature", max_age)


def new_grant(prefix: str, max_size: int, accept: str) -> Grant:
    """What a freshly rendered input with this ``accept`` and size limit may upload: a new
    folder under ``prefix`` (the backend's ``upload_prefix()``)."""
    return Grant(prefix + uuid.uuid4().hex, max_size, content_type_condition(accept))


def check_key_shape(key: str) -> str:
    """Return ``key`` if it is a plain relative name: no ``..``, backslash, control character,
    absolute path, empty or doubled segment, nor a URL-encoded form of a traversal."""
    decoded = unquote(key)
    if (
        not key
        or _FORBIDDEN.search(decoded)
        or posixpath.normpath(key) != key
        or decoded.startswith("/")
        or ".." in decoded.split("/")
    ):
        raise Refused("key", f"malformed key {key!r}")
    return key


def check_key(key: str, folders: str | list[str], nested: bool = True) -> str:
    """Return ``key`` if it names a file inside one of ``folders``; else ``Refused``.

    ``nested``: in a subfolder of its own, as the script puts each file
    (``folder/<random>/<name>``, so two files of one name never share a key). S3's policy
    can only ask for the folder, so the dev endpoint checks no more than that."""
    check_key_shape(key)
    folders = [folders] if isinstance(folders, str) else folders
    folder = next((f for f in folders if key.startswith(f + "/")), None)
    if folder is None:
        raise Refused("folder", f"key {key!r} is outside its signed folder")
    if nested and "/" not in key[len(folder) + 1 :]:
        raise Refused("folder", f"key {key!r} sits at its folder's root")
    return key


def check_file(max_size: int, condition: Condition, size: int, content_type: str | None) -> None:
    """Refuse a file of ``size`` bytes and ``content_type`` (None: unknown, not checked) that
    a limit of ``max_size`` and ``condition`` excludes."""
    if size > max_size:
        raise Refused("too-large", f"{size} bytes is more than {max_size}")
    if content_type is not None and condition and not condition_met(condition, content_type):
        raise Refused("type", f"type {content_type!r} is not accepted")


def check_upload(
    grant: Grant, key: str, size: int, content_type: str, largest: int, nested: bool = True
) -> None:
    """Refuse an upload of ``key`` that ``grant`` does not allow; ``largest`` is what the
    way of uploading can carry (``POST_MAX_SIZE``, ``MAX_OBJECT_SIZE``)."""
    check_key(key, grant.folder, nested)
    check_file(min(grant.max_size, largest), grant.content_type, size, content_type)


def condition_met(condition: Condition, value: str) -> bool:
    """Whether ``value`` meets an ``eq`` or ``starts-with`` condition, as S3 checks it."""
    op, expected = condition[0], condition[2]
    return value == expected if op == "eq" else value.startswith(expected)


def conditions(grant: Grant) -> list[object]:
    """The grant as S3 POST policy conditions, but the key (boto3 adds that)."""
    return [
        {"success_action_status": "201"},
        ["content-length-range", 0, min(grant.max_size, POST_MAX_SIZE)],
        grant.content_type,
        # Optional (it may be empty); when present, S3 refuses a body that does not match.
        ["starts-with", "$" + CHECKSUM_FIELD, ""],
    ]


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
    anything = ["starts-with", "$Content-Type", ""]
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
