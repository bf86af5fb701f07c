"""What Django signs into the form, and what it checks when the keys come back."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from django.core import signing
from django.core.exceptions import SuspiciousOperation

from . import conf

SALT = "s3file.folder"
# Control characters never appear in a browser's file name; backslashes only in attacks.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]")


def sign_folder(folder: str) -> str:
    """Return a timestamped signature of ``folder``, the upload folder of one rendered input."""
    return signing.TimestampSigner(salt=SALT).sign(folder)


def unsign_folder(value: str) -> str:
    """Return the folder signed into ``value``; raise SuspiciousOperation if forged or stale.

    Signatures stay valid for twice ``S3FILE_EXPIRES``: the policy lets an upload start until
    it expires, and a large upload may need the rest before the form is posted.
    """
    try:
        return signing.TimestampSigner(salt=SALT).unsign(
            value, max_age=2 * conf.get("S3FILE_EXPIRES")
        )
    except signing.SignatureExpired as e:
        raise SuspiciousOperation("s3file: upload signature expired") from e
    except signing.BadSignature as e:
        raise SuspiciousOperation("s3file: bad upload signature") from e


def check_key(key: str, folder: str) -> str:
    """Return ``key`` if it names a file strictly inside ``folder``; else SuspiciousOperation."""
    for form in {key, unquote(key)}:
        if (
            not form
            or _FORBIDDEN.search(form)
            or form.startswith("/")
            or ".." in form.split("/")
            or posixpath.normpath(form) != form
        ):
            raise SuspiciousOperation(f"s3file: malformed key {key!r}")
    if not key.startswith(folder + "/"):
        raise SuspiciousOperation(f"s3file: key {key!r} is outside its signed folder")
    # The script puts each file in a subfolder of its own (folder/<n>/<name>), so that two
    # files with the same name never share a key; anything else did not come from it.
    if "/" not in key[len(folder) + 1 :]:
        raise SuspiciousOperation(f"s3file: key {key!r} sits at its folder's root")
    return key
