"""The dev endpoint: an S3 stand-in for presigned POSTs while the default storage is local."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse

from .multipart import (
    MAX_OBJECT_SIZE,
    DevBackend,
    MultipartError,
    Upload,
    backend,
    check_part_signature,
    part_size,
    sign_upload,
    unsign_upload,
)
from .policy import (
    CHECKSUM_FIELD,
    PolicyRefusal,
    check_dev_post,
    condition_met,
    default_storage,
    storage_kind,
)
from .signing import check_key, check_key_shape, unsign_grant

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
    later calls carry the signed handle ``create`` returned.
    """
    if request.method != "POST":
        return JsonResponse({"error": "Use POST.", "code": "method"}, status=405)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return JsonResponse(multipart_action(action, data))
    except MultipartError as e:
        return JsonResponse({"error": e.message, "code": e.code}, status=e.status)
    except SuspiciousOperation as e:
        logger.warning("Refused multipart %s: %s", action, e)
        code = "expired" if "expired" in str(e) else "forbidden"
        return JsonResponse({"error": str(e).removeprefix("s3file: "), "code": code}, status=403)
    except (KeyError, ValueError, TypeError, OverflowError):
        return JsonResponse({"error": "Malformed request.", "code": "malformed"}, status=400)


def multipart_action(action: str, data: dict) -> dict:
    store = backend(default_storage())
    if action == "create":
        grant = unsign_grant(str(data["token"]))
        key = check_key(str(data["key"]), grant.folder)
        size = int(data["size"])
        content_type = str(data.get("contentType") or "application/octet-stream")
        if not 0 < size <= min(grant.max_size, MAX_OBJECT_SIZE):
            raise MultipartError(400, "The file is larger than this field allows.", "too-large")
        if not condition_met(grant.content_type, content_type):
            raise MultipartError(403, "This field does not accept this type of file.", "type")
        upload = Upload(key, store.create(key, content_type), size, part_size(size))
        return {"upload": sign_upload(upload), "partSize": upload.part_size, "parts": upload.parts}
    if action not in {"sign", "list", "complete", "abort"}:
        raise MultipartError(404, "No such action.", "action")
    upload = unsign_upload(str(data["upload"]))
    if action == "sign":
        if not isinstance(data["parts"], list):
            raise TypeError("parts must be a list")
        numbers = [int(n) for n in data["parts"]]
        if not 0 < len(numbers) <= MAX_SIGN_BATCH or not all(
            1 <= n <= upload.parts for n in numbers
        ):
            raise MultipartError(400, "No such parts in this upload.", "parts")
        return {"urls": {str(n): url for n, url in store.part_urls(upload, numbers).items()}}
    if action == "list":
        parts = store.list_parts(upload)
        return {"parts": [{"partNumber": p["partNumber"], "size": p["size"]} for p in parts]}
    if action == "complete":
        store.complete(upload)
        return {"key": upload.key}
    store.abort(upload)
    return {}


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
