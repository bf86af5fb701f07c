from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("upload/", views.upload, name="upload"),
    path("upload/alt/", views.upload, name="upload-alt"),
    path("images/", views.images, name="images"),
    path("scans/", views.scans, name="scans"),
    path("kept/", views.kept_form),
    path("kept/model/", views.kept_model_form),
    path("kept/formset/", views.kept_formset),
    path("webhook/", views.webhook),
    path("temporary-files/", views.temporary_files),
    path("describe/", views.describe_view),
    path("describe-async/", csrf_exempt(views.describe_async)),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(wagtail_urls)),  # Wagtail's pages: last, it takes every path
]
