"""The private names of Django and django-storages s3file touches (``s3file/compat.py``), each
used as s3file uses it: a release that moves one fails here, on every leg of the CI matrix."""

from __future__ import annotations

import io

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.forms.widgets import ClearableFileInput
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory
from django.utils.datastructures import MultiValueDict

from s3file.compat import add_base, csrf_secret, mutable, on_body_parsed, parsed
from s3file.forms import S3FileInputMixin

FORM = b"a=1&b=2"


def wsgi_request() -> WSGIRequest:
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(FORM)),
        "wsgi.input": io.BytesIO(FORM),
    }
    return WSGIRequest(environ)


def asgi_request() -> ASGIRequest:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(FORM)).encode()),
        ],
    }
    return ASGIRequest(scope, io.BytesIO(FORM))


@pytest.mark.parametrize("make", [wsgi_request, asgi_request], ids=["wsgi", "asgi"])
def test_the_hook_runs_once_django_has_parsed_the_body_and_sees_what_it_parsed(make):
    """``HttpRequest._load_post_and_files``, wrapped; ``_post`` and ``_files``, read."""
    request: HttpRequest = make()
    seen = []

    def then(parsed_request):
        post, files = parsed(parsed_request)
        seen.append((dict(post.items()), isinstance(files, MultiValueDict)))

    on_body_parsed(request, then)
    assert seen == []  # nothing is parsed before something reads POST or FILES
    assert request.POST["a"] == "1"
    request.FILES  # noqa: B018 (parsed already: the hook does not run again)

    assert seen == [({"a": "1", "b": "2"}, True)]


def test_a_parsed_post_changes_inside_mutable_only():
    """``QueryDict._mutable``."""
    post = QueryDict("a=1")
    with mutable(post) as changing:
        changing["b"] = "2"
    assert post.dict() == {"a": "1", "b": "2"}
    with pytest.raises(AttributeError):
        post["c"] = "3"


def test_the_csrf_secret_comes_from_meta_or_else_from_the_cookie():
    """``request.META["CSRF_COOKIE"]`` and ``CsrfViewMiddleware._get_secret``."""
    factory = RequestFactory()
    in_meta = factory.get("/")
    in_meta.META["CSRF_COOKIE"] = "m" * 32
    # No CSRF_COOKIE in META: CsrfViewMiddleware._get_secret reads the cookie.
    from_cookie = factory.get("/", HTTP_COOKIE="csrftoken=" + "c" * 32)

    assert csrf_secret(in_meta) == "m" * 32
    assert csrf_secret(from_cookie) == "c" * 32
    assert csrf_secret(factory.get("/")) == ""


def test_the_mixin_goes_into_clearable_file_input_once():
    """``ClearableFileInput.__bases__``."""
    before = ClearableFileInput.__bases__
    assert S3FileInputMixin in before  # installed by the app's ready()
    add_base(ClearableFileInput, S3FileInputMixin)
    assert ClearableFileInput.__bases__ == before


def test_django_storages_names_the_key_and_the_write_parameters_as_expected():
    """``S3Storage._normalize_name`` and ``._get_write_parameters``, which
    ``S3OptimizedUploadStorage`` copies with."""
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name="b",
        location="media",
        default_acl="private",
        object_parameters={"CacheControl": "max-age=60"},
    )

    assert storage._normalize_name("docs/a.txt") == "media/docs/a.txt"
    params = storage._get_write_parameters("media/docs/a.txt")
    assert params["ContentType"] == "text/plain"
    assert params["ACL"] == "private"
    assert params["CacheControl"] == "max-age=60"


def test_an_s3_file_knows_its_storage():
    """``S3File._storage``: whether a server-side copy can reach another S3 file."""
    from storages.backends.s3 import S3File, S3Storage

    storage = S3Storage(bucket_name="b")
    assert S3File("a.txt", "wb", storage)._storage is storage
