"""The dev endpoint: an S3 stand-in for presigned POSTs while the default storage is local."""

from __future__ import annotations

import base64
import hashlib
from xml.sax.saxutils import escape

from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse

from .policy import CHECKSUM_FIELD, PolicyRefusal, check_dev_post, default_storage, storage_kind


def xml_response(status: int, root: str, **elements: str) -> HttpResponse:
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in elements.items())
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{body}</{root}>',
        status=status,
        content_type="application/xml",
    )


def s3_error(status: int, code: str, message: str) -> HttpResponse:
    return xml_response(status, "Error", Code=code, Message=message)


def dev_upload(request: HttpRequest) -> HttpResponse:
    """Store one file POSTed the way a browser posts to S3, enforcing the signed policy."""
    if storage_kind() != "dev":
        return s3_error(404, "NotFound", "The dev endpoint serves only a FileSystemStorage.")
    if request.method != "POST":
        return s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
    upload = request.FILES.get("file")
    if upload is None or len(request.FILES) != 1:
        return s3_error(400, "InvalidArgument", "POST requires exactly one file upload.")
    try:
        key = check_dev_post(request.POST.dict(), upload.size)
    except PolicyRefusal as refusal:
        return s3_error(refusal.status, refusal.code, refusal.message)
    if checksum := request.POST.get(CHECKSUM_FIELD):
        digest = hashlib.sha1(usedforsecurity=False)
        for chunk in upload.chunks():
            digest.update(chunk)
        if base64.b64encode(digest.digest()).decode() != checksum:
            return s3_error(
                400, "BadDigest", "The SHA1 you specified did not match the calculated checksum."
            )
    key = key.replace("${filename}", upload.name)
    storage = default_storage()
    try:
        storage.delete(key)  # S3 overwrites an existing key
        storage.save(key, upload)
    except SuspiciousFileOperation:
        return s3_error(400, "InvalidArgument", "The key is not a valid object name.")
    return xml_response(201, "PostResponse", Location=storage.url(key), Key=key)
