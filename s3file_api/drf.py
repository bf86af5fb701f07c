"""Django REST framework: serializer fields that take the value of a direct upload
(``s3file.api``) in place of a file's bytes, and the authentication the grant endpoint uses
for DRF's clients (``S3FILE_API_AUTHENTICATION = "s3file_api.drf.authenticate"``)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.settings import api_settings

from s3file import conf
from s3file.api import target, uploaded_file
from s3file.rules import Refused

logger = logging.getLogger("s3file")


def authenticate(request: HttpRequest) -> Any:
    """The user DRF's ``DEFAULT_AUTHENTICATION_CLASSES`` find for ``request`` (a token, a
    JWT, the session with its CSRF check); None when none does or the credentials are wrong.
    """
    if not hasattr(request, "user") and hasattr(request, "session"):
        # The endpoint answers before AuthenticationMiddleware, whose user DRF's
        # SessionAuthentication reads: set it the same lazy way.
        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
    authenticators = [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    # SessionAuthentication's CSRF check reads request.POST, which DRF parses: without
    # parsers, a JSON body is an unsupported media type and the session never counts.
    parsers = [parser() for parser in api_settings.DEFAULT_PARSER_CLASSES]
    try:
        return Request(request, parsers=parsers, authenticators=authenticators).user
    except exceptions.APIException as e:
        logger.info("DRF refused the credentials of an upload request: %s", e)
        return None


class S3UploadField(serializers.FileField):
    """A file field whose value is a direct upload's: ``<token>/<key>``, which the grant
    endpoint's client sends after uploading (see ``s3file.api``).

    The value is checked as a form checks a posted key: a genuine, unexpired grant of API
    field ``target`` given to the request's user, a key inside its folder, and (one HEAD)
    the object's size and type against the grant and the field's limits. The model gets an
    ``S3UploadedFile``, which ``S3OptimizedUploadStorage`` copies inside S3. ``target``
    defaults to the model field a ``ModelSerializer`` built this for (``app_label.Model.field``).

    A file's bytes (a plain multipart upload) are refused, unless ``allow_raw`` is true,
    ``S3FILE_API_RAW_UPLOADS`` is, or ``S3FILE_API_FIELDS`` does not enable ``target``.
    """

    default_error_messages = {
        "raw": _("Upload the file to storage first and send the value the upload gave."),
    }

    def __init__(
        self, *, target: str | None = None, allow_raw: bool | None = None, **kwargs: Any
    ) -> None:
        self.target = target
        self.allow_raw = allow_raw
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        model = getattr(getattr(parent, "Meta", None), "model", None)
        source = self.source or ""
        if self.target is None and model is not None and source and "." not in source:
            self.target = f"{model._meta.label}.{source}"

    def enabled(self) -> bool:
        """Whether ``S3FILE_API_FIELDS`` enables this field's target."""
        try:
            target(self.target or "")
        except Refused:
            return False
        return True

    def raw_allowed(self) -> bool:
        """Whether a file's bytes are taken too (see the class)."""
        if self.allow_raw is not None:
            return self.allow_raw
        return bool(conf.get("S3FILE_API_RAW_UPLOADS")) or not self.enabled()

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            if not self.raw_allowed():
                self.fail("raw")
            return super().to_internal_value(data)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        http_request = getattr(request, "_request", request)  # a DRF Request wraps Django's
        try:
            upload = uploaded_file(data, self.target or "", user, http_request)
            return super().to_internal_value(upload)
        except DjangoValidationError as e:  # refused, too large, of a wrong type, gone
            raise serializers.ValidationError(e.messages, code=e.code) from e


class S3ImageUploadField(S3UploadField, serializers.ImageField):
    """``S3UploadField`` for images: Pillow checks the upload as DRF's ``ImageField`` does
    (reading it from storage into a temporary file)."""


def install() -> None:
    """Have ``ModelSerializer`` use these fields for model ``FileField``s and ``ImageField``s
    (``s3file_api``'s ``ready()``); a second call does nothing."""
    mapping = serializers.ModelSerializer.serializer_field_mapping
    mapping[models.FileField] = S3UploadField
    mapping[models.ImageField] = S3ImageUploadField
