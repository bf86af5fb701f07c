from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("upload/", views.upload, name="upload"),
    path("upload/alt/", views.upload, name="upload-alt"),
    path("images/", views.images, name="images"),
    path("webhook/", views.webhook),
    path("temporary-files/", views.temporary_files),
    path("describe/", views.describe_view),
    path("describe-async/", csrf_exempt(views.describe_async)),
]
