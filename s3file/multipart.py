"""Multipart uploads, which the browser drives for large files through ``views``: the signed
upload handle, how a file is cut into parts, and what a complete upload is.

The browser never holds credentials: it asks for an upload (with the input's signed grant),
for presigned URLs of its parts, and to complete or abort it. Each answer carries a signed
handle of the upload, so later calls need no lookup and cannot name another upload. The
storage side of each step is the backend's (``backends``).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import NamedTuple, TypedDict

from . import conf
from .signing import sign_tuple, unsign_tuple

logger = logging.getLogger("s3file")
MiB = 1024**2
MIN_PART_SIZE = 5 * MiB
MAX_PARTS = 10_000
SALT = "s3file.multipart"


class MultipartError(Exception):
    """A request the endpoints refuse or cannot serve: the HTTP status and a message."""

    def __init__(
        self, status: int, message: str, code: str = "refused", parts: list[int] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        #: The part numbers a refusal names (those to send again), if any.
        self.parts = parts


class Part(TypedDict):
    partNumber: int
    size: int
    etag: str


def part_size(size: int) -> int:
    """``S3FILE_MULTIPART_PART_SIZE``, but at least 5 MiB and large enough that ``size`` needs
    no more than 10,000 parts (whole MiB, so 5 TiB takes 525 MiB parts)."""
    preferred: int = conf.get("S3FILE_MULTIPART_PART_SIZE")
    return max(MIN_PART_SIZE, preferred, -(-size // (MAX_PARTS * MiB)) * MiB)


class Upload(NamedTuple):
    """One multipart upload: where it goes, its id in S3, and how it is cut into parts."""

    key: str
    upload_id: str
    size: int
    part_size: int
    #: The browser it was started in (its grant's ``binding``); only that one may go on.
    binding: str = ""
    #: Parts go up with a Content-MD5 that S3 checks, rather than compared by ETag at the end.
    content_md5: bool = False

    @property
    def parts(self) -> int:
        return max(1, -(-self.size // self.part_size))

    def part_length(self, number: int) -> int:
        return min(self.part_size, self.size - (number - 1) * self.part_size)


def sign_upload(upload: Upload) -> str:
    return sign_tuple(SALT, upload)


def unsign_upload(value: str) -> Upload:
    return unsign_tuple(SALT, value, Upload, "multipart upload handle")


def check_complete(
    upload: Upload, parts: list[Part], abort: Callable[[Upload], None], md5: list[str] | None
) -> list[Part]:
    """The parts, in order, if they are exactly the upload's; else MultipartError. Parts of
    the wrong size did not come from the script: ``abort`` the upload, freeing the space.
    ``md5`` (``part_md5s``) must match the ETags S3 computed; a part that does not is named in
    the error, for the browser to send again. If none does, the ETags are no MD5s (a store
    that encrypts parts, or a proxy that changes every byte): sending again would not help."""
    # A part number sent twice is listed twice by some S3 servers (SeaweedFS), and they join
    # the copy whose ETag ``complete`` names; S3 keeps the last.
    by_number: dict[int, list[Part]] = {}
    for part in parts:
        by_number.setdefault(part["partNumber"], []).append(part)
    numbers = range(1, upload.parts + 1)
    missing = [n for n in numbers if n not in by_number]
    sizes = {n: {p["size"] for p in copies} for n, copies in by_number.items()}
    wrong = [n for n, s in sizes.items() if n > upload.parts or s != {upload.part_length(n)}]
    if wrong:
        abort(upload)
    if missing or wrong:
        message = f"The upload is incomplete: parts missing {missing[:10]}, wrong {wrong[:10]}."
        raise MultipartError(400, message)
    if md5 is None:
        return [by_number[n][-1] for n in numbers]
    # The copies of each part whose ETag is the MD5 the browser sent.
    sent = {n: [p for p in by_number[n] if p["etag"].strip('"') == md5[n - 1]] for n in numbers}
    changed = [n for n, copies in sent.items() if not copies]
    if len(changed) == upload.parts > 1:
        logger.error(
            "No part of %r has its MD5 as ETag: if the storage encrypts parts without saying "
            "so, set S3FILE_MULTIPART_CONTENT_MD5 = True.",
            upload.key,
        )
        raise MultipartError(502, "The storage server could not check the upload.", "etag")
    if changed:
        logger.warning("Parts %s of %r changed on the way; asked again", changed, upload.key)
        message = "Parts changed on the way (their MD5 does not match): send them again."
        raise MultipartError(400, message, "BadDigest", changed)
    return [copies[-1] for copies in sent.values()]


def part_md5s(value: object, upload: Upload) -> list[str] | None:
    """The hex MD5 of each part, from the base64 ones ``complete`` posts; None where S3 checked
    each part's Content-MD5 instead (``Upload.content_md5``), or for a script of before 8.0
    (it posts none, and sent a Content-MD5 with every part)."""
    if upload.content_md5 or value is None:
        return None
    if not isinstance(value, list) or len(value) != upload.parts:
        raise ValueError("md5 must list each part's MD5")
    digests = [base64.b64decode(str(v), validate=True) for v in value]
    if any(len(d) != 16 for d in digests):
        raise ValueError("not an MD5")
    return [d.hex() for d in digests]
