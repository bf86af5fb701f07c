"""The sandbox's URLs; s3file needs none (its middleware serves the dev endpoint itself)."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.generic import TemplateView
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sandbox.demo import views
from sandbox.demo.api import ReportViewSet

router = DefaultRouter()
router.register("reports", ReportViewSet)

urlpatterns = [
    path("", views.upload, name="upload"),
    path("admin/", admin.site.urls),
    # The single-page demo: plain HTML, s3file's JS client and the REST API.
    path("spa/", ensure_csrf_cookie(TemplateView.as_view(template_name="demo/spa.html"))),
    path("api/", include(router.urls)),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("pages/", include(wagtail_urls)),
]

if settings.DEBUG:  # FileSystemStorage's files (the filesystem mode)
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
