"""The endpoints ``S3FileMiddleware`` serves under ``S3FILE_ENDPOINT_PATH`` (no URLconf needed)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dev_upload, name="dev-upload"),
    path("multipart/part/", views.dev_part, name="dev-part"),
    path("multipart/<str:action>/", views.multipart, name="multipart"),
]
