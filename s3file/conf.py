"""Every setting django-s3file reads, with its default, read at call time."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS: dict[str, Any] = {
    # Folder (inside the storage's location) that browsers upload into. Expire it in S3.
    "S3FILE_UPLOAD_PATH": "tmp/s3file",
    # Largest file a browser may upload, in bytes (S3's object limit: 5 TiB).
    "S3FILE_MAX_SIZE": 5 * 1024**4,
    # Files larger than this upload in parts (S3 multipart upload); 0 turns that off, and then
    # files stop at 5 GiB, what one presigned POST can carry.
    "S3FILE_MULTIPART_THRESHOLD": 64 * 1024**2,
    # Preferred size of a part; grown for files that would otherwise need over 10,000 parts.
    "S3FILE_MULTIPART_PART_SIZE": 16 * 1024**2,
    # Parts one file uploads at once: as many connections as browsers open to one host, so
    # that the link stays busy while parts wait for their answers.
    "S3FILE_MULTIPART_CONCURRENCY": 6,
    # Tries after the first for a part that fails with a network error or a 5xx.
    "S3FILE_MULTIPART_RETRIES": 5,
    # Send each part with a Content-MD5 that S3 checks on arrival (hashing before sending),
    # instead of comparing S3's part ETags with the browser's MD5s at the end. Uploads S3
    # encrypts with KMS or SSE-C (whose ETags are not MD5s) go so whatever this says.
    "S3FILE_MULTIPART_CONTENT_MD5": False,
    # Seconds a rendered form's upload policy stays valid; the signed folder posted back
    # to Django stays valid twice as long, so a long upload can still be submitted.
    "S3FILE_EXPIRES": 6 * 60 * 60,
    # Replace every ClearableFileInput automatically; False leaves only explicit S3FileInput.
    "S3FILE_REPLACE_WIDGETS": True,
    # Largest file the browser hashes (in memory) for widgets with checksum=True.
    "S3FILE_CHECKSUM_MAX_SIZE": 256 * 1024**2,
    # Take the SHA-1 the browser posts with a file it sent in parts (S3 verifies none) where
    # the uploader's word is enough (Wagtail's file_hash); False: read the object to hash it.
    "S3FILE_TRUST_BROWSER_SHA1": True,
    # Uploads the browser runs at once per form.
    "S3FILE_CONCURRENCY": 4,
    # Upload straight into the folder a file is saved in, where the page knows it (a string
    # upload_to; Wagtail's images, documents and media), and save it there without a copy.
    # Turn on once `s3file_bucket --apply` wrote the rule that expires unclaimed uploads.
    "S3FILE_CLAIM": False,
    # Whether the S3 server takes a `tagging` field in POST policies (AWS does, SeaweedFS
    # does not). False: inputs that upload into a final folder send every file of 2 bytes or
    # more in parts, which carry the pending tag from CreateMultipartUpload.
    "S3FILE_POST_TAGGING": True,
    # S3OptimizedUploadStorage deletes the temporary object after its server-side copy.
    "S3FILE_DELETE_TEMP_FILES": True,
    # Origins the bucket's CORS rule allows (s3file_bucket command); None: derived from
    # CSRF_TRUSTED_ORIGINS and ALLOWED_HOSTS.
    "S3FILE_CORS_ORIGINS": None,
    # Days after which the bucket's lifecycle rule expires abandoned uploads and aborts
    # unfinished multipart uploads (s3file_bucket command).
    "S3FILE_EXPIRE_DAYS": 2,
    # Path (under the script prefix) where the middleware serves the dev S3 endpoint.
    "S3FILE_ENDPOINT_PATH": "__s3file__/",
    # The dev S3 endpoint (a FileSystemStorage as the default storage): None serves it while
    # DEBUG is true, True always, False never (inputs then upload through Django).
    "S3FILE_DEV_ENDPOINT": None,
    # Largest file the dev endpoint stores (one POST; it takes no parts).
    "S3FILE_DEV_MAX_SIZE": 256 * 1024**2,
    # Most bytes the dev endpoint's pending uploads take in all; uploads older than
    # S3FILE_EXPIRE_DAYS (as the lifecycle rule expires them in S3) are deleted to make room.
    "S3FILE_DEV_MAX_TOTAL_SIZE": 1024**3,
    # Alias of the cache (CACHES) that marks each upload a save took, so that a form submitted
    # twice, or twice at once, saves it once. Across processes and servers only a shared
    # cache (Redis, Memcached, the database) sees every save.
    "S3FILE_CACHE": "default",
    # Folder the dev endpoint keeps uploads in until a form takes them; never under
    # MEDIA_ROOT, as the site serves that. None: a folder of the system's temporary folder.
    "S3FILE_DEV_PENDING_ROOT": None,
    # API fields (s3file.api) that API clients may ask upload grants for: "app_label.Model.field"
    # names of model file fields, or names of the project's own, each with its options
    # (max_size, accept, permission); a list of names takes the defaults. None are enabled.
    "S3FILE_API_FIELDS": {},
    # Dotted path of the callable that finds the user of an API request (it takes the
    # request, returns a user or None): the session's by default; s3file_api.drf.authenticate
    # for Django REST framework's authentication classes (tokens, JWT).
    "S3FILE_API_AUTHENTICATION": "s3file.api.session_user",
    # s3file_api's serializer fields take a file's bytes too (a plain DRF upload) for API
    # fields that S3FILE_API_FIELDS enables; off, those take only values of direct uploads.
    "S3FILE_API_RAW_UPLOADS": False,
}


def dev_endpoint_on() -> bool:
    """Whether the dev endpoint serves a ``FileSystemStorage`` (``S3FILE_DEV_ENDPOINT``)."""
    wanted = get("S3FILE_DEV_ENDPOINT")
    return bool(settings.DEBUG if wanted is None else wanted)


def get(name: str) -> Any:
    """Return the project's value of setting ``name``, or its documented default."""
    return getattr(settings, name, DEFAULTS[name])


@functools.cache
def endpoint_prefix() -> str:
    """``"/" + S3FILE_ENDPOINT_PATH``; cached, as the middleware checks it on every request
    (an unset setting costs a caught AttributeError in Django's LazySettings)."""
    return "/" + str(get("S3FILE_ENDPOINT_PATH"))


@receiver(setting_changed)
def forget_cached_settings(**kwargs: Any) -> None:
    # Only tests change settings: forget on any change.
    endpoint_prefix.cache_clear()
