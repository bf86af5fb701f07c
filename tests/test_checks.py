from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from s3file.checks import check_dev_endpoint, check_middleware


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
    assert error.id == "s3file.E005"
