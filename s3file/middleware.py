"""Turn the keys the script posts back into ``request.FILES``, lazily; serve the dev endpoint."""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from pathlib import Path
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from . import conf
from .after_response import collected, run_after_response
from .backends import default_storage, local_backend
from .compat import mutable, on_body_parsed, parsed
from .files import MISSING, S3UploadedFile, UnusableUpload
from .rules import Refused, check_binding, check_key, posted_lifetime, unsign_grant

logger = logging.getLogger("s3file")

MIDDLEWARE_PATH = "s3file.middleware.S3FileMiddleware"
#: Name of the POST field the script adds once per uploaded input; its values are field names.
MARKER = "s3file"
SIGNATURE_SUFFIX = "-s3f-signature"
#: Suffix of the POST field whose values are "<sha1 hex>:<key>": the SHA-1 the script
#: computed of a file it sent in parts (``S3UploadedFile.stated_sha1``).
SHA1_SUFFIX = "-s3f-sha1"
SHA1_HEX = re.compile(r"[0-9a-f]{40}")
#: The request ``S3FileMiddleware`` is handling in this thread or task, if any (widgets render
#: without one, and a grant is bound to the browser that asked for the page).
REQUEST: ContextVar[HttpRequest | None] = ContextVar("s3file_request", default=None)
#: Set on a request that carried keys its grants do not allow in their field or browser.
REFUSED = "_s3file_refused"
#: The direct-upload fields a request posted a file's bytes to (``bytes_posted``).
BYTES_POSTED = "_s3file_bytes_posted"
#: The response header that names them while ``DEBUG`` is on.
WARNING_HEADER = "S3File-Warning"


class S3FileMiddleware:
    """Add files uploaded straight to storage to ``request.FILES``.

    The request body is not touched here: parsing happens when the view (or the CSRF
    middleware) first reads ``request.POST`` or ``request.FILES``, exactly as without this
    middleware, and only a body that carries the script's marker costs any further work.
    A view reading ``request.body`` or setting ``request.upload_handlers`` keeps working.
    """

    sync_capable = True
    async_capable = True

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponseBase]
        | Callable[[HttpRequest], Awaitable[HttpResponseBase]],
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        get_response = cast(Callable[[HttpRequest], HttpResponseBase], self.get_response)
        on_endpoint = request.path_info.startswith(conf.endpoint_prefix())
        if on_endpoint:
            response = endpoint(request)
            if response is not None:
                return response
        current = REQUEST.set(request)  # for the grants rendered in this request
        try:
            if request.method != "POST":  # no files, nothing to clean up: the common case
                return get_response(request)
            on_body_parsed(request, add_uploaded_files)
            with collected() as pending:
                response = get_response(request)
            return finished(request, run_after_response(pending, response))
        finally:
            REQUEST.reset(current)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        """A view that reads an upload it cannot use itself (not through a form, which shows
        the error on its field) gets a 400 saying why, not a 500 (503: storage down)."""
        if isinstance(exception, FileNotFoundError):
            exception = missing_pending(exception)
        if not isinstance(exception, UnusableUpload):
            return None
        message = " ".join(exception.messages)
        logger.warning("Answered %s to %s: %s", exception.status, request.path, message)
        return HttpResponse(message, status=exception.status, content_type="text/plain")

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        get_response = cast(
            Callable[[HttpRequest], Awaitable[HttpResponseBase]], self.get_response
        )
        on_endpoint = request.path_info.startswith(conf.endpoint_prefix())
        if on_endpoint:
            response = await sync_to_async(endpoint)(request)
            if response is not None:
                return response
        current = REQUEST.set(request)
        try:
            if request.method != "POST":
                return await get_response(request)
            on_body_parsed(request, add_uploaded_files)
            with collected() as pending:
                response = await get_response(request)
            if pending:
                await sync_to_async(run_after_response)(pending, response)
            return finished(request, response)
        finally:
            REQUEST.reset(current)


def missing_pending(error: FileNotFoundError) -> Exception:
    """``error`` as the "no longer in storage" answer if the file it missed was a pending
    upload of the dev storage: ``FileSystemStorage`` moving one that vanished since its
    check (deleted, expired, or taken by another request). Any other stays a 500."""
    found = local_backend()
    if found is None or not isinstance(error.filename, str):
        return error
    pending = Path(found.pending_root).resolve()
    if not Path(error.filename).resolve().is_relative_to(pending):
        return error
    name = Path(error.filename).name
    return UnusableUpload(MISSING, code="missing", params={"name": name})


