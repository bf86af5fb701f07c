"""The multipart API: the JSON endpoints a browser drives a large upload with (see
docs/multipart.md), against S3 (the dev storage takes one POST of any size it allows, and no
parts); the backend does the storage's part of each step.

Every refusal is a 4xx with ``{"error": <sentence>, "code": <kind>}``; a storage failure a
502 (the backend raises storage errors; they become these answers here). Only a valid,
unexpired grant may create an upload, and only what the grant allows
(``rules.check_upload``); later calls carry the signed handle ``create`` returned. Only JSON
is accepted: another site's page cannot send it without a CORS preflight, which this server
never grants, so these endpoints need no CSRF token.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse

from . import conf
from .api import check_requester
from .backends import Missing, MultipartBackend, Rejected, Unavailable, backend
from .multipart import (
    MultipartError,
    Upload,
    check_complete,
    part_md5s,
    part_size,
    sign_upload,
    unsign_upload,
)
from .rules import Refused, check_upload, content_length, unsign_grant
from .signing import SignatureExpired

logger = logging.getLogger("s3file")
#: Part URLs ``create`` signs at once (the script asks for as many per ``sign``).
FIRST_URLS = 20
#: Part URLs one request may ask for.
MAX_SIGN_BATCH = 1000
#: The largest JSON body an action takes: ``complete`` posts an MD5 per part, 10,000 of
#: them some 270 KB (1000 part numbers to ``sign`` need some 6 KB).
MAX_BODY = 384 * 1024
Data = dict[str, Any]
#: The answer when the middleware order keeps the browser's CSRF secret out of reach.
MISCONFIGURED = (
    "The site cannot check this upload: with CSRF_USE_SESSIONS, S3FileMiddleware must come "
    "after SessionMiddleware in MIDDLEWARE (system check s3file.E003)."
)
#: What a refusal of the rules answers: status, sentence, code.
REFUSALS = {
    "too-large": (400, "The file is larger than this field allows.", "too-large"),
    "type": (403, "This field does not accept this type of file.", "type"),
}


def create(store: MultipartBackend[Any], data: Data, request: HttpRequest) -> Data:
    grant = unsign_grant(str(data["token"]))
    key = str(data["key"])
    size = int(data["size"])
    content_type = str(data.get("contentType") or "application/octet-stream")
    if size <= 0:
        raise ValueError("an empty file needs no multipart upload")
    check_requester(grant.binding, request)
    kept = check_upload(grant, key, size, content_type, by_name=store.by_name)
    upload_id, etag_md5 = store.create(key, kept)
    content_md5 = conf.get("S3FILE_MULTIPART_CONTENT_MD5") or not etag_md5
    created = Upload(key, upload_id, size, part_size(size), grant.binding, content_md5)
    # The first parts' URLs too: the browser can start sending without another round trip.
    first = store.part_urls(created, list(range(1, min(created.parts, FIRST_URLS) + 1)))
    body = {"upload": sign_upload(created), "partSize": created.part_size, "parts": created.parts}
    return {**body, "contentMd5": content_md5, "urls": first}


def sign(store: MultipartBackend[Any], upload: Upload, data: Data) -> Data:
    """The URLs of the parts ``data`` names: a list of 1 to 1000 of the upload's parts."""
    numbers = [int(n) for n in data["parts"]] if isinstance(data["parts"], list) else []
    if not 0 < len(numbers) <= MAX_SIGN_BATCH or not all(1 <= n <= upload.parts for n in numbers):
        raise ValueError("parts must list 1 to 1000 of the upload's part numbers")
    return {"urls": store.part_urls(upload, numbers)}


def list_parts(store: MultipartBackend[Any], upload: Upload, data: Data) -> Data:
    parts = [{"partNumber": p["partNumber"], "size": p["size"]} for p in store.list_parts(upload)]
    return {"parts": parts, "contentMd5": upload.content_md5}


def complete(store: MultipartBackend[Any], upload: Upload, data: Data) -> Data:
    md5 = part_md5s(data.get("md5"), upload)
    store.complete(upload, check_complete(upload, store.list_parts(upload), store.abort, md5))
    return {"key": upload.key}


def abort(store: MultipartBackend[Any], upload: Upload, data: Data) -> Data:
    store.abort(upload)
    return {}


#: The actions on an upload ``create`` started, which name it by its signed handle.
ACTIONS = {"sign": sign, "list": list_parts, "complete": complete, "abort": abort}


def multipart(request: HttpRequest, action: str) -> HttpResponse:
    """Serve one action of the multipart API (``create`` or one of ``ACTIONS``)."""
    if request.method != "POST":
        return refusal(405, "Use POST.", "method")
    if request.content_type != "application/json":
        return refusal(415, "Send JSON.", "content-type")
    store = backend()
    known = action == "create" or action in ACTIONS
    # Only S3 takes parts; the dev storage takes one POST of any size it allows.
    if not isinstance(store, MultipartBackend) or not known:
        return refusal(404, "No such endpoint.", "action")
    if not conf.get("S3FILE_MULTIPART_THRESHOLD"):
        return refusal(404, "No such endpoint.", "action")
    if content_length(request) > MAX_BODY:
        return refusal(413, "Malformed request.", "malformed")
    try:
        data = json.loads(request.body)
        if action == "create":
            return JsonResponse(create(store, data, request))
        # The handle create signed; only the browser (or API user) that started it may go on.
        upload = unsign_upload(str(data["upload"]))
        check_requester(upload.binding, request)
        return JsonResponse(ACTIONS[action](store, upload, data))
    except MultipartError as e:
        return refusal(e.status, e.message, e.code, e.parts)
    except Missing:
        return refusal(404, "This upload no longer exists.", "missing")
    except Unavailable:
        logger.warning("Storage unavailable for multipart %s", action, exc_info=True)
        return refusal(502, "The storage server could not be reached.", "refused")
    except Rejected:
        logger.warning("Storage refused multipart %s", action, exc_info=True)
        return refusal(502, "The storage server refused the request.", "refused")
    # TypeError too: a body that is no JSON object. RecursionError: JSON nested deeper than
    # the parser goes (a few hundred bytes of "[").
    except (RequestDataTooBig, KeyError, ValueError, TypeError, OverflowError, RecursionError):
        return refusal(400, "Malformed request.", "malformed")
    except ImproperlyConfigured as e:
        # The CSRF secret is in a session this middleware order does not have yet: the
        # system check s3file.E003 says so at start-up; a 4xx, never a 500, if it is ignored.
        logger.error("Multipart %s cannot check the browser: %s (s3file.E003)", action, e)
        return refusal(403, MISCONFIGURED, "misconfigured")
    except SuspiciousOperation as e:
        if isinstance(e, Refused) and e.code in REFUSALS:
            return refusal(*REFUSALS[e.code])
        logger.warning("Refused multipart %s: %s", action, e)
        code = "expired" if isinstance(e, SignatureExpired) else "forbidden"
        return refusal(403, str(e).removeprefix("s3file: "), code)


def refusal(status: int, message: str, code: str, parts: list[int] | None = None) -> JsonResponse:
    extra = {"parts": parts} if parts else {}
    return JsonResponse({"error": message, "code": code, **extra}, status=status)
