from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from s3file.checks import check_api_fields, check_dev_endpoint, check_middleware


# Django 6.1's `check` runs the database checks (JSONField support) on every connection.
@pytest.mark.django_db
def test_deploy_check_refuses_the_dev_endpoint(dev_storage):
    (error,) = check_dev_endpoint()
    assert error.id == "s3file.E001"
    with pytest.raises(SystemCheckError, match="s3file.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_deploy_check_passes_with_s3(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "s3file.storages_optimized.S3OptimizedUploadStorage",
            "OPTIONS": {"bucket_name": "b", "access_key": "k", "secret_key": "s"},
        },
    }
    assert check_dev_endpoint() == []


@pytest.mark.django_db
def test_plain_check_is_silent_about_the_dev_endpoint(dev_storage):
    call_command("check")  # E001 is a deploy check only


def test_missing_middleware_is_reported(settings):
    assert check_middleware() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("s3file")]
    (warning,) = check_middleware()
    assert warning.id == "s3file.W001"


def test_a_middleware_subclass_counts(settings):
    settings.MIDDLEWARE = [
        "tests.testapp.middleware.CustomS3FileMiddleware" if m.startswith("s3file") else m
        for m in settings.MIDDLEWARE
    ]
    assert check_middleware() == []


def allow_all(request, user, name):
    return True


def test_the_api_fields_of_the_test_settings_pass():
    assert check_api_fields() == []


@pytest.mark.parametrize(
    "fields",
    [
        {},
        [],
        ["apiapp.Record.file", "avatars"],
        {"apiapp.Record.image": None},
        {"avatars": {"max_size": 1024, "accept": "image/png", "permission": allow_all}},
        {"avatars": {"permission": "tests.test_checks.allow_all"}},
        {"testapp.Document.file": {"accept": ""}},
    ],
)
def test_good_api_fields_pass(settings, fields):
    settings.S3FILE_API_FIELDS = fields
    assert check_api_fields() == []


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ("apiapp.Record.file", "neither a dict nor a list"),
        (["apiapp.Record.file", 3], "not a non-empty string"),
        ({"": {}}, "not a non-empty string"),
        ({"nosuchapp.Record.file": {}}, "no model 'nosuchapp.Record'"),
        ({"apiapp.Nope.file": {}}, "no model 'apiapp.Nope'"),
        ({"apiapp.Record.nope": {}}, "apiapp.Record has no field 'nope'"),
        ({"apiapp.Record.title": {}}, "apiapp.Record.title is a CharField, not a FileField"),
        ({"avatars": 10}, "the options are not a dict"),
        ({"avatars": {"max-size": 10}}, "unknown options 'max-size'"),
        ({"avatars": {"max_size": 0}}, "max_size 0 is not a positive whole number"),
        ({"avatars": {"max_size": -1}}, "max_size -1 is not"),
        ({"avatars": {"max_size": "10MB"}}, "max_size '10MB' is not"),
        ({"avatars": {"max_size": 2.5}}, "max_size 2.5 is not"),
        ({"avatars": {"max_size": True}}, "max_size True is not"),
        ({"avatars": {"accept": ["image/png"]}}, "accept ['image/png'] is not a string"),
        ({"avatars": {"permission": 3}}, "neither a callable nor a dotted path"),
        ({"avatars": {"permission": "tests.nowhere.allow"}}, "cannot be imported"),
        ({"avatars": {"permission": "tests.test_checks.pytest"}}, "is not callable"),
    ],
)
def test_a_bad_api_field_entry_is_an_error_that_names_it(settings, fields, says):
    settings.S3FILE_API_FIELDS = fields
    (error,) = check_api_fields()
    assert error.id == "s3file.E005"
    assert says in error.msg
    assert "app_label.Model.field" in error.hint


def test_each_bad_api_field_entry_is_reported(settings):
    settings.S3FILE_API_FIELDS = {"apiapp.Record.title": {}, "ok": {}, "bad": {"max_size": 0}}
    errors = check_api_fields()
    assert [e.msg.split(":")[0] for e in errors] == [
        "S3FILE_API_FIELDS['apiapp.Record.title']",
        "S3FILE_API_FIELDS['bad']",
    ]


@pytest.mark.django_db
def test_manage_py_check_fails_on_a_bad_api_field(settings):
    settings.S3FILE_API_FIELDS = {"apiapp.Record.nope": {}}
    with pytest.raises(SystemCheckError, match="s3file.E005"):
        call_command("check")


def test_a_cache_that_keeps_nothing_is_a_warning(settings):
    """Issue 20, item 11: with a DummyCache a double submit would save its upload twice."""
    from s3file.checks import check_cache

    assert check_cache() == []  # the test settings' local-memory cache
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    (warning,) = check_cache()
    assert warning.id == "s3file.W002"
    assert "saves its direct upload twice" in warning.msg


def test_a_cache_alias_caches_lacks_is_an_error(settings):
    from s3file.checks import check_cache

    settings.S3FILE_CACHE = "uploads"
    (error,) = check_cache()
    assert error.id == "s3file.E006"
