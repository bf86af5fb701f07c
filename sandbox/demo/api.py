"""The sandbox's REST API (Django REST framework) of reports, for the single-page demo
(``/spa/``): file fields take the values of direct uploads, as ``s3file_api`` arranges."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets

from .models import Report


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "title", "document", "cover", "created"]


class ReportViewSet(viewsets.ModelViewSet):
    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    permission_classes = [permissions.IsAuthenticated]
