"""Settings of the sandbox, a development site; everything that varies comes from the environment.

``SANDBOX_STORAGE`` picks where uploads go (``run.py`` prints which one is active):

- ``seaweedfs`` (default): the SeaweedFS server ``run.py`` starts on 127.0.0.1, port
  ``SANDBOX_S3_PORT`` (8333), bucket ``sandbox``, data in ``SANDBOX_VAR_DIR/s3``;
- ``filesystem``: ``FileSystemStorage`` in ``SANDBOX_VAR_DIR/media``; browsers upload to
  s3file's dev endpoint, no S3 at all;
- ``s3``: any S3 or S3-compatible server, from the usual AWS variables (``S3_ENV`` below).

``SANDBOX_VAR_DIR`` holds the SQLite database (and the files of the first two modes); it
defaults to ``sandbox/var/<mode>``. Not for production: DEBUG is on, the secret key is public.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from sandbox import SEAWEEDFS_BUCKET, default_var_dir

STORAGE_MODE = os.environ.get("SANDBOX_STORAGE") or "seaweedfs"
VAR_DIR = Path(os.environ.get("SANDBOX_VAR_DIR") or default_var_dir(STORAGE_MODE)).resolve()
PORT = int(os.environ.get("SANDBOX_PORT") or 8000)
S3_PORT = int(os.environ.get("SANDBOX_S3_PORT") or 8333)

SECRET_KEY = "sandbox-insecure-0d1f6c1b9a8e4d2f"
DEBUG = True
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "sandbox.demo",
    # The integrations come before the apps they extend: their template overrides win, and
    # s3file_admin sets the admin's file widgets up before the admin registers the models.
    "s3file",
    "s3file_admin",
    "wagtail_s3file",
    "wagtailmedia",  # its audio and video upload directly too: nothing else to set
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The REST API of the single-page demo (/spa/): file fields take direct uploads.
    "rest_framework",
    "s3file_api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "s3file.middleware.S3FileMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sandbox.urls"

# The single-page demo's API: the admin's session authenticates it and the grant endpoint
# (DRF's SessionAuthentication, with its CSRF check, for both); its two file fields take
# direct uploads.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
S3FILE_API_AUTHENTICATION = "s3file_api.drf.authenticate"
S3FILE_API_FIELDS = {"demo.Report.document": {}, "demo.Report.cover": {}}
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# ``filesystem`` mode: uploads wait here, outside MEDIA_ROOT, until a form takes them.
S3FILE_DEV_PENDING_ROOT = VAR_DIR / "pending"

# The usual AWS variables and the django-storages option each one sets (``s3`` mode).
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
    "AWS_SESSION_TOKEN": "security_token",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
    "AWS_S3_SIGNATURE_VERSION": "signature_version",
    "AWS_LOCATION": "location",
}


def s3_options(mode: str) -> dict[str, str | bool]:
    """The ``OPTIONS`` of the S3 storage for ``mode`` (``seaweedfs`` or ``s3``)."""
    # Saving a second "report.pdf" keeps the first, as FileSystemStorage does.
    options: dict[str, str | bool] = {"file_overwrite": False}
    if mode == "seaweedfs":
        from devtools.seaweedfs import ACCESS_KEY, REGION, SECRET_KEY

        return {
            **options,
            "bucket_name": SEAWEEDFS_BUCKET,
            "endpoint_url": f"http://127.0.0.1:{S3_PORT}",
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "signature_version": "s3v4",
            "addressing_style": "path",
        }
    # Unset variables are left to django-storages and boto3 (a profile, an instance role...).
    options.update({opt: os.environ[name] for name, opt in S3_ENV.items() if name in os.environ})
    if not options.get("bucket_name"):
        raise ImproperlyConfigured("SANDBOX_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return options


if STORAGE_MODE == "filesystem":
    DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_MODE in {"seaweedfs", "s3"}:
    DEFAULT_STORAGE = {
        "BACKEND": "s3file.storages_optimized.S3OptimizedUploadStorage",
        "OPTIONS": s3_options(STORAGE_MODE),
    }
else:
    raise ImproperlyConfigured(
        f"SANDBOX_STORAGE={STORAGE_MODE!r}: use seaweedfs (default), filesystem or s3."
    )

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# s3file: the defaults, but for the origins `manage.py s3file_bucket` lets POST to the bucket
# (derived from ALLOWED_HOSTS otherwise, which is "*" here).
S3FILE_CORS_ORIGINS = [f"http://127.0.0.1:{PORT}", f"http://localhost:{PORT}"]

# Files whose folder a page knows (Wagtail's documents, images and media, the demo models'
# string upload_to) are saved where the browser uploaded them: no copy (the console logs each
# claim). SeaweedFS stores no tag from a POST policy: such files go up in parts, tagged.
S3FILE_CLAIM = STORAGE_MODE in {"seaweedfs", "s3"}
S3FILE_POST_TAGGING = STORAGE_MODE != "seaweedfs"

# Wagtail
WAGTAIL_SITE_NAME = "django-s3file sandbox"
WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{PORT}"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Large page forms exceed Django's default of 1000 fields (Wagtail's project template does this).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"s3file": {"handlers": ["console"], "level": "INFO"}},
}
