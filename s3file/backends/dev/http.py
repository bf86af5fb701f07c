"""The dev endpoint's HTTP side: S3's answer to a browser's presigned POST, played by Django.

A POST is stored (by ``dev.storage``) only after ``rules`` said yes to the grant it carries,
signed by this server (``LocalBackend.presign_post``). One POST carries a file of any size
the grant and ``S3FILE_DEV_MAX_SIZE`` allow: the browser uploads in parts only to S3.
Refusals come with S3's status codes and XML error codes, which the script relies on.
``manage.py check --deploy`` refuses the endpoint (``s3file.E001``).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import posixpath
from xml.sax.saxutils import escape

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from s3file.backends.base import Rejected
from s3file.rules import CHECKSUM_FIELD, SHA1, Grant, Refused, check_upload, content_length
from s3file.signing import SignatureExpired

from .storage import LocalBackend, is_active, local_backend, names_type, signed_limit

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
    store = local_backend()
    if store is None:
        return s3_error(*ERRORS["off"])
    try:
        grant, key, file = checked_post(store, request)
        store.save(key, file, file.size or 0, grant.folder)
    except Refusal as refusal:
        if refusal.__cause__ is not None:  # the rules' refusal, not the request's shape
            logger.warning("Dev endpoint refused a POST: %s", refusal.__cause__)
        return s3_error(*ERRORS[str(refusal)])
    except Rejected as e:
        logger.warning("Dev storage refused a POST: %s (pending folder %s)", e, store.pending_root)
        if e.code == "full":  # the developer's limit: say which, in the user's error
            return s3_error(403, "QuotaExceeded", str(e))
        if e.code == "refused":  # the developer's set-up: say what to change
            return s3_error(403, "AccessDenied", str(e))
        return s3_error(*ERRORS["too-large" if e.code == "too-large" else "key"])
    return xml_response(201, "PostResponse", Key=key)


def checked_post(
    store: LocalBackend, request: HttpRequest
) -> tuple[Grant, str, UploadedFile[bytes]]:
    """The grant, key and file of a POST its grant allows; else Refusal."""
    if request.method != "POST":
        raise Refusal("method")
    # Not a byte read past the size the URL was signed for (the grant's, and the form's
    # other fields); a URL without one takes small bodies only.
    length = content_length(request)
    if length > (signed_limit(request.GET) or 0) + FORM_FIELDS_SIZE:
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
    # The folder only, as S3's policy (post); and the name's type, as the site serves the
    # files a form takes as their names say (by_name): no page in an image field.
    size = file.size or 0
    content_type = fields.get("content-type", "")
    try:
        check_upload(grant, key, size, content_type, post=True, by_name=store.by_name)
    except Refused as e:
        raise Refusal(e.code) from e
    # A page or script only where the field asks for that very type: `image/*` lets an
    # image in, not an SVG, which the site would serve as a document of its own origin.
    name = posixpath.basename(key)
    if is_active(name) and not names_type(grant.accept, name):
        reason = f"{name!r} is an active document that {grant.accept!r} does not name"
        raise Refusal("type") from Refused("type", reason)
    checksum = fields.get(CHECKSUM_FIELD)
    if checksum and checksum != sha1_base64(file):
        raise Refusal("checksum")
    file.seek(0)
    return grant, key, file


def sha1_base64(file: UploadedFile[bytes]) -> str:
    file.seek(0)
    return base64.b64encode(hashlib.file_digest(file, SHA1).digest()).decode()
