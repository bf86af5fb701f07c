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
from xml.sax.saxutils import escape

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

from .backends import local_backend
from .backends.local import check_part_signature
from .multipart import MultipartError, unsign_upload
from .rules import CHECKSUM_FIELD, POST_MAX_SIZE, Refused, check_upload
from .signing import SignatureExpired

#: The fields a POST may carry besides the file, as the presigned policy allows them.
FIELDS = {"key", "policy", "x-amz-signature", "success_action_status", "content-type"}
#: S3's answer to each refusal of the rules.
REFUSALS = {
    "key": (400, "InvalidArgument", "The key is not a valid object name."),
    "folder": (403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: key"),
    "too-large": (400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."),
    "type": (403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: type"),
}


def xml_response(status: int, root: str, **elements: str) -> HttpResponse:
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in elements.items())
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{body}</{root}>',
        status=status,
        content_type="application/xml",
    )


def s3_error(status: int, code: str, message: str) -> HttpResponse:
    return xml_response(status, "Error", Code=code, Message=message)


def upload(request: HttpRequest) -> HttpResponse:
    """Store one file POSTed the way a browser posts to S3, if its grant allows it."""
    store = local_backend()
    if store is None:
        return s3_error(404, "NotFound", "The dev endpoint serves only a FileSystemStorage.")
    if request.method != "POST":
        return s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
    file = request.FILES.get("file")
    if file is None or len(request.FILES) != 1:
        return s3_error(400, "InvalidArgument", "POST requires exactly one file upload.")
    fields = {name.lower(): str(value) for name, value in request.POST.items()}
    if not {"key", "policy", "x-amz-signature"} <= fields.keys():
        return s3_error(400, "InvalidArgument", "POST requires key, policy and signature.")
    try:
        grant = store.grant(fields)
    except SignatureExpired:
        return s3_error(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    except SuspiciousOperation:
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    if extra := set(fields) - FIELDS - {CHECKSUM_FIELD}:
        message = f"Invalid according to Policy: Extra input fields: {', '.join(sorted(extra))}"
        return s3_error(403, "AccessDenied", message)
    if fields.get("success_action_status") != "201":
        message = "Invalid according to Policy: Policy Condition failed: success_action_status"
        return s3_error(403, "AccessDenied", message)
    key = fields["key"].replace("${filename}", file.name or "")
    try:
        # The folder only, as S3's policy: a key at its root is the script's concern.
        check_upload(
            grant, key, file.size or 0, fields.get("content-type", ""), POST_MAX_SIZE, False
        )
    except Refused as e:
        return s3_error(*REFUSALS[e.code])
    if checksum := fields.get(CHECKSUM_FIELD):
        digest = hashlib.sha1(usedforsecurity=False)
        for chunk in file.chunks():
            digest.update(chunk)
        if base64.b64encode(digest.digest()).decode() != checksum:
            return s3_error(
                400, "BadDigest", "The SHA1 you specified did not match the calculated checksum."
            )
    try:
        store.save(key, file)
    except (SuspiciousOperation, OSError):
        return s3_error(*REFUSALS["key"])
    return xml_response(201, "PostResponse", Location=store.storage.url(key), Key=key)


def part(request: HttpRequest) -> HttpResponse:
    """Store one part PUT to a URL ``LocalBackend.part_urls`` signed, as S3 would."""
    store = local_backend()
    if store is None:
        return s3_error(404, "NotFound", "The dev endpoint serves only a FileSystemStorage.")
    if request.method != "PUT":
        return s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
    try:
        handle, number = request.GET["upload"], int(request.GET["partNumber"])
        check_part_signature(handle, number, int(request.GET["expires"]), request.GET["signature"])
        upload = unsign_upload(handle)
        if not 1 <= number <= upload.parts:
            raise MultipartError(400, "Part number out of range.", "InvalidArgument")
        md5 = request.headers.get("Content-MD5", "")
        etag = store.write_part(upload, number, request, md5)
    except MultipartError as e:
        return s3_error(e.status, e.code, e.message)
    except (KeyError, ValueError, SuspiciousOperation):
        return s3_error(400, "InvalidArgument", "Malformed part upload.")
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response
