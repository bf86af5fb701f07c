"""Turn the keys the script posts back into ``request.FILES``, lazily; serve the dev endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve

from . import conf
from .files import S3UploadedFile
from .policy import default_storage, storage_kind
from .signing import check_key, unsign_folder

logger = logging.getLogger("s3file")

#: Name of the POST field the script adds once per uploaded input; its values are field names.
MARKER = "s3file"
SIGNATURE_SUFFIX = "-s3f-signature"


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

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        if (response := self.dev_endpoint(request)) is not None:
            return response
        self.hook(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        from asgiref.sync import sync_to_async

        if (response := await sync_to_async(self.dev_endpoint)(request)) is not None:
            return response
        self.hook(request)
        return await self.get_response(request)  # type: ignore[misc]

    @staticmethod
    def dev_endpoint(request: HttpRequest) -> HttpResponseBase | None:
        """Answer requests to the dev S3 endpoint while the default storage is local."""
        prefix = "/" + conf.get("S3FILE_DEV_ENDPOINT_PATH")
        if not request.path_info.startswith(prefix) or storage_kind() != "dev":
            return None
        try:
            match = resolve(request.path_info[len(prefix) - 1 :], urlconf="s3file.urls")
        except Resolver404:
            return None
        return match.func(request, *match.args, **match.kwargs)

    @staticmethod
    def hook(request: HttpRequest) -> None:
        if request.method != "POST":
            return
        load = request._load_post_and_files

        def load_post_and_files() -> None:
            load()
            if MARKER in request._post:
                add_uploaded_files(request)

        # Django parses the body lazily through this method; wrapping it keeps that laziness.
        request._load_post_and_files = load_post_and_files


def add_uploaded_files(request: HttpRequest) -> None:
    """Put an ``S3UploadedFile`` into ``request.FILES`` for every key the script posted."""
    storage = default_storage()
    for field in dict.fromkeys(request._post.getlist(MARKER)):
        try:
            folder = unsign_folder(request._post.get(field + SIGNATURE_SUFFIX, ""))
            keys = [check_key(key, folder) for key in request._post.getlist(field)]
        except SuspiciousOperation as e:
            logger.warning("Refused uploaded files for field %r: %s", field, e)
            raise
        request._files.setlist(field, [S3UploadedFile(storage, key) for key in keys])
