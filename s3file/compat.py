"""Every private name of Django and django-storages that s3file touches, in one place,
checked at start-up.

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

``check_private_api`` (``s3file.E002``) names what moved, should a release rename one.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import get_version
from django.core.checks import CheckMessage, Error, register
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.forms.widgets import ClearableFileInput
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware import csrf
from django.utils.datastructures import MultiValueDict

#: The releases these names were checked against.
EXPECTED = "Django 5.2 to 6.1, django-storages 1.14"
LOAD = "_load_post_and_files"


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


def moved() -> list[str]:
    """The private names above that this Django no longer has as s3file uses them."""
    form = {"CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": "3"}
    request = WSGIRequest({**form, "REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(b"a=1")})
    seen: list[object] = []
    with contextlib.suppress(AttributeError):
        on_body_parsed(request, lambda r: seen.append(parsed(r)[0].get("a")))
        request.POST  # noqa: B018 (parses, through the wrapper)
    methods = [(ASGIRequest, LOAD), (HttpRequest, LOAD), (csrf.CsrfViewMiddleware, "_get_secret")]
    found = {
        "HttpRequest._post": seen == ["1"],
        "HttpRequest._files": isinstance(getattr(request, "_files", None), MultiValueDict),
        "QueryDict._mutable": getattr(QueryDict(), "_mutable", None) is False,
        "ClearableFileInput.__bases__": isinstance(ClearableFileInput.__bases__, tuple),
    }
    with contextlib.suppress(ImportError):  # django-storages is optional (the "s3" extra)
        from storages.backends.s3 import S3File, S3Storage

        methods += [(S3Storage, "_normalize_name"), (S3Storage, "_get_write_parameters")]
        found["S3File._storage"] = "_storage" in S3File.__init__.__code__.co_names
    found |= {
        f"{cls.__name__}.{name}": callable(getattr(cls, name, None)) for cls, name in methods
    }
    return [name for name, present in found.items() if not present]


@register()
def check_private_api(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            f"s3file relies on {name}, which Django {get_version()} or the installed "
            f"django-storages no longer has as expected ({EXPECTED}).",
            hint="Use releases s3file supports, or an s3file release for these.",
            id="s3file.E002",
        )
        for name in moved()
    ]
