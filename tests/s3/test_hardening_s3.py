"""Issue 13 against a real S3 (SeaweedFS): the accept list is enforced item by item, the
object kept has a checked Content-Type, and a key cannot be taken over from another browser."""

from __future__ import annotations

import json
import logging

import pytest
import requests
from django.test import Client

from tests.hardening import multipart, new_key, render, s3_post, submit

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def site(settings, s3):
    settings.ROOT_URLCONF = "tests.hardening"
    return s3


def warned(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("s3file") and r.levelno >= logging.WARNING
    ]


# 2. Bound to the field and the browser session ----------------------------------------------


def test_2_a_key_uploaded_in_one_session_is_refused_in_another(client, site, caplog):
    attrs = render(client)["doc"]
    status, key = s3_post(attrs, "a.txt", b"the victim's file", "text/plain")
    assert status == 201
    thief = Client()
    render(thief)
    response = submit(thief, "doc", [key], [attrs["data-s3f-signature"]])
    assert response.status_code == 400
    assert warned(caplog)
    assert site.keys("saved/") == []
    assert site.read(key) == b"the victim's file"  # not moved away from its owner
    # The owner's own submission still finds it.
    saved = submit(client, "doc", [key], [attrs["data-s3f-signature"]]).json()["saved"]
    assert site.read(saved["doc"]) == b"the victim's file"


def test_2_a_key_posted_under_another_field_is_refused(client, site, caplog):
    attrs = render(client)["doc"]
    status, key = s3_post(attrs, "a.txt", b"x", "text/plain")
    assert status == 201
    response = submit(client, "other", [key], [attrs["data-s3f-signature"]])
    assert response.status_code == 400
    assert any("other" in m for m in warned(caplog))
    assert site.keys("saved/") == []
    assert site.keys(key) == [key]


def test_2_a_multipart_handle_is_refused_from_another_session(client, site, caplog):
    attrs = render(client)["doc"]
    created = multipart(
        client,
        attrs,
        "create",
        {"token": attrs["data-s3f-signature"], "key": new_key(attrs, "v.bin"), "size": 10},
    )
    assert created.status_code == 200
    handle = created.json()["upload"]
    thief = Client()
    render(thief)
    for action in ("list", "complete", "abort"):
        response = multipart(thief, attrs, action, {"upload": handle})
        assert 400 <= response.status_code < 500, action
        assert response.json()["error"]
    assert warned(caplog)
    assert multipart(client, attrs, "list", {"upload": handle}).json() == {
        "parts": [],
        "contentMd5": False,
    }
    assert multipart(client, attrs, "abort", {"upload": handle}).status_code == 200


# 3. The exact accept list, and the Content-Type that is kept --------------------------------


@pytest.mark.parametrize(
    ("field", "name", "claimed"),
    [
        ("pdfpng", "page.html", "text/html"),
        ("pics", "drawing.svg", "image/svg+xml"),
        ("texts", "page.html", "text/html"),
    ],
)
def test_3_a_type_s3s_prefix_condition_lets_through_is_refused_by_the_server(
    client, site, field, name, claimed
):
    attrs = render(client)[field]
    status, key = s3_post(attrs, name, b"<html><script>alert(1)</script>", claimed)
    assert status == 201  # S3 can only check one prefix: this passes it
    response = submit(client, field, [key], [attrs["data-s3f-signature"]], title="kept")
    assert response.status_code < 500
    body = response.json()
    assert field in body["errors"]
    assert body["kept"]["title"] == ["kept"]
    assert site.keys("saved/") == []


@pytest.mark.parametrize(
    ("field", "name", "claimed", "kept"),
    [
        # Accepted by its extension: the extension's type, not what the uploader said.
        ("pdfpng", "report.pdf", "text/html", "application/pdf"),
        # Accepted by its type: that type, checked.
        ("pics", "photo.jpg", "image/jpeg", "image/jpeg"),
        ("png", "photo.png", "image/png", "image/png"),
        # No accept list: the type of its name.
        ("doc", "notes.txt", "text/html", "text/plain"),
    ],
)
def test_3_the_object_kept_has_a_content_type_the_field_accepts(
    client, site, field, name, claimed, kept
):
    attrs = render(client)[field]
    status, key = s3_post(attrs, name, b"bytes", claimed)
    assert status == 201
    response = submit(client, field, [key], [attrs["data-s3f-signature"]])
    saved = response.json()["saved"][field]
    assert site.head(saved)["ContentType"] == kept


