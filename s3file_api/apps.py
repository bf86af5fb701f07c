"""The ``s3file_api`` app: Django REST framework's ``ModelSerializer`` takes direct uploads
for model file fields, and drf-spectacular describes them, once the app is installed."""

from __future__ import annotations

import importlib.util

from django.apps import AppConfig


class S3FileAPIConfig(AppConfig):
    name = "s3file_api"
    verbose_name = "Direct uploads for APIs"

    def ready(self) -> None:
        if importlib.util.find_spec("rest_framework") is None:
            return  # django-ninja only
        from . import drf

        drf.install()
        if importlib.util.find_spec("drf_spectacular") is not None:
            from . import schema  # noqa: F401  (the extension registers itself)
