"""Django settings of the sites the benchmarks measure, chosen by environment variables.

``BENCH_MODE``:

- ``classic``: a stock Django site (no s3file); files come in the request body and
  ``S3Boto3Storage`` uploads them;
- ``direct`` (the default): the same site with s3file and its middleware, saving with
  ``S3OptimizedUploadStorage``;
- ``wagtail-stock`` / ``wagtail-direct``: a Wagtail admin (SQLite at ``BENCH_DB``), stock or
  with ``wagtail_s3file``, the storages as above.

``BENCH_STORAGE_OPTIONS`` (JSON) points the storage at the benchmark's SeaweedFS; without it the
storage is a local FileSystemStorage (enough for the in-process middleware benchmark, which
touches no file).
"""

from __future__ import annotations

import json
import os
import tempfile

MODE = os.environ.get("BENCH_MODE", "direct")
DIRECT = MODE in ("direct", "wagtail-direct")
WAGTAIL = MODE.startswith("wagtail")

SECRET_KEY = "s3file-benchmarks"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True

INSTALLED_APPS = [
    *(
        [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
        ]
        if WAGTAIL
        else []
    ),
    "django.contrib.staticfiles",
    *(["s3file"] if DIRECT else []),
    # Before wagtail.images: its templates extend theirs.
    *(["wagtail_s3file"] if DIRECT and WAGTAIL else []),
    *(
        [
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
        ]
        if WAGTAIL
        else []
    ),
    "benchmarks",
]

# A typical stack; CsrfViewMiddleware reads request.POST, so it parses every form body.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(["django.contrib.sessions.middleware.SessionMiddleware"] if WAGTAIL else []),
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    *(["s3file.middleware.S3FileMiddleware"] if DIRECT else []),
    *(
        [
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ]
        if WAGTAIL
        else []
    ),
]

ROOT_URLCONF = "benchmarks.urls"
DATABASES: dict = (
    {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_DB"]}}
    if WAGTAIL
    else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
# Signing in happens outside the measurements; a slow hash would only slow the set-up.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                *(
                    [
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                    if WAGTAIL
                    else []
                ),
            ]
        },
    }
]
STATIC_URL = "/static/"
# The browser benchmarks' what-ifs serve their own s3file/js/ files from these directories
# (os.pathsep-separated), and the Uppy comparison its bundle: the project's static directories
# come before the apps' (no request interception in the browser, which would slow every upload
# it sees).
if "BENCH_STATIC_DIR" in os.environ:
    STATICFILES_DIRS = os.environ["BENCH_STATIC_DIR"].split(os.pathsep)
WAGTAIL_SITE_NAME = "s3file benchmarks"
WAGTAILADMIN_BASE_URL = "http://localhost"

_options = os.environ.get("BENCH_STORAGE_OPTIONS")
if _options:
    _default = {
        "BACKEND": "s3file.storages_optimized.S3OptimizedUploadStorage"
        if DIRECT
        else "storages.backends.s3.S3Storage",
        "OPTIONS": json.loads(_options),
    }
else:
    # Named, not created: FileSystemStorage makes it on a first save, which no benchmark does.
    MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "s3file-bench-media")
    _default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The final-POST benchmark (claim.py): uploads saved where they lie; SeaweedFS takes no tagging
# field in POST policies, so files go in parts, tagged by CreateMultipartUpload.
if os.environ.get("BENCH_CLAIM") == "1":
    S3FILE_CLAIM = True
    S3FILE_POST_TAGGING = False

# The JS client's benchmark (api.py): one API field of the site's own, its one user.
S3FILE_API_FIELDS = {"bench": {}}
S3FILE_API_AUTHENTICATION = "benchmarks.views.bench_user"

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
