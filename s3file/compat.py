"""Every private name of Django and django-storages that s3file touches, in one place.

- ``HttpRequest._load_post_and_files``: the method that parses a body; the middleware wraps
  it, so ``request.FILES`` gains the uploads exactly when Django parses, never earlier.
- ``HttpRequest._post`` and ``._files``: what that method fills (``request.POST`` and
  ``request.FILES`` would call it again from inside).
- ``QueryDict._mutable``: to move the posted keys out of an immutable ``request.POST``.
- ``ClearableFileInput.__bases__``: the widget mixin goes in front of its bases, so every
  clearable file input (model forms, the admin, third-party widgets) uploads directly.
- ``request.META["CSRF_COOKIE"]`` and ``CsrfViewMiddleware._get_secret``: the browser's
  CSRF secret, which a grant is bound to (hashed, see ``rules.binding``). ``get_token()`` and
  ``CsrfViewMiddleware`` keep it in META; ``_get_secret`` reads it from the cookie (or the
  session) for the endpoints, when the CSRF middleware comes after s3file's.
- django-storages (``S3OptimizedUploadStorage``, which subclasses its ``S3Storage``):
  ``S3Storage._normalize_name`` and ``._get_write_parameters``, the key and the write
  parameters (ContentType, ACL, ``object_parameters``) its own ``_save`` would use, so a copy
  lands exactly as an upload would; ``S3File._storage``, the storage of another S3 file, to
  tell whether a server-side copy can reach it.

``tests/test_compat.py`` uses each of them as s3file does, so the CI matrix (every supported
Django, the newest django-storages) fails on a release that moves one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware import csrf
from django.utils.datastructures import MultiValueDict


def on_body_parsed(request: HttpRequest, then: Callable[[HttpRequest], None]) -> None:
    """Call ``then(request)`` right after Django parses the request's body (lazily, when
    something first reads ``POST`` or ``FILES``)."""
    load = request._load_post_and_files

    def load_post_and_files() -> None:
        load()
        then(request)

    request._load_post_and_files = load_post_and_files  # type: ignore[method-assign]


def parsed(request: HttpRequest) -> tuple[QueryDict, MultiValueDict[str, Any]]:
    """``request.POST`` and ``request.FILES`` as parsed, from inside ``on_body_parsed``."""
    return request._post, request._files  # type: ignore[attr-defined]


@contextmanager
def mutable(query: QueryDict) -> Iterator[QueryDict]:
    """``query``, changeable inside the ``with`` block (Django's parsed POST is not)."""
    query._mutable = True
    try:
        yield query
    finally:
        query._mutable = False


def csrf_secret(request: HttpRequest) -> str:
    """The browser's CSRF secret as Django's CSRF middleware sees it; "" if it has none."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        middleware = csrf.CsrfViewMiddleware(lambda request: HttpResponse())
        with contextlib.suppress(csrf.InvalidTokenFormat):
            secret = middleware._get_secret(request)  # type: ignore[attr-defined]
    return str(secret or "")


def add_base(cls: type, mixin: type) -> None:
    """Put ``mixin`` first in ``cls``'s bases, once; a second call does nothing."""
    # A subclass listing the mixin itself would make its MRO impossible, hence the patch.
    if mixin not in cls.__mro__:
        cls.__bases__ = (mixin, *cls.__bases__)
