"""The grant endpoint (``s3file.api``): what an API client may upload where, and the value
it posts back, with the dev endpoint's storage."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from s3file.api import uploaded_file
from s3file.rules import unsign_grant, user_binding
from tests.conftest import make_api_user

pytestmark = pytest.mark.django_db
GRANT = "/__s3file__/grant/"


@pytest.fixture(autouse=True)
def storage(dev_storage):
    return dev_storage


def ask(client: Client, headers: dict | None = None, **body):
    wanted = {
        "field": "apiapp.Record.file",
        "name": "report.pdf",
        "size": 10,
        "type": "application/pdf",
    }
    return client.post(
        GRANT, json.dumps({**wanted, **body}), content_type="application/json", headers=headers
    )


def upload(
    client: Client,
    policy: dict,
    name: str = "report.pdf",
    body: bytes = b"%PDF-1.4 x",
    kind: str = "application/pdf",
) -> str:
    """POST the file to the dev endpoint as a client would; the value to send to the API."""
    key = policy["fields"]["key"].replace("${filename}", f"0123abcd/{name}")
    fields = {**policy["fields"], "key": key, "Content-Type": kind}
    response = client.post(policy["url"], {**fields, "file": SimpleUploadedFile(name, body)})
    assert response.status_code == 201, response.content
    return f"{policy['token']}/{key}"


def test_a_token_user_gets_the_policy_a_rendered_input_carries(api_user):
    response = ask(Client(), api_user.headers)
    assert response.status_code == 200
    policy = response.json()
    assert policy["field"] == "apiapp.Record.file"
    assert policy["fields"]["key"].endswith("/${filename}")
    assert policy["multipart"]["url"] == "/__s3file__/multipart/"
    assert set(policy["messages"]) >= {"too-large", "type", "network"}
    grant = unsign_grant(policy["token"])
    assert grant.field == "apiapp.Record.file"
    assert grant.binding == user_binding(api_user.user)


def test_anonymous_clients_are_refused():
    response = ask(Client())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_wrong_token_is_refused_not_a_server_error(api_user):
    response = ask(Client(), {"Authorization": "Token nonsense"})
    assert response.status_code == 403


def test_a_session_user_gets_a_grant_bound_to_the_user(api_user):
    client = Client()
    client.force_login(api_user.user)
    response = ask(client)
    assert response.status_code == 200
    assert unsign_grant(response.json()["token"]).binding == user_binding(api_user.user)


@pytest.mark.parametrize(
    "field", ["apiapp.Record.title", "apiapp.Record.nope", "testapp.Document.file", ""]
)
def test_fields_the_project_did_not_enable_are_refused(api_user, field):
    response = ask(Client(), api_user.headers, field=field)
    assert response.status_code == 403
    assert response.json()["code"] == "disabled"


def test_an_image_field_takes_images_only(api_user):
    response = ask(Client(), api_user.headers, field="apiapp.Record.image", name="a.pdf")
    assert (response.status_code, response.json()["code"]) == (403, "type")
    response = ask(
        Client(), api_user.headers, field="apiapp.Record.image", name="a.png", type="image/png"
    )
    assert response.status_code == 200
    assert unsign_grant(response.json()["token"]).content_type == [
        "starts-with",
        "$Content-Type",
        "image/",
    ]


def test_a_file_over_the_fields_limit_is_refused_before_uploading(api_user):
    response = ask(
        Client(),
        api_user.headers,
        field="apiapp.Record.image",
        name="a.png",
        type="image/png",
        size=5 * 1024**2 + 1,
    )
    assert (response.status_code, response.json()["code"]) == (400, "too-large")


def deny(request, user, name):
    return user.username == "admin"


def test_a_fields_permission_hook_decides_who_uploads(api_user, settings):
    settings.S3FILE_API_FIELDS = {"apiapp.Record.file": {"permission": "tests.test_api.deny"}}
    response = ask(Client(), api_user.headers)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_list_of_names_enables_fields_with_their_defaults(api_user, settings):
    settings.S3FILE_API_FIELDS = ["apiapp.Record.file", "avatars"]
    assert ask(Client(), api_user.headers, field="avatars").status_code == 200
    assert ask(Client(), api_user.headers, field="apiapp.Record.image").status_code == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[]", 400),
        (b"{", 400),
        (b'{"field": "apiapp.Record.file"}', 400),
        (b'{"field": "apiapp.Record.file", "name": "a", "size": -1}', 400),
        (b'{"field": "apiapp.Record.file", "name": "a", "size": "10"}', 400),
        (b'{"field": "apiapp.Record.file", "name": "a", "size": true}', 400),
        (b'{"field": {}, "name": "a", "size": 1}', 403),
        (b"[" * 100_000, 413),
    ],
)
def test_malformed_requests_are_refused(api_user, body, status):
    response = Client().post(
        GRANT, body, content_type="application/json", headers=api_user.headers
    )
    assert response.status_code == status


def test_only_json_posts_are_taken(api_user):
    assert Client().get(GRANT, headers=api_user.headers).status_code == 405
    form = Client().post(GRANT, {"field": "apiapp.Record.file"}, headers=api_user.headers)
    assert form.status_code == 415


def test_the_value_comes_back_as_the_upload_for_its_user_and_field(api_user):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    file = uploaded_file(value, "apiapp.Record.file", api_user.user)
    with file:
        assert (file.name, file.size, file.read()) == ("report.pdf", 10, b"%PDF-1.4 x")


@pytest.mark.parametrize(
    ("field", "other_user", "code"),
    [
        ("apiapp.Record.image", False, "elsewhere"),
        ("apiapp.Record.file", True, "elsewhere"),
        ("apiapp.Record.title", False, "disabled"),
    ],
)
def test_a_value_for_another_field_or_user_is_refused(api_user, field, other_user, code):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    user = make_api_user("mallory").user if other_user else api_user.user
    with pytest.raises(ValidationError) as refused:
        uploaded_file(value, field, user)
    assert refused.value.code == code


def test_a_value_for_nobody_is_refused(api_user):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    with pytest.raises(ValidationError) as refused:
        uploaded_file(value, "apiapp.Record.file", None)
    assert refused.value.code == "elsewhere"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda value: "x" + value,
        lambda value: value.replace("/0123abcd/", "/../"),
        lambda value: value.rsplit("/", 2)[0] + "/report.pdf",
        lambda value: value.split("/", 1)[0] + "/tmp/s3file/elsewhere/x/report.pdf",
        lambda value: "",
    ],
)
def test_a_forged_value_is_refused(api_user, tamper):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    with pytest.raises(ValidationError) as refused:
        uploaded_file(tamper(value), "apiapp.Record.file", api_user.user)
    assert refused.value.code == "forged"


def test_an_expired_value_is_refused(api_user, settings):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    settings.S3FILE_EXPIRES = -1
    with pytest.raises(ValidationError) as refused:
        uploaded_file(value, "apiapp.Record.file", api_user.user)
    assert refused.value.code == "expired"


def test_a_field_disabled_since_the_grant_is_refused(api_user, settings):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    settings.S3FILE_API_FIELDS = {}
    with pytest.raises(ValidationError) as refused:
        uploaded_file(value, "apiapp.Record.file", api_user.user)
    assert refused.value.code == "disabled"


def test_a_limit_lowered_since_the_grant_is_applied(api_user, settings):
    client = Client()
    value = upload(client, ask(client, api_user.headers).json())
    settings.S3FILE_API_FIELDS = {"apiapp.Record.file": {"max_size": 5}}
    with pytest.raises(ValidationError) as refused:
        uploaded_file(value, "apiapp.Record.file", api_user.user)
    assert refused.value.code == "too_large"
