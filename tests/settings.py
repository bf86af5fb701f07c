"""Settings for the test suite; S3 tests point STORAGES at SeaweedFS through fixtures."""

from __future__ import annotations

import tempfile

SECRET_KEY = "s3file-tests"
DEBUG = False
# pytest-django runs with DEBUG off; the tests use the dev endpoint all the same.
S3FILE_DEV_ENDPOINT = True
ALLOWED_HOSTS = ["*"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "s3file",
    # Before the admin: its ready() sets the admin's file widget before ModelAdmins register.
    "s3file_admin",
    "django.contrib.admin",
    "tests.testapp",
    "tests.adminapp",
    # Before wagtail.images and wagtail.documents: its templates extend theirs.
    "wagtail_s3file",
    "wagtail.users",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "tests.wagtailapp",
    # Optional: wagtail_s3file uploads its audio and video directly when it is installed.
    "wagtailmedia",
    "tests.mediaapp",
    # Direct uploads for Django REST framework (and django-ninja, which needs no app).
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "s3file_api",
    "tests.apiapp",
]

MIDDLEWARE = [
    "tests.live_requests.TrackRequests",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "s3file.middleware.S3FileMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.testapp.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = tempfile.mkdtemp(prefix="s3file-media-")
# The dev endpoint's uploads of the whole run wait here (tests of the folder set their own):
# room for every browser test's files, which no form deletes.
S3FILE_DEV_PENDING_ROOT = tempfile.mkdtemp(prefix="s3file-pending-")
S3FILE_DEV_MAX_TOTAL_SIZE = 64 * 1024**3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"django.security": {"handlers": ["null"], "propagate": False}},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
S3FILE_API_AUTHENTICATION = "s3file_api.drf.authenticate"
S3FILE_API_FIELDS = {
    "apiapp.Record.file": {},
    "apiapp.Record.image": {"max_size": 5 * 1024**2},
}

WAGTAIL_SITE_NAME = "s3file tests"
WAGTAILADMIN_BASE_URL = "http://localhost"
