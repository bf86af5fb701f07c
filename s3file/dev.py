"""The dev endpoint: S3's side of a direct upload, played by Django itself while the default
storage is a ``FileSystemStorage`` (``backends.local``).

A POST stores its file only after ``rules`` said yes to the grant it carries (signed by this
server, see ``LocalBackend.presign_post``); a multipart part only when its URL was signed
here. Refusals come with S3's status codes and XML error codes, which the script relies on.
``manage.py check --deploy`` refuses the endpoint (``s3file.E001``).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from xml.sax.saxutils import escape

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from .backends import LocalBackend, local_backend
from .backends.local import signed, signed_limit
from .multipart import MultipartError, unsign_upload
from .rules import CHECKSUM_FIELD, SHA1, Refused, check_upload, content_length
from .signing import SignatureExpired

#: The fields a POST may carry besides the file, as the presigned policy allows them.
FIELDS = {"key", "policy", "x-amz-signature", "success_action_status", "content-type"}
FAILED = "Invalid according to Policy: Policy Condition failed: "
#: S3's answers (status, code, message) to what the dev endpoint refuses; the rules' too.
ERRORS = {
    "off": (404, "NotFound", "The dev endpoint serves only a FileSystemStorage."),
    "method": (405, "MethodNotAllowed", "The specified method is not allowed."),
    "one-file": (400, "InvalidArgument", "POST requires exactly one file upload."),
    "fields": (400, "InvalidArgument", "POST requires key, policy and signature."),
    "expired": (403, "AccessDenied", "Invalid according to Policy: Policy expired."),
    "signature": (
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    ),
    "extra": (403, "AccessDenied", "Invalid according to Policy: Extra input fields."),
    "status": (403, "AccessDenied", FAILED + "success_action_status"),
    "key": (400, "InvalidArgument", "The key is not a valid object name."),
    "folder": (403, "AccessDenied", FAILED + "key"),
    "too-large": (400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."),
    "type": (403, "AccessDenied", FAILED + "Content-Type"),
    "checksum": (
        400,
        "BadDigest",
        "The SHA1 you specified did not match the calculated checksum.",
    ),
    "malformed": (400, "MalformedPOSTRequest", "The body of the POST is not valid."),
}
#: Room for a POST's fields besides the file (key, policy, signature, boundaries).
FORM_FIELDS_SIZE = 64 * 1024
logger = logging.getLogger("s3file")


class Refusal(Exception):
    """What the dev endpoint answers instead of storing: one of ``ERRORS``."""


def xml_response(status: int, root: str, **elements: str) -> HttpResponse:
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in elements.items())
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{body}</{root}>'
    return HttpResponse(xml, status=status, content_type="application/xml")


def s3_error(status: int, code: str, message: str) -> HttpResponse:
    return xml_response(status, "Error", Code=code, Message=message)


def upload(request: HttpRequest) -> HttpResponse:
    """Store one file POSTed the way a browser posts to S3, if its grant allows it."""
    try:
        store, key, file = checked_post(request)
        store.save(key, file)
    except Refusal as refusal:
        if refusal.__cause__ is not None:  # the rules' refusal, not the request's shape
            logger.warning("Dev endpoint refused a POST: %s", refusal.__cause__)
        return s3_error(*ERRORS[str(refusal)])
    except (SuspiciousOperation, OSError, MultipartError):  # a folder, or a file above it
        return s3_error(*ERRORS["key"])
    return xml_response(201, "PostResponse", Location=store.storage.url(key), Key=key)


def checked_post(request: HttpRequest) -> tuple[LocalBackend, str, UploadedFile[bytes]]:
    """The backend, key and file of a POST the grant it carries allows; else Refusal."""
    if (store := local_backend()) is None or request.method != "POST":
        raise Refusal("off" if store is None else "method")
    # Not a byte read past the size the URL was signed for (the grant's, and the form's
    # other fields); a URL without one takes small bodies only.
    if (length := content_length(request)) > (signed_limit(request.GET) or 0) + FORM_FIELDS_SIZE:
        raise Refusal("too-large") from Refused("too-large", f"a body of {length} bytes")
    try:
        file = request.FILES.get("file")
    # Too many fields or files, too large a body, a malformed one: Django's SuspiciousOperations.
    except (MultiPartParserError, SuspiciousOperation) as e:
        raise Refusal("malformed") from e
    if file is None or len(request.FILES) != 1:
        raise Refusal("one-file")
    fields = {name.lower(): str(value) for name, value in request.POST.items()}
    if not {"key", "policy", "x-amz-signature"} <= fields.keys():
        raise Refusal("fields")
    try:
        grant = store.grant(fields)
    except SuspiciousOperation as e:
        raise Refusal("expired" if isinstance(e, SignatureExpired) else "signature") from e
    if set(fields) - FIELDS - {CHECKSUM_FIELD}:
        raise Refusal("extra")
    if fields.get("success_action_status") != "201":
        raise Refusal("status")
    key = fields["key"].replace("${filename}", file.name or "")
    # The folder only, as S3's policy (post); and the name's type, as this storage's files
    # are served as their names say (by_name): no page in an image field.
    try:
        size, content_type = file.size or 0, fields.get("content-type", "")
        check_upload(grant, key, size, content_type, post=True, by_name=store.by_name)
    except Refused as e:
        raise Refusal(e.code) from e
    if (checksum := fields.get(CHECKSUM_FIELD)) and checksum != sha1_base64(file):
        raise Refusal("checksum")
    return store, key, file


def sha1_base64(file: UploadedFile[bytes]) -> str:
    file.seek(0)
    return base64.b64encode(hashlib.file_digest(file, SHA1).digest()).decode()


def part(request: HttpRequest) -> HttpResponse:
    """Store one part PUT to a URL ``LocalBackend.part_urls`` signed, as S3 would."""
    if (store := local_backend()) is None or request.method != "PUT":
        return s3_error(*ERRORS["off" if store is None else "method"])
    try:
        handle, number = request.GET["upload"], int(request.GET["partNumber"])
        expires = int(request.GET["expires"])
        # The signature covers the part number: only parts of the upload were signed.
        if not signed(request.GET, "upload", "partNumber", "expires"):
            raise MultipartError(
                403, "The request signature does not match.", "SignatureDoesNotMatch"
            )
        if expires < time.time():
            raise MultipartError(403, "Request has expired.", "AccessDenied")
        etag = store.write_part(unsign_upload(handle), number, request)
    except MultipartError as e:
        return s3_error(e.status, e.code, e.message)
    except (KeyError, ValueError, SuspiciousOperation):
        return s3_error(400, "InvalidArgument", "Malformed part upload.")
    return HttpResponse(status=200, headers={"ETag": etag})
