"""The test settings with django-unfold, whose app must come before the admin's."""

from __future__ import annotations

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [
    "unfold",  # before django.contrib.admin, as Unfold's documentation says
    *INSTALLED_APPS,  # noqa: F405
    "tests.unfoldapp",
]
