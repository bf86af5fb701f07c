"""Issue 13 against a real S3 (SeaweedFS): the accept list is enforced item by item, the
object kept has a checked Content-Type, and a key cannot be taken over from another browser."""

from __future__ import annotations

import logging

import pytest
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
