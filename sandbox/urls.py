"""The sandbox's URLs; s3file needs none (its middleware serves the dev endpoint itself)."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sandbox.demo import views

urlpatterns = [
    path("", views.upload, name="upload"),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("pages/", include(wagtail_urls)),
]

if settings.DEBUG:  # FileSystemStorage's files (the filesystem mode)
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
