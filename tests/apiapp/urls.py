from __future__ import annotations

from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from .api import RecordViewSet, ninja_api

router = DefaultRouter()
router.register("records", RecordViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/token/", obtain_auth_token),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/schema/split/",
        SpectacularAPIView.as_view(custom_settings={"COMPONENT_SPLIT_REQUEST": True}),
    ),
    path("ninja/", ninja_api.urls),
    path("spa/", TemplateView.as_view(template_name="apiapp/spa.html")),
]
