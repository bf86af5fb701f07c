from __future__ import annotations

from django.conf import settings
from django.urls import include, path

from . import views

urlpatterns = [
    path("upload/", views.upload),
    path("plain/", views.plain),
    path("ping/", views.ping),
]

if "wagtail.admin" in settings.INSTALLED_APPS:
    from wagtail.admin import urls as wagtailadmin_urls

    urlpatterns.append(path("cms/", include(wagtailadmin_urls)))
