"""The test URLs plus the views the reliability tests post to."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("store/", views.store),
    path("store-then-fail/", views.store_then_fail),
    path("keys/", views.keys),
    path("upload/", views.upload, name="upload"),
    path("upload/alt/", views.upload, name="upload-alt"),
]
