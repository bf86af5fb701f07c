"""The endpoints ``S3FileMiddleware`` serves under ``S3FILE_ENDPOINT_PATH`` (no URLconf needed):
the dev endpoint (``dev``) and the multipart API (``views``)."""

from __future__ import annotations

from django.urls import path

from . import dev, views

urlpatterns = [
    path("", dev.upload, name="dev-upload"),
    path("multipart/part/", dev.part, name="dev-part"),
    path("multipart/<str:action>/", views.multipart, name="multipart"),
]
