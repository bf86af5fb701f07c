"""Property-based, the API's side (issue 22): whatever a client sends the grant endpoint,
the multipart API with an API grant, or a DRF API as an upload's value, never a 500, and a
value is taken only when it is genuine."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.apiapp.models import Record
from tests.test_api import ask, upload
from tests.test_properties import NASTY, SETTINGS, json_values

pytestmark = pytest.mark.django_db

FIELDS = ["apiapp.Record.file", "apiapp.Record.image", "apiapp.Record.title", "avatars", ""]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))
grant_bodies = st.dictionaries(
    st.sampled_from(["field", "name", "size", "type", "extra"]),
    st.one_of(st.sampled_from(FIELDS), texts, json_values, st.integers(-(2**70), 2**70)),
)
authorizations = st.sampled_from(
    ["good", "", "Token ", "Token nonsense", "Bearer x", "Token \x00"]
)


def headers(api_user, authorization: str) -> dict:
    value = f"Token {api_user.token}" if authorization == "good" else authorization
    return {"Authorization": value} if value else {}


@pytest.mark.usefixtures("dev_storage")
@SETTINGS
@given(body=st.one_of(grant_bodies, json_values), authorization=authorizations)
def test_the_grant_endpoint_answers_4xx_with_a_message_never_500(api_user, body, authorization):
    response = APIClient().post(
        "/__s3file__/grant/",
        json.dumps(body),
        content_type="application/json",
        headers=headers(api_user, authorization),
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["error"] and response.json()["code"]
    else:
        assert authorization == "good"
        assert response.json()["token"]


@pytest.mark.s3
@pytest.mark.usefixtures("s3")
@hypothesis_settings(SETTINGS, max_examples=60)
@given(
    action=st.sampled_from(["create", "sign", "list", "complete", "abort"]),
    key=texts,
    size=json_values,
    authorization=authorizations,
)
def test_the_multipart_api_with_an_api_grant_never_500(api_user, action, key, size, authorization):
    policy = ask(APIClient(), api_user.headers).json()
    body = {"token": policy["token"], "key": key, "size": size, "upload": key, "parts": size}
    response = APIClient().post(
        f"/__s3file__/multipart/{action}/",
        json.dumps(body),
        content_type="application/json",
        headers=headers(api_user, authorization),
    )
    assert response.status_code < 500
    if response.status_code < 400:  # only its user may start an upload with the grant
        assert (action, authorization) == ("create", "good")


@pytest.mark.usefixtures("dev_storage")
@SETTINGS
@given(
    tamper=st.one_of(
        texts,
        st.builds("{}/{}".format, st.just("TOKEN"), texts),
        st.builds("{}{}".format, st.just("VALUE"), texts),
        json_values,
    ),
)
def test_a_drf_api_refuses_every_value_but_a_genuine_one(api_user, tamper):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_user.token}")
    value = upload(client, ask(client, api_user.headers).json())
    token = value.split("/", 1)[0]
    if isinstance(tamper, str):
        tamper = tamper.replace("TOKEN", token).replace("VALUE", value)
    response = client.post(
        "/api/records/",
        json.dumps({"title": "x", "file": tamper}),
        content_type="application/json",
    )
    assert response.status_code < 500
    if response.status_code < 400:
        assert tamper == value
        Record.objects.all().delete()
    else:  # the field's error; or DRF's own where the body is no JSON (NaN, Infinity)
        assert response.json().get("file") or response.json()["detail"]
