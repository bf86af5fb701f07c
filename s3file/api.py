"""Direct uploads for API clients: grants that no rendered form asked for, and the values
such an upload is posted back as.

An authenticated client POSTs JSON to ``<S3FILE_ENDPOINT_PATH>grant/`` naming an API field
(``S3FILE_API_FIELDS``: a model's file field as ``app_label.Model.field``, or a name of the
project's own) and the file (name, size, type). It gets what a rendered input carries
(``forms.upload_policy``): a presigned POST, and the multipart API for large files, limited
to the field's size and types. The grant is bound to the user and the field
(``rules.user_binding``), not to a browser: a client that authenticates with a token has no
CSRF secret. After the upload, the client sends ``<token>/<key>`` as the field's value;
``uploaded_file()`` turns it into the ``S3UploadedFile`` a form would have got, or refuses it
(``s3file_api`` does that for Django REST framework and django-ninja).

Like the multipart API, the endpoint takes JSON only (another site's page cannot send that
without a CORS preflight, which this server never grants), so it needs no CSRF token.
"""

from __future__ import annotations

import json
import logging
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import (
    FieldDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from . import conf
from .backends import backend, default_storage
from .files import S3UploadedFile
from .forms import claim_folder, final_folder, upload_policy
from .rules import (
    Refused,
    check_browser,
    check_file,
    check_key,
    check_user,
    content_length,
    new_grant,
    normal_accept,
    posted_lifetime,
    unsign_grant,
    user_binding,
)
from .signing import SignatureExpired

logger = logging.getLogger("s3file")
#: The largest JSON body the grant endpoint reads.
MAX_BODY = 4 * 1024


class Target(NamedTuple):
    """An API field that clients may upload into, with its limits."""

    name: str
    max_size: int
    accept: str
    #: Dotted path or callable ``(request, user, name) -> bool``; None: any signed-in user.
    permission: str | Callable[..., bool] | None = None


def session_user(request: HttpRequest) -> Any:
    """The default ``S3FILE_API_AUTHENTICATION``: the user ``AuthenticationMiddleware`` set,
    or the session's (the endpoint answers before the middleware after s3file's runs)."""
    user = getattr(request, "user", None)
    if user is None and hasattr(request, "session") and apps.is_installed("django.contrib.auth"):
        from django.contrib.auth import get_user

        user = get_user(request)
    return user


def request_user(request: HttpRequest) -> Any:
    """The user of an API request, as ``S3FILE_API_AUTHENTICATION`` finds it (or None)."""
    authenticate: Callable[[HttpRequest], Any] = import_string(
        conf.get("S3FILE_API_AUTHENTICATION")
    )
    return authenticate(request)


def target(name: str) -> Target:
    """The API field ``name`` if ``S3FILE_API_FIELDS`` enables it, else ``Refused`` (code
    ``field``). A model field's limits default to ``S3FILE_MAX_SIZE`` and, for an
    ``ImageField``, ``image/*``."""
    enabled = conf.get("S3FILE_API_FIELDS")
    options = enabled if isinstance(enabled, dict) else dict.fromkeys(enabled, {})
    if not isinstance(name, str) or name not in options:
        raise Refused("disabled", f"API field {name!r} is not enabled")
    found = dict(options[name] or {})
    accept = found.get("accept")
    if accept is None:
        accept = "image/*" if isinstance(model_field(name), models.ImageField) else ""
    max_size = found.get("max_size") or conf.get("S3FILE_MAX_SIZE")
    return Target(name, int(max_size), normal_accept(accept), found.get("permission"))


def model_field(name: str) -> models.Field[Any, Any] | None:
    """The model field ``app_label.Model.field`` names, or None (a project's own name)."""
    label, _, field = name.rpartition(".")
    try:
        found = apps.get_model(label)._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return found if isinstance(found, models.Field) else None


def allowed(found: Target, request: HttpRequest, user: Any) -> bool:
    """Whether ``user`` may upload into ``found``: its permission hook says so, or, without
    one, the user is signed in."""
    if not (user is not None and user.is_authenticated):
        return False
    check = found.permission
    if check is None:
        return True
    if isinstance(check, str):
        check = import_string(check)
    return bool(check(request, user, found.name))


def grant(request: HttpRequest, name: str, file: str, size: int, content_type: str) -> Any:
    """The upload policy (``forms.upload_policy``) for ``file`` in API field ``name``, for
    the user of ``request``; ``Refused`` with code ``disabled``, ``forbidden``, ``too-large``
    or ``type``. With ``S3FILE_CLAIM``, a model field with a string ``upload_to`` gets its
    uploads into a new subfolder of its folder, where saving claims them (no copy)."""
    found = target(name)
    user = request_user(request)
    if not allowed(found, request, user):
        raise Refused("forbidden", f"not allowed to upload into {name!r}")
    check_file(found.max_size, found.accept, file, size, content_type or None)
    store = backend()
    if store is None:
        raise Refused("off", "the default storage takes no direct uploads")
    # As a model form's input: into the model field's folder, claimed there when saved.
    field = model_field(name)
    folder = final_folder(field) if isinstance(field, models.FileField) else ""
    final = claim_folder(store, folder, getattr(field, "storage", None))
    prefix = store.upload_prefix(final)
    binding = user_binding(user)
    made = new_grant(prefix, found.max_size, found.accept, name, binding, final=bool(final))
    policy = upload_policy(made, found.max_size, found.accept, checksum=False, final=final)
    return {**policy, "field": name, "accept": found.accept}


#: Why an upload's value is refused (``uploaded_file``), by the code of its ValidationError.
REFUSED_VALUES = {
    "disabled": _("This field takes no direct uploads."),
    "forged": _("This is not the value of a direct upload."),
    "expired": _("This upload has expired. Upload the file again."),
    "elsewhere": _("This upload was made for another field or another user."),
}

#: The ValidationError code of a value the rules refuse, by the rule's code (else ``forged``).
VALUE_CODES = {"disabled": "disabled", "field": "elsewhere", "binding": "elsewhere"}


def uploaded_file(
    value: str, name: str, user: Any, request: HttpRequest | None = None
) -> S3UploadedFile:
    """The upload ``value`` (``<token>/<key>``) names, for API field ``name`` and ``user``,
    once its grant and the field's limits are met (one HEAD); closed once ``request`` is
    gone, as Django closes a request's files. Else ``ValidationError``, whose
    code says why: ``disabled`` (not enabled), ``forged``, ``expired``, ``elsewhere`` (another
    field or user), or the file's own (``too_large``, ``type``, ``missing``,
    ``unavailable``, as forms show them)."""
    try:
        found = target(name)
        token, _, key = str(value).partition("/")
        signed = unsign_grant(token, max_age=posted_lifetime())
        check_key(key, signed.folder)
        check_user(signed, name, user)
        upload = S3UploadedFile(default_storage(), key)
    except SignatureExpired as e:
        raise ValidationError(REFUSED_VALUES["expired"], code="expired") from e
    except SuspiciousOperation as e:
        logger.warning("Refused an upload value for %r: %s", name, e)
        code = VALUE_CODES.get(e.code if isinstance(e, Refused) else "", "forged")
        raise ValidationError(REFUSED_VALUES[code], code=code) from e
    upload.add_limit(signed.max_size, signed.accept)
    upload.add_limit(found.max_size, found.accept)
    if request is not None:
        weakref.finalize(request, upload.close)
    upload.size  # noqa: B018  (the HEAD, which checks the limits)
    return upload


def check_requester(bound: str, request: HttpRequest) -> None:
    """Refuse (``Refused``, code ``binding``) a multipart upload's next step from another
    browser than the one it was granted in, or for an API grant, another user."""
    if bound.startswith("u"):
        if not constant_time_compare(user_binding(request_user(request)), bound):
            raise Refused("binding", "signed for another user")
        return
    check_browser(bound, request)


#: What the grant endpoint answers to the rules' refusals: status, sentence, code.
REFUSALS = {
    "disabled": (403, "This field takes no direct uploads.", "disabled"),
    "forbidden": (403, "You may not upload files here.", "forbidden"),
    "too-large": (400, "The file is larger than this field allows.", "too-large"),
    "type": (403, "This field does not accept this type of file.", "type"),
    "off": (404, "No such endpoint.", "off"),
}


def grant_view(request: HttpRequest) -> HttpResponse:
    """The grant endpoint: POST ``{"field", "name", "size", "type"}`` as JSON."""
    if request.method != "POST":
        return refusal(405, "Use POST.", "method")
    if request.content_type != "application/json":
        return refusal(415, "Send JSON.", "content-type")
    if content_length(request) > MAX_BODY:
        return refusal(413, "Malformed request.", "malformed")
    try:
        data = json.loads(request.body)
        name = str(data["field"])
        file = str(data["name"])
        size = data["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError("size must be a whole number of bytes")
        kind = str(data.get("type") or "")
    # TypeError: a body that is no JSON object; RecursionError: JSON nested too deep.
    except (RequestDataTooBig, KeyError, ValueError, TypeError, AttributeError, RecursionError):
        return refusal(400, "Malformed request.", "malformed")
    try:
        return JsonResponse(grant(request, name, file, size, kind))
    except Refused as e:
        logger.warning("Refused an API upload grant: %s", e)
        return refusal(*REFUSALS.get(e.code, (403, "Refused.", e.code)))


def refusal(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)