def test_3_a_multipart_upload_of_a_refused_type_is_not_created(client, site):
    attrs = render(client)["pics"]
    response = multipart(
        client,
        attrs,
        "create",
        {
            "token": attrs["data-s3f-signature"],
            "key": new_key(attrs, "drawing.svg"),
            "size": 10,
            "contentType": "image/svg+xml",
        },
    )
    assert 400 <= response.status_code < 500
    assert response.json()["code"] == "type"
    uploads = site.client.list_multipart_uploads(Bucket=site.name).get("Uploads", [])
    assert uploads == []


# 4. No 500 from any input: the multipart API parses nothing it cannot ------------------------


@pytest.mark.parametrize("action", ["create", "sign", "list", "complete", "abort"])
def test_4_deeply_nested_json_is_a_4xx_with_a_json_error(client, site, action):
    response = client.post(
        f"/__s3file__/multipart/{action}/", "[" * 400_000, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"] and response.json()["code"]


@pytest.mark.parametrize(
    "body",
    [
        '{"token": {"a": 1}, "key": [1], "size": "x"}',
        '{"token": "x", "key": "y", "size": 1e400}',
        '{"upload": ' + "[" * 10_000 + "]" * 10_000 + "}",
        '{"token": "' + "a" * 3_000_000 + '"}',
        "\xff\xfe",
    ],
    ids=["wrong-types", "infinite", "nested-value", "oversized", "not-utf8"],
)
def test_4_malformed_multipart_bodies_are_a_4xx_with_a_json_error(client, site, body):
    response = client.post(
        "/__s3file__/multipart/create/", body.encode("latin-1"), content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"] and response.json()["code"]


# 8. A temporary object is a download on the bucket's origin, never a page (issue 20) ----------


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings) -> bool:
    settings.DEBUG = request.param
    return request.param


def served(site, key: str) -> requests.Response:
    """``key`` as the bucket's origin serves it to a browser with a link to it."""
    url = site.client.generate_presigned_url(
        "get_object", Params={"Bucket": site.name, "Key": key}
    )
    return requests.get(url, timeout=30)


def test_8_a_temporary_object_is_served_as_an_attachment(client, site, debug):
    attrs = render(client)["doc"]
    status, key = s3_post(attrs, "evil.html", b"<script>alert(1)</script>", "text/html")
    assert status == 201
    response = served(site, key)
    assert response.headers["Content-Disposition"] == "attachment"


@pytest.mark.parametrize("disposition", [None, "inline", ""])
def test_8_s3_refuses_a_post_that_is_no_attachment(client, site, debug, disposition):
    attrs = render(client)["doc"]
    fields = json.loads(attrs["data-s3f-fields"])
    fields.pop("Content-Disposition")
    if disposition is not None:
        fields["Content-Disposition"] = disposition
    key = new_key(attrs, "evil.html")
    response = requests.post(
        attrs["data-s3f-url"],
        data={**fields, "key": key, "Content-Type": "text/html"},
        files={"file": ("evil.html", b"<script>alert(1)</script>")},
        timeout=30,
    )
    assert response.status_code == 403  # the policy requires it
    assert site.keys(key) == []


def test_8_a_multipart_upload_is_an_attachment_too(client, site, debug):
    attrs = render(client)["doc"]
    key = new_key(attrs, "evil.html")
    created = multipart(
        client,
        attrs,
        "create",
        {"token": attrs["data-s3f-signature"], "key": key, "size": 10, "contentType": "text/html"},
    ).json()
    assert requests.put(created["urls"]["1"], data=b"<script/>x", timeout=30).status_code == 200
    done = multipart(client, attrs, "complete", {"upload": created["upload"]})
    assert done.status_code == 200
    assert served(site, key).headers["Content-Disposition"] == "attachment"


def test_8_the_object_a_form_keeps_is_no_attachment(client, site, debug):
    attrs = render(client)["doc"]
    status, key = s3_post(attrs, "notes.txt", b"kept", "text/plain")
    assert status == 201
    saved = submit(client, "doc", [key], [attrs["data-s3f-signature"]]).json()["saved"]["doc"]
    assert "Content-Disposition" not in served(site, saved).headers
