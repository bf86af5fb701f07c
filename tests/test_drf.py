"""s3file_api's Django REST framework field and django-ninja type, with the dev endpoint's
storage: a ModelViewSet and a ninja API of ``Record`` take direct uploads' values."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from s3file_api.drf import S3ImageUploadField, S3UploadField
from tests.apiapp.api import RecordSerializer
from tests.apiapp.models import Record
from tests.conftest import make_api_user
from tests.test_api import ask, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(dev_storage):
    return dev_storage


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(out, "PNG")
    return out.getvalue()


def uploaded(
    api_user,
    field: str = "apiapp.Record.file",
    name: str = "report.pdf",
    body: bytes = b"%PDF-1.4 x",
    kind: str = "application/pdf",
) -> str:
    client = Client()
    response = ask(client, api_user.headers, field=field, name=name, size=len(body), type=kind)
    assert response.status_code == 200, response.content
    return upload(client, response.json(), name, body, kind)


def api(api_user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_user.token}")
    return client


def test_model_serializer_uses_the_fields_for_file_and_image_fields():
    fields = RecordSerializer().fields
    assert type(fields["file"]) is S3UploadField
    assert type(fields["image"]) is S3ImageUploadField
    assert fields["file"].target == "apiapp.Record.file"


def test_a_viewset_creates_and_updates_objects_from_uploads(api_user, storage):
    image = png()
    created = api(api_user).post(
        "/api/records/",
        {
            "title": "one",
            "file": uploaded(api_user),
            "image": uploaded(api_user, "apiapp.Record.image", "dot.png", image, "image/png"),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    record = Record.objects.get()
    assert record.file.name.startswith("records/report")
    assert (storage / record.file.name).read_bytes() == b"%PDF-1.4 x"
    assert (storage / record.image.name).read_bytes() == image
    assert created.json()["file"].endswith(record.file.name)

    updated = api(api_user).patch(
        f"/api/records/{record.pk}/",
        {"file": uploaded(api_user, body=b"%PDF-1.4 second")},
        format="json",
    )
    assert updated.status_code == 200, updated.content
    record.refresh_from_db()
    assert (storage / record.file.name).read_bytes() == b"%PDF-1.4 second"


def test_errors_are_drf_validation_errors_field_by_field(api_user):
    response = api(api_user).post(
        "/api/records/",
        {"title": "x", "file": "forged/tmp/s3file/a/b/c.pdf", "image": uploaded(api_user)},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["file"] == ["This is not the value of a direct upload."]
    assert errors["image"] == ["This upload was made for another field or another user."]
    assert not Record.objects.exists()


def test_another_users_upload_is_refused(api_user):
    value = uploaded(api_user)
    other = make_api_user("mallory")
    response = api(other).post("/api/records/", {"title": "x", "file": value}, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == ["This upload was made for another field or another user."]


def test_an_expired_upload_is_refused(api_user, settings):
    value = uploaded(api_user)
    settings.S3FILE_EXPIRES = -1
    response = api(api_user).post("/api/records/", {"title": "x", "file": value}, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == ["This upload has expired. Upload the file again."]


def test_a_disabled_field_refuses_uploads(api_user, settings):
    value = uploaded(api_user)
    settings.S3FILE_API_FIELDS = {"apiapp.Record.image": {}}
    response = api(api_user).post("/api/records/", {"title": "x", "file": value}, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == ["This field takes no direct uploads."]


def test_a_non_image_uploaded_as_an_image_is_refused(api_user):
    value = uploaded(api_user, "apiapp.Record.image", "fake.png", b"not a png", "image/png")
    response = api(api_user).post(
        "/api/records/", {"title": "x", "file": uploaded(api_user), "image": value}, format="json"
    )
    assert response.status_code == 400
    assert "image" in response.json() and "file" not in response.json()


def test_raw_bytes_are_refused_by_an_enabled_field(api_user):
    raw = SimpleUploadedFile("a.pdf", b"%PDF")
    response = api(api_user).post("/api/records/", {"title": "x", "file": raw}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == [
        "Upload the file to storage first and send the value the upload gave."
    ]


@pytest.mark.parametrize("setting", [True, False])
def test_raw_bytes_are_taken_where_configured(api_user, settings, storage, setting):
    settings.S3FILE_API_RAW_UPLOADS = setting
    if not setting:  # a field the project did not enable behaves as DRF's own
        settings.S3FILE_API_FIELDS = {}
    raw = SimpleUploadedFile("a.pdf", b"%PDF raw")
    response = api(api_user).post("/api/records/", {"title": "x", "file": raw}, format="multipart")
    assert response.status_code == 201, response.content
    assert (storage / Record.objects.get().file.name).read_bytes() == b"%PDF raw"


def test_an_explicit_field_names_its_target_and_may_take_raw_bytes(api_user, settings):
    settings.S3FILE_API_FIELDS = {"avatars": {"accept": "image/*"}}

    class AvatarSerializer(serializers.Serializer):
        avatar = S3UploadField(target="avatars", allow_raw=False)

    value = uploaded(api_user, "avatars", "dot.png", png(), "image/png")
    request = type("Request", (), {"user": api_user.user})()
    serializer = AvatarSerializer(data={"avatar": value}, context={"request": request})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["avatar"].name == "dot.png"
    serializer = AvatarSerializer(data={"avatar": value}, context={})
    assert not serializer.is_valid()
    assert serializer.errors["avatar"][0].code == "elsewhere"


def session(api_user) -> tuple[Client, str]:
    """A browser's signed-in session that Django checks CSRF for, and its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_user.user)
    client.get("/spa/?session=1")  # the page sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def test_a_session_with_its_csrf_token_gets_grants_and_creates_objects(api_user, storage):
    client, csrf = session(api_user)
    headers = {"X-CSRFToken": csrf}
    response = ask(client, headers)
    assert response.status_code == 200, response.content
    value = upload(client, response.json())
    created = client.post(
        "/api/records/",
        {"title": "Session", "file": value},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert (storage / Record.objects.get().file.name).read_bytes() == b"%PDF-1.4 x"


def test_a_session_without_its_csrf_token_gets_no_grant(api_user):
    client, _ = session(api_user)
    response = ask(client)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_anonymous_clients_are_refused_by_the_viewset(api_user):
    response = APIClient().post("/api/records/", {"title": "x", "file": "v"}, format="json")
    assert response.status_code in (401, 403)


def test_the_openapi_schema_describes_the_upload_value(api_user):
    schema = api(api_user).get("/api/schema/split/?format=json").json()
    components = schema["components"]["schemas"]
    request = components["RecordRequest"]["properties"]["file"]
    assert request["type"] == "string"
    assert "grant" in request["description"] and "apiapp.Record.file" in request["description"]
    assert components["Record"]["properties"]["file"] == {"type": "string", "format": "uri"}
    assert "application/json" in schema["paths"]["/api/records/"]["post"]["requestBody"]["content"]


def test_one_schema_for_both_directions_says_what_is_sent_and_read(api_user):
    schema = api(api_user).get("/api/schema/?format=json").json()
    file = schema["components"]["schemas"]["Record"]["properties"]["file"]
    assert file["type"] == "string"
    assert "apiapp.Record.file" in file["description"] and "URL" in file["description"]


# django-ninja ---------------------------------------------------------------------------


def test_a_ninja_api_creates_and_updates_objects_from_uploads(api_user, storage):
    client = Client()
    client.force_login(api_user.user)
    created = client.post(
        "/ninja/records",
        {"title": "one", "file": uploaded(api_user)},
        content_type="application/json",
    )
    assert created.status_code == 200, created.content
    record = Record.objects.get()
    assert (storage / record.file.name).read_bytes() == b"%PDF-1.4 x"
    updated = client.put(
        f"/ninja/records/{record.pk}",
        {"title": "two", "file": uploaded(api_user, body=b"%PDF two")},
        content_type="application/json",
    )
    assert updated.status_code == 200, updated.content
    record.refresh_from_db()
    assert (storage / record.file.name).read_bytes() == b"%PDF two"


def test_a_ninja_api_refuses_another_users_upload_field_by_field(api_user):
    client = Client()
    client.force_login(make_api_user("mallory").user)
    response = client.post(
        "/ninja/records",
        {"title": "x", "file": uploaded(api_user)},
        content_type="application/json",
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["type"]) == (["body", "payload", "file"], "elsewhere")
    assert not Record.objects.exists()


def test_a_ninja_api_refuses_anonymous_clients(api_user):
    response = Client().post(
        "/ninja/records", {"title": "x", "file": "v"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_ninja_schema_describes_the_upload_value(api_user):
    schema = Client().get("/ninja/openapi.json").json()
    file = schema["components"]["schemas"]["RecordIn"]["properties"]["file"]
    assert file["type"] == "string" and "grant" in file["description"]
