"""A Django REST framework API and a django-ninja API of ``Record``, as a project writes them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.security import APIKeyHeader, django_auth
from rest_framework import permissions, serializers, viewsets
from rest_framework.authtoken.models import Token

from s3file_api.ninja import UploadValue, upload

from .models import Record


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Record
        fields = ["id", "title", "file", "image"]


class RecordViewSet(viewsets.ModelViewSet):
    queryset = Record.objects.all()
    serializer_class = RecordSerializer
    permission_classes = [permissions.IsAuthenticated]


class TokenAuth(APIKeyHeader):
    """DRF's tokens for the ninja API too: ``Authorization: Token <key>``."""

    param_name = "Authorization"

    def authenticate(self, request, key):
        scheme, _, token = (key or "").partition(" ")
        found = Token.objects.filter(key=token).select_related("user").first()
        return found.user if scheme == "Token" and found else None


ninja_api = NinjaAPI(urls_namespace="ninja", auth=[TokenAuth(), django_auth])


class RecordIn(Schema):
    title: str
    file: UploadValue


class RecordOut(Schema):
    id: int
    title: str
    file: str


@ninja_api.post("/records", response=RecordOut)
def create_record(request, payload: RecordIn):
    file = upload(payload.file, "apiapp.Record.file", request, "file")
    record = Record.objects.create(title=payload.title, file=file)
    return {"id": record.pk, "title": record.title, "file": record.file.name}


@ninja_api.put("/records/{pk}", response=RecordOut)
def update_record(request, pk: int, payload: RecordIn):
    record = get_object_or_404(Record, pk=pk)
    record.title = payload.title
    record.file = upload(payload.file, "apiapp.Record.file", request, "file")
    record.save()
    return {"id": record.pk, "title": record.title, "file": record.file.name}
