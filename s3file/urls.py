"""The endpoints ``S3FileMiddleware`` serves under ``S3FILE_ENDPOINT_PATH`` (no URLconf needed):
the dev endpoint (``backends.dev.http``) and the multipart API (``views``)."""

from __future__ import annotations

from django.urls import path

from . import views
from .backends.dev import http

urlpatterns = [
    path("", http.upload, name="dev-upload"),
    path("multipart/<str:action>/", views.multipart, name="multipart"),
]
