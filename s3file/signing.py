"""Timestamped signatures of what Django hands the browser and must get back unchanged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core import signing
from django.core.exceptions import SuspiciousOperation

from . import conf

T = TypeVar("T")


class SignatureExpired(SuspiciousOperation):
    """A signature that was valid, but is too old now."""


def sign_tuple(salt: str, values: Sequence[object]) -> str:
    """A timestamped signature of ``values`` (a grant, a multipart handle)."""
    return signing.TimestampSigner(salt=salt).sign_object(list(values))


def unsign_tuple(
    salt: str, value: str, kind: Callable[..., T], what: str, max_age: int | None = None
) -> T:
    """The ``kind`` signed into ``value``; SuspiciousOperation if forged, malformed or stale.

    Signatures stay valid for ``max_age`` seconds, by default twice ``S3FILE_EXPIRES``: the
    policy lets an upload start until it expires, and a large upload may need the rest before
    the form is posted. Signatures made with a key in ``SECRET_KEY_FALLBACKS`` still verify.
    """
    try:
        values = signing.TimestampSigner(salt=salt).unsign_object(
            value, max_age=2 * conf.get("S3FILE_EXPIRES") if max_age is None else max_age
        )
        return kind(*values)
    except signing.SignatureExpired as e:
        raise SignatureExpired(f"s3file: {what} expired") from e
    except (signing.BadSignature, ValueError, TypeError) as e:
        raise SuspiciousOperation(f"s3file: bad {what}") from e
