"""The endpoints ``S3FileMiddleware`` serves under ``S3FILE_ENDPOINT_PATH`` (no URLconf needed):
the dev endpoint (``backends.dev.http``), the multipart API (``views``) and API clients'
grants (``api``)."""

from __future__ import annotations

from django.urls import path

from . import api, views
from .backends.dev import http

urlpatterns = [
    path("", http.upload, name="dev-upload"),
    path("multipart/<str:action>/", views.multipart, name="multipart"),
    path("grant/", api.grant_view, name="grant"),
]
