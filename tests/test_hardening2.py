"""Issue 20 (hardening, second round), against SeaweedFS and the dev endpoint alike: each test
runs on both, through HTTP as the script speaks it (``tests.hardening``)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.hardening import dev_post, render, s3_post, submit

pytestmark = pytest.mark.django_db


class Site:
    """The hardening site on one storage: upload as the browser would, and look inside."""

    def __init__(self, kind: str, request: pytest.FixtureRequest) -> None:
        self.kind = kind
        if kind == "s3":
            self.bucket = request.getfixturevalue("s3")
        else:
            self.root = request.getfixturevalue("dev_storage")
            #: Where the dev endpoint keeps uploads until a form takes them.
            self.pending = request.getfixturevalue("dev_pending")

    def upload(self, client: Any, attrs: dict[str, str], name: str, body: bytes) -> str:
        """Upload ``body`` as the input ``attrs`` lets the browser; the key."""
        if self.kind == "s3":
            status, key = s3_post(attrs, name, body, "text/plain")
            assert status == 201
        else:
            response, key = dev_post(client, attrs, name, body, "text/plain")
            assert response.status_code == 201
        return key

    def delete(self, key: str) -> None:
        if self.kind == "s3":
            self.bucket.client.delete_object(Bucket=self.bucket.name, Key=key)
        else:
            (self.pending / key).unlink()

    def keys(self, prefix: str) -> list[str]:
        if self.kind == "s3":
            return self.bucket.keys(prefix)
        names = [
            str(path.relative_to(root))
            for root in (self.root, self.pending)  # saved files, pending uploads
            for path in root.rglob("*")
            if path.is_file()
        ]
        return sorted(name for name in names if name.startswith(prefix))


@pytest.fixture(params=["dev", pytest.param("s3", marks=pytest.mark.s3)])
def site(request, settings) -> Site:
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return Site(request.param, request)


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings) -> bool:
    settings.DEBUG = request.param
    return request.param


def warned(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("s3file") and r.levelno >= logging.WARNING
    ]


# 3. One key posted twice is refused, not copied twice ---------------------------------------


def test_3_a_key_posted_twice_is_refused_and_copied_never(client, site, debug, caplog, s3_calls):
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"once")
    token = attrs["data-s3f-signature"]
    response = submit(client, "doc", [key, key], [token])
    assert response.status_code == 400
    assert any("more than once" in message for message in warned(caplog))
    assert [c.operation for c in s3_calls if c.operation.startswith("Copy")] == []
    assert site.keys("saved/") == []
    # Posted once, it is saved.
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.txt"}}


# 5. No 5xx from a middleware order or CSRF set-up -------------------------------------------

SESSIONS_FIRST = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "s3file.middleware.S3FileMiddleware",
]
S3FILE_FIRST = [
    "s3file.middleware.S3FileMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]


def create_multipart(client: Any, attrs: dict[str, str], key_name: str = "big.bin") -> Any:
    from tests.hardening import multipart, new_key

    body = {
        "token": attrs["data-s3f-signature"],
        "key": new_key(attrs, key_name),
        "size": 70 * 1024**2,
        "contentType": "application/octet-stream",
    }
    return multipart(client, attrs, "create", body)


def test_5_a_middleware_order_that_cannot_work_is_a_system_check_error(settings):
    from s3file.checks import check_middleware_order

    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = SESSIONS_FIRST
    assert check_middleware_order() == []
    settings.MIDDLEWARE = S3FILE_FIRST
    (error,) = check_middleware_order()
    assert error.id == "s3file.E003"
    assert "SessionMiddleware" in error.hint
    settings.CSRF_USE_SESSIONS = False
    assert check_middleware_order() == []  # the secret is in a cookie: any order works


def test_5_csrf_in_sessions_uploads_after_the_session_middleware(client, site, settings, debug):
    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = SESSIONS_FIRST
    attrs = render(client)["doc"]
    if site.kind == "s3":
        response = create_multipart(client, attrs)
        assert response.status_code == 200, response.content
    else:  # the dev storage takes one POST of any size, and no parts
        assert site.upload(client, attrs, "big.bin", b"x" * 1024)


@pytest.fixture
def s3_site(request, settings) -> Site:
    """The hardening site on SeaweedFS only: multipart uploads go to S3 alone."""
    settings.ROOT_URLCONF = "tests.hardening"
    return Site("s3", request)


@pytest.mark.s3
def test_5_csrf_in_sessions_before_the_session_middleware_is_a_4xx_with_advice(
    client, s3_site, settings, debug, caplog
):
    """The order s3file.E003 refuses, run anyway: a 4xx saying what to change, not a 500."""
    settings.CSRF_USE_SESSIONS = True
    settings.MIDDLEWARE = S3FILE_FIRST
    attrs = render(client)["doc"]
    response = create_multipart(client, attrs)
    assert response.status_code == 403
    assert response.json()["code"] == "misconfigured"
    assert "after SessionMiddleware" in response.json()["error"]
    assert any("s3file.E003" in message for message in warned(caplog))


# 7. After a login, the user is told their session changed ----------------------------------


def test_7_an_upload_made_before_logging_in_says_the_session_changed(
    client, site, debug, admin_user, caplog
):
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"before login")
    # A real login: django.contrib.auth.login() rotates the CSRF secret.
    response = client.post("/h/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 200
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], title="kept")
    assert response.status_code == 400
    (message,) = [e["message"] for e in response.json()["errors"]["doc"]]
    assert "Your session changed since “a.txt” was uploaded" in message
    assert "choose the file again" in message
    assert "another field" not in message
    assert response.json()["kept"]["title"] == ["kept"]
    assert site.keys("saved/") == []


def test_7_a_key_posted_as_another_field_still_says_another_field(client, site, debug):
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"x")
    response = submit(client, "other", [key], [attrs["data-s3f-signature"]])
    assert response.status_code == 400
    (message,) = [e["message"] for e in response.json()["errors"]["other"]]
    assert "uploaded for another field" in message


# 11. A missing object is a field error in a form, a 400 elsewhere ---------------------------


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_11_a_missing_object_read_outside_a_form_is_a_400_with_a_warning(
    client, site, debug, caplog, how
):
    attrs = render(client, "/h/raw/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"gone soon")
    if how == "deleted":
        site.delete(key)
    else:  # a name changed inside the validly signed folder
        key = key.rsplit("/", 1)[0] + "/other.txt"
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/raw/")
    assert response.status_code == 400
    assert "is no longer in storage" in response.content.decode()
    assert any("Answered 400" in m and "no longer in storage" in m for m in warned(caplog))


def test_11_a_present_object_read_outside_a_form_still_works(client, site, debug):
    attrs = render(client, "/h/raw/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"present")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/raw/")
    assert response.json() == {"read": {"doc": 7}}


def test_11_a_missing_object_in_a_form_is_a_field_error(client, site, debug):
    attrs = render(client)["doc"]
    key = site.upload(client, attrs, "a.txt", b"gone soon")
    site.delete(key)
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], title="kept")
    assert response.status_code == 200
    (message,) = [e["message"] for e in response.json()["errors"]["doc"]]
    assert "“a.txt” is no longer in storage" in message
    assert response.json()["kept"]["title"] == ["kept"]


@pytest.mark.s3
def test_11_a_form_submitted_twice_saves_once_and_says_so_the_second_time(client, s3, settings):
    """With the copy storage, which moves the upload on the first save."""
    settings.ROOT_URLCONF = "tests.hardening"
    attrs = render(client)["doc"]
    status, key = s3_post(attrs, "a.txt", b"once", "text/plain")
    assert status == 201
    token = attrs["data-s3f-signature"]
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.txt"}}
    response = submit(client, "doc", [key], [token])
    (message,) = [e["message"] for e in response.json()["errors"]["doc"]]
    assert "this form was submitted already" in message
    assert s3.keys("saved/") == ["saved/doc/a.txt"]


# 2. A key is part of request.FILES only where its input was offered ------------------------


def test_2_a_key_is_taken_at_the_view_that_rendered_its_input(client, site, debug):
    attrs = render(client, "/h/other/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"here")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/other/")
    assert response.json() == {"saved": {"doc": "saved/doc/a.txt"}}


def test_2_a_key_from_another_views_input_is_a_field_error_in_a_direct_upload_form(
    client, site, debug, caplog
):
    attrs = render(client, "/h/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"offered at /h/")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/other/")
    assert response.status_code == 400
    (message,) = [e["message"] for e in response.json()["errors"]["doc"]]
    assert "was uploaded for another form" in message
    assert any("posted to '/h/other/'" in m for m in warned(caplog))
    assert site.keys("saved/") == []
    assert site.keys(key) == [key]  # untouched: its own view still takes it
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/")
    assert response.json() == {"saved": {"doc": "saved/doc/a.txt"}}


def test_2_a_key_from_another_views_input_is_refused_by_a_plain_file_input(
    client, site, debug, caplog
):
    attrs = render(client, "/h/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"offered at /h/")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/plain/")
    assert response.status_code == 400
    assert "doc" in response.json()["errors"]
    assert any("posted to '/h/plain/'" in m for m in warned(caplog))
    assert site.keys("saved/") == []


def test_2_a_key_from_another_views_input_is_refused_to_a_view_reading_request_files(
    client, site, debug, caplog
):
    attrs = render(client, "/h/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"offered at /h/")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/raw/")
    assert response.status_code == 400
    assert "uploaded for another form" in response.content.decode()
    assert any("posted to '/h/raw/'" in m for m in warned(caplog))


def test_2_a_page_may_declare_where_its_form_posts(client, site, debug):
    attrs = render(client, "/h/declaring/")["doc"]
    key = site.upload(client, attrs, "a.txt", b"declared")
    token = attrs["data-s3f-signature"]
    response = submit(client, "doc", [key], [token], url="/h/other/")
    assert response.json() == {"saved": {"doc": "saved/doc/a.txt"}}
    # Not anywhere else.
    assert submit(client, "doc", [key], [token], url="/h/").status_code == 400


def test_2_a_url_name_may_be_declared():
    from django.test import RequestFactory, override_settings

    from s3file.rules import offered_at

    with override_settings(ROOT_URLCONF="tests.testapp.urls"):
        request = RequestFactory().get("/upload/")
        assert offered_at(request, ["upload-alt", "/api/"]) == (
            "/upload/",
            "/upload/alt/",
            "/api/",
        )
    assert offered_at(None, ["/api/"]) == ()


# 9. A direct upload never replaces another object -------------------------------------------


@pytest.mark.s3
@pytest.mark.parametrize("overwrite", [True, None], ids=["file_overwrite", "default"])
def test_9_two_uploads_of_one_name_both_survive_whatever_file_overwrite_says(
    client, s3, settings, overwrite
):
    """The docs' STORAGES example leaves django-storages' default, file_overwrite=True."""
    from tests.conftest import s3_storage_settings

    settings.ROOT_URLCONF = "tests.hardening"
    settings.STORAGES = s3_storage_settings(s3.server, s3.name)
    options = settings.STORAGES["default"]["OPTIONS"]
    del options["file_overwrite"]
    if overwrite is not None:
        options["file_overwrite"] = overwrite
    saved = []
    for body in (b"first doc", b"second doc"):
        attrs = render(client)["doc"]
        status, key = s3_post(attrs, "doc.pdf", body, "text/plain")
        assert status == 201
        response = submit(client, "doc", [key], [attrs["data-s3f-signature"]])
        saved.append(response.json()["saved"]["doc"])
    assert saved[0] == "saved/doc/doc.pdf"
    assert saved[1] != saved[0]
    assert [s3.read(name) for name in saved] == [b"first doc", b"second doc"]


@pytest.mark.parametrize(
    ("backend", "options", "refused"),
    [
        ("storages.backends.s3.S3Storage", {"file_overwrite": True}, True),
        ("storages.backends.s3.S3Storage", {}, True),  # django-storages' default
        ("storages.backends.s3.S3Storage", {"file_overwrite": False}, False),
        ("s3file.storages_optimized.S3OptimizedUploadStorage", {"file_overwrite": True}, False),
        ("django.core.files.storage.FileSystemStorage", {"allow_overwrite": True}, True),
        ("django.core.files.storage.FileSystemStorage", {}, False),
    ],
)
def test_9_a_storage_that_would_overwrite_uploads_is_a_system_check_error(
    settings, tmp_path, backend, options, refused
):
    from s3file.checks import check_overwrite

    settings.DEBUG = True  # the dev endpoint on, for FileSystemStorage
    settings.MEDIA_ROOT = str(tmp_path)
    if backend.startswith("storages") or "optimized" in backend:
        options = {"bucket_name": "b", "access_key": "k", "secret_key": "s", **options}
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend, "OPTIONS": options}}
    errors = check_overwrite()
    assert [e.id for e in errors] == (["s3file.E004"] if refused else [])


@pytest.mark.s3
def test_11_an_object_deleted_after_its_check_is_refused_when_read_not_a_500(s3):
    """Deleted between the HEAD and the read (a second request moved it): a 400 (Django
    answers a SuspiciousOperation so), never botocore's NoSuchKey."""
    from django.core.exceptions import SuspiciousOperation
    from django.core.files.storage import storages

    from s3file.files import S3UploadedFile

    key = "tmp/s3file/abc/0/a.txt"
    s3.put(key, b"soon gone")
    upload = S3UploadedFile(storages["default"], key)
    assert upload.size == 9  # checked
    s3.client.delete_object(Bucket=s3.name, Key=key)
    with pytest.raises(SuspiciousOperation, match="changed after its check"):
        upload.read()
