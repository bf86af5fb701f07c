"""The dev endpoint: an S3 stand-in for presigned POSTs while the default storage is local."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousFileOperation,
    SuspiciousOperation,
)
from django.http import HttpRequest, HttpResponse, JsonResponse

from . import conf
from .dev import DevBackend, PolicyRefusal, check_part_signature, check_post
from .multipart import (
    MAX_OBJECT_SIZE,
    MultipartError,
    Upload,
    backend,
    part_size,
    sign_upload,
    unsign_upload,
)
from .policy import (
    CHECKSUM_FIELD,
    condition_met,
    default_storage,
    storage_kind,
)
from .signing import SignatureExpired, check_key, check_key_shape, unsign_grant

logger = logging.getLogger("s3file")
#: Part URLs one request may ask for.
MAX_SIGN_BATCH = 1000


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
        key = check_post(request.POST.dict(), upload.size)
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
        # Checked before the disk is touched: the policy only fixes the key's start.
        check_key_shape(key)
        if Path(storage.path(key)).is_dir():
            raise SuspiciousFileOperation("a folder")
        storage.delete(key)  # S3 overwrites an existing key
        storage.save(key, upload)
    except (SuspiciousOperation, OSError):
        return s3_error(400, "InvalidArgument", "The key is not a valid object name.")
    return xml_response(201, "PostResponse", Location=storage.url(key), Key=key)


def multipart(request: HttpRequest, action: str) -> HttpResponse:
    """The JSON endpoints a browser drives a multipart upload with (see README).

    Every refusal is a 4xx with ``{"error": <sentence>, "code": <kind>}``; a storage failure a
    502. Only a valid, unexpired grant may create an upload, and only a key inside its folder;
    later calls carry the signed handle ``create`` returned. Only JSON is accepted: another
    site's page cannot send it without a CORS preflight, which this server never grants, so
    these endpoints need no CSRF token.
    """
    if request.method != "POST":
        return refusal(405, "Use POST.", "method")
    if request.content_type != "application/json":
        return refusal(415, "Send JSON.", "content-type")
    if not conf.get("S3FILE_MULTIPART_THRESHOLD") or action not in MULTIPART_ACTIONS:
        return refusal(404, "No such endpoint.", "action")
    try:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        if action == "create":
            grant = unsign_grant(str(data["token"]))
            key = check_key(str(data["key"]), grant.folder)
            size = int(data["size"])
            content_type = str(data.get("contentType") or "application/octet-stream")
        else:
            upload = unsign_upload(str(data["upload"]))
            numbers = part_numbers(data["parts"], upload) if action == "sign" else []
    except RequestDataTooBig:
        return refusal(400, "Malformed request.", "malformed")
    except SuspiciousOperation as e:
        logger.warning("Refused multipart %s: %s", action, e)
        code = "expired" if isinstance(e, SignatureExpired) else "forbidden"
        return refusal(403, str(e).removeprefix("s3file: "), code)
    except (KeyError, ValueError, TypeError, OverflowError):
        return refusal(400, "Malformed request.", "malformed")
    try:
        store = backend(default_storage())
        if action == "create":
            if not 0 < size <= min(grant.max_size, MAX_OBJECT_SIZE):
                raise MultipartError(
                    400, "The file is larger than this field allows.", "too-large"
                )
            if not condition_met(grant.content_type, content_type):
                raise MultipartError(403, "This field does not accept this type of file.", "type")
            created = Upload(key, store.create(key, content_type), size, part_size(size))
            return JsonResponse(
                {
                    "upload": sign_upload(created),
                    "partSize": created.part_size,
                    "parts": created.parts,
                }
            )
        if action == "sign":
            urls = store.part_urls(upload, numbers)
            return JsonResponse({"urls": {str(n): url for n, url in urls.items()}})
        if action == "list":
            parts = [
                {"partNumber": p["partNumber"], "size": p["size"]}
                for p in store.list_parts(upload)
            ]
            return JsonResponse({"parts": parts})
        if action == "complete":
            store.complete(upload)
            return JsonResponse({"key": upload.key})
        store.abort(upload)
        return JsonResponse({})
    except MultipartError as e:
        return refusal(e.status, e.message, e.code)


MULTIPART_ACTIONS = {"create", "sign", "list", "complete", "abort"}


def refusal(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def part_numbers(value: Any, upload: Upload) -> list[int]:
    """The part numbers a ``sign`` request names: a list of 1 to 1000 of the upload's parts."""
    if not isinstance(value, list) or not 0 < len(value) <= MAX_SIGN_BATCH:
        raise ValueError("parts must be a list of 1 to 1000 numbers")
    numbers = [int(n) for n in value]
    if not all(1 <= n <= upload.parts for n in numbers):
        raise ValueError("no such part")
    return numbers


def dev_part(request: HttpRequest) -> HttpResponse:
    """Store one part PUT to a URL ``DevBackend.part_urls`` signed, as S3 would."""
    if storage_kind() != "dev":
        return s3_error(404, "NotFound", "The dev endpoint serves only a FileSystemStorage.")
    if request.method != "PUT":
        return s3_error(405, "MethodNotAllowed", "The specified method is not allowed.")
    try:
        handle, number = request.GET["upload"], int(request.GET["partNumber"])
        check_part_signature(handle, number, int(request.GET["expires"]), request.GET["signature"])
        upload = unsign_upload(handle)
        if not 1 <= number <= upload.parts:
            raise MultipartError(400, "Part number out of range.", "InvalidArgument")
        etag = DevBackend(default_storage()).write_part(
            upload, number, request, request.headers.get("Content-MD5", "")
        )
    except MultipartError as e:
        return s3_error(e.status, e.code, e.message)
    except (KeyError, ValueError, SuspiciousOperation):
        return s3_error(400, "InvalidArgument", "Malformed part upload.")
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response
