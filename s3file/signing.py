"""What Django signs into the form, and what it checks when the keys come back."""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple, TypeVar
from urllib.parse import unquote

from django.core import signing
from django.core.exceptions import SuspiciousOperation

from . import conf

SALT = "s3file.grant"
T = TypeVar("T")
# Control characters never appear in a browser's file name; backslashes only in attacks.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]")


class SignatureExpired(SuspiciousOperation):
    """A signature that was valid, but is too old now."""


class Grant(NamedTuple):
    """What one rendered input may upload: files into ``folder``, of at most ``max_size``
    bytes, whose Content-Type meets ``content_type`` (a policy condition, see policy.py)."""

    folder: str
    max_size: int
    content_type: list


def sign_tuple(salt: str, values: tuple) -> str:
    """A timestamped signature of ``values`` (a grant, a multipart handle)."""
    return signing.TimestampSigner(salt=salt).sign_object(list(values))


def unsign_tuple(salt: str, value: str, kind: type[T], what: str) -> T:
    """The ``kind`` signed into ``value``; SuspiciousOperation if forged, malformed or stale.

    Signatures stay valid for twice ``S3FILE_EXPIRES``: the policy lets an upload start until
    it expires, and a large upload may need the rest before the form is posted. Signatures
    made with a key in ``SECRET_KEY_FALLBACKS`` still verify.
    """
    try:
        values = signing.TimestampSigner(salt=salt).unsign_object(
            value, max_age=2 * conf.get("S3FILE_EXPIRES")
        )
        return kind(*values)
    except signing.SignatureExpired as e:
        raise SignatureExpired(f"s3file: {what} expired") from e
    except (signing.BadSignature, ValueError, TypeError) as e:
        raise SuspiciousOperation(f"s3file: bad {what}") from e


def sign_grant(grant: Grant) -> str:
    """The signed grant, as the form carries it."""
    return sign_tuple(SALT, grant)


def unsign_grant(value: str) -> Grant:
    return unsign_tuple(SALT, value, Grant, "upload signature")


def check_key_shape(key: str) -> str:
    """Return ``key`` if it is a plain relative name: no ``..``, backslash, control character,
    absolute path, empty or doubled segment, nor a URL-encoded form of a traversal."""
    if not key or _FORBIDDEN.search(key) or posixpath.normpath(key) != key:
        raise SuspiciousOperation(f"s3file: malformed key {key!r}")
    decoded = unquote(key)
    if _FORBIDDEN.search(decoded) or decoded.startswith("/") or ".." in decoded.split("/"):
        raise SuspiciousOperation(f"s3file: malformed key {key!r}")
    return key


def check_key(key: str, folders: str | list[str]) -> str:
    """Return ``key`` if it names a file strictly inside one of ``folders``; else
    SuspiciousOperation."""
    check_key_shape(key)
    folders = [folders] if isinstance(folders, str) else folders
    folder = next((f for f in folders if key.startswith(f + "/")), None)
    if folder is None:
        raise SuspiciousOperation(f"s3file: key {key!r} is outside its signed folder")
    # The script puts each file in a subfolder of its own (folder/<random>/<name>), so that
    # two files with the same name never share a key; anything else did not come from it.
    if "/" not in key[len(folder) + 1 :]:
        raise SuspiciousOperation(f"s3file: key {key!r} sits at its folder's root")
    return key
