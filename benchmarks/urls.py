from __future__ import annotations

from django.conf import settings
from django.urls import include, path

from . import companion, views

urlpatterns = [
    path("upload/", views.upload),
    path("claim/<str:model>/", views.model_form),
    path("uppy/", views.uppy),
    path("client/", views.client),
    # Companion's S3 routes, as Uppy's AwsS3 plugin calls them (see companion.py).
    path("companion/s3/params", companion.params),
    path("companion/s3/multipart", companion.create),
    path("companion/s3/multipart/<str:upload_id>", companion.upload),
    path("companion/s3/multipart/<str:upload_id>/complete", companion.complete),
    path("companion/s3/multipart/<str:upload_id>/<int:part>", companion.sign_part),
    path("plain/", views.plain),
    path("ping/", views.ping),
]

if "wagtail.admin" in settings.INSTALLED_APPS:
    from wagtail.admin import urls as wagtailadmin_urls

    urlpatterns.append(path("cms/", include(wagtailadmin_urls)))
