"""Django settings of the site the benchmarks measure, chosen by environment variables.

``BENCH_MODE=classic`` is a stock Django site (no s3file): files come in the request body and
``S3Boto3Storage`` uploads them. ``BENCH_MODE=direct`` (the default) adds s3file and its
middleware and saves with ``S3OptimizedUploadStorage``. ``BENCH_STORAGE_OPTIONS`` (JSON) points
the storage at the benchmark's SeaweedFS; without it the storage is a local FileSystemStorage
(enough for the in-process middleware benchmark, which touches no file).
"""

from __future__ import annotations

import json
import os
import tempfile

MODE = os.environ.get("BENCH_MODE", "direct")
DIRECT = MODE == "direct"

SECRET_KEY = "s3file-benchmarks"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    *(["s3file"] if DIRECT else []),
    "benchmarks",
]

# A typical stack; CsrfViewMiddleware reads request.POST, so it parses every form body.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    *(["s3file.middleware.S3FileMiddleware"] if DIRECT else []),
]

ROOT_URLCONF = "benchmarks.urls"
DATABASES: dict = {}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
STATIC_URL = "/static/"

_options = os.environ.get("BENCH_STORAGE_OPTIONS")
if _options:
    _default = {
        "BACKEND": "s3file.storages_optimized.S3OptimizedUploadStorage"
        if DIRECT
        else "storages.backends.s3.S3Storage",
        "OPTIONS": json.loads(_options),
    }
else:
    MEDIA_ROOT = tempfile.mkdtemp(prefix="s3file-bench-media-")
    _default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The browser benchmark starts one server per multipart configuration.
for _name in ("S3FILE_MULTIPART_THRESHOLD", "S3FILE_MULTIPART_CONCURRENCY"):
    if _name in os.environ:
        globals()[_name] = int(os.environ[_name])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        # One line per request from the server would only add noise (and CPU) to the log.
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