def finished(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """A view's success answer to a request that carried keys of another field or browser
    becomes a 400: the form it shows says which file, and keeps the rest of the input. While
    ``DEBUG`` is on, the answer names the direct-upload fields that received bytes."""
    if getattr(request, REFUSED, False) and 200 <= response.status_code < 300:
        response.status_code = 400
    fields = getattr(request, BYTES_POSTED, None)
    if fields and settings.DEBUG:
        # Header values are Latin-1: escape what a field name has beyond ASCII.
        names = ", ".join(ascii(field) for field in sorted(fields))
        response.headers[WARNING_HEADER] = (
            f"file bytes posted to direct-upload field(s) {names}: "
            "the s3file script did not run (is {{ form.media }} in the template?)"
        )
    return response


def bytes_posted(field: str, name: str) -> None:
    """Say that direct-upload field ``field`` received the bytes of file ``name`` instead of
    a key: the script never ran (the template lacks ``{{ form.media }}``, or the page blocked
    the script), so the file went through Django, the slow way.

    A warning on the ``s3file`` logger, once per field and request; while ``DEBUG`` is on,
    also a Django message (when ``django.contrib.messages`` is set up) and an
    ``S3File-Warning`` header on the response.
    """
    request = REQUEST.get()
    fields: set[str] = getattr(request, BYTES_POSTED, set())
    if field in fields:
        return
    fields.add(field)
    logger.warning(
        "Field %r received the bytes of %r instead of an S3 key: the s3file script did not "
        "run, so the file went through Django. Render {{ form.media }} in the form's "
        "template, and check the browser's console for errors.",
        field,
        name,
    )
    if request is None:
        return
    setattr(request, BYTES_POSTED, fields)
    if settings.DEBUG:
        message = gettext(
            "“%(name)s” was sent through Django, not uploaded straight to storage: the "
            "upload script did not run on this page. Add {{ form.media }} to the template."
        ) % {"name": name}
        messages.warning(request, message, fail_silently=True)


def endpoint(request: HttpRequest) -> HttpResponseBase | None:
    """Answer a request to one of s3file's own endpoints (``s3file.urls``), or return None."""
    try:
        match = resolve(
            request.path_info[len(conf.endpoint_prefix()) - 1 :], urlconf="s3file.urls"
        )
    except Resolver404:
        return None
    response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
    return response


def add_uploaded_files(request: HttpRequest) -> None:
    """Move the keys the script posted from ``request.POST`` into ``request.FILES``.

    Refuses (``SuspiciousOperation``, which Django answers with a 400) a forged or expired
    signature, a key outside its signed folder, a key posted twice (each repeat would be
    copied), and more files than ``DATA_UPLOAD_MAX_NUMBER_FILES`` allows. A key whose grant
    was rendered for another field or in another browser (``rules.check_binding``) is logged
    and comes as a file that fails its form field's validation, untouched in storage; the
    response is then a 400.
    """
    post, files = parsed(request)
    # A field of the project's own may be called "s3file": only fields signed for are ours.
    fields = [f for f in dict.fromkeys(post.getlist(MARKER)) if f + SIGNATURE_SUFFIX in post]
    if not fields:
        return
    uploads: dict[str, list[S3UploadedFile]] = {}
    storage = default_storage()
    for field in fields:
        try:
            # A resumed multipart upload lies in the folder of the page it started on, so a
            # field may carry several signatures; each key must lie in one of their folders.
            posted = post.getlist(field + SIGNATURE_SUFFIX)
            grants = [unsign_grant(value, max_age=posted_lifetime()) for value in posted]
            keys = [check_key(key, [g.folder for g in grants]) for key in post.getlist(field)]
        except SuspiciousOperation as e:
            logger.warning("Refused uploaded files for field %r: %s", field, e)
            raise
        uploads[field] = []
        stated = stated_sha1s(post.getlist(field + SHA1_SUFFIX))
        for key in keys:
            upload = S3UploadedFile(storage, key)
            upload.stated_sha1 = stated.get(key, "")
            grant = next(g for g in grants if key.startswith(g.folder + "/"))
            try:
                check_binding(grant, field, request)
            except Refused as e:
                logger.warning("Refused uploaded file %r for field %r: %s", key, field, e)
                setattr(request, REFUSED, True)
                upload.refuse(e.code)
            upload.add_limit(grant.max_size, grant.accept)  # checked when read
            upload.folder = grant.folder
            uploads[field].append(upload)
    counts = Counter(upload.key for uploaded in uploads.values() for upload in uploaded)
    repeated = sorted(key for key, count in counts.items() if count > 1)
    if repeated:
        # Each repeat would be copied in storage: one upload must not cost a copy per repeat.
        logger.warning("Refused a request posting uploaded files more than once: %s", repeated)
        raise Refused("repeated", f"key {repeated[0]!r} posted more than once")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    count = sum(map(len, uploads.values())) + len(files)
    if limit is not None and count > limit:
        raise TooManyFilesSent(
            "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
        )
    with mutable(post):
        post.setlist(MARKER, [f for f in post.getlist(MARKER) if f not in uploads])
        if not post.getlist(MARKER):
            del post[MARKER]
        for field, uploaded in uploads.items():
            post.pop(field, None)
            post.pop(field + SIGNATURE_SUFFIX, None)
            post.pop(field + SHA1_SUFFIX, None)
            files.setlist(field, uploaded)


def stated_sha1s(values: list[str]) -> dict[str, str]:
    """The SHA-1s posted as "<sha1 hex>:<key>", by key; a malformed value is ignored (the
    file is then hashed by reading it, as one posted without)."""
    found = {}
    for value in values:
        digest, _, key = value.partition(":")
        if SHA1_HEX.fullmatch(digest) and key:
            found[key] = digest
    return found


def middleware_installed() -> bool:
    """Whether ``S3FileMiddleware`` (or a subclass) is in ``MIDDLEWARE``."""
    return _installed(tuple(settings.MIDDLEWARE))


@functools.cache
def _installed(middleware: tuple[str, ...]) -> bool:
    # Cached by the list itself: every rendered input asks, and imports are not free.
    return MIDDLEWARE_PATH in middleware or any(
        isinstance(cls := import_string(path), type) and issubclass(cls, S3FileMiddleware)
        for path in middleware
    )
