"""Issue 13 with the dev endpoint (FileSystemStorage): what an attacker with a browser and
curl tried, refused, and nothing written for it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.hardening import (
    MiB,
    dev_post,
    lazy_multipart,
    new_key,
    render,
    send_stream,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, dev_storage: Path) -> Path:
    """The hardening site with the dev endpoint explicitly on; MEDIA_ROOT's path."""
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return dev_storage


@pytest.fixture
def pending(site: Path, dev_pending: Path) -> Path:
    """Where the dev endpoint keeps what it stores until a form takes it."""
    return dev_pending


def s3_code(response) -> str:
    match = re.search(r"<Code>(.*?)</Code>", response.content.decode())
    return match.group(1) if match else ""


def warned(caplog) -> list[str]:
    """The s3file logger's warnings (a refusal says why in the log, like a forged one)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("s3file") and r.levelno >= logging.WARNING
    ]


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# 1. The dev endpoint cannot plant a page on the site ---------------------------------------


@pytest.mark.parametrize("filename", ["evil.html", "evil.svg", "evil", "evil.png.html"])
def test_1_dev_endpoint_refuses_a_name_whose_type_the_field_does_not_accept(
    client, site, pending, caplog, filename
):
    attrs = render(client)["png"]
    response, key = dev_post(client, attrs, filename, b"<script>alert(1)</script>", "image/png")
    assert 400 <= response.status_code < 500
    assert s3_code(response)  # S3's error shape
    assert warned(caplog)
    assert not (pending / key).exists()
    assert files_under(site) == []
    assert not pending.exists() or files_under(pending) == []


def test_1_dev_endpoint_still_stores_a_name_of_an_accepted_type(client, site, pending):
    attrs = render(client)["png"]
    response, key = dev_post(client, attrs, "photo.PNG", b"\x89PNG", "image/png")
    assert response.status_code == 201
    assert (pending / key).read_bytes() == b"\x89PNG"


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("pdfpng", "a.pdf", "a.html"),
        ("pics", "a.jpg", "a.svg"),
        ("texts", "a.csv", "a.html"),
    ],
)
def test_1_dev_endpoint_checks_the_name_against_each_item_of_the_accept_list(
    client, site, pending, field, good, bad
):
    attrs = render(client)[field]
    honest = {"pdfpng": "application/pdf", "pics": "image/jpeg", "texts": "text/csv"}[field]
    ok, ok_key = dev_post(client, attrs, good, b"x", honest)
    assert ok.status_code == 201, ok.content
    # The Content-Type each bad file claims passes S3's collapsed condition.
    claimed = {"pdfpng": "text/html", "pics": "image/svg+xml", "texts": "text/html"}[field]
    refused, key = dev_post(client, attrs, bad, b"<html>", claimed)
    assert 400 <= refused.status_code < 500
    assert files_under(pending) == [ok_key]
    assert files_under(site) == []


def test_1_dev_endpoint_is_off_when_debug_is_false_and_no_setting_turns_it_on(
    client, settings, dev_storage
):
    settings.ROOT_URLCONF = "tests.hardening"
    settings.DEBUG = False
    del settings.S3FILE_DEV_ENDPOINT
    attrs = render(client)["doc"]
    assert "data-s3f-url" not in attrs  # an ordinary file input
    assert client.post("/__s3file__/", {}).status_code == 404
    # Nothing lost: the file goes up through Django, as without s3file.
    response = client.post("/h/", {"doc": SimpleUploadedFile("notes.txt", b"plain upload")})
    assert response.json() == {"saved": {"doc": "saved/doc/notes.txt"}}
    assert (dev_storage / "saved" / "doc" / "notes.txt").read_bytes() == b"plain upload"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "s3file.E001"]


@pytest.mark.parametrize(
    ("debug", "setting", "on"),
    [(True, None, True), (True, False, False), (False, True, True), (False, None, False)],
)
def test_1_dev_endpoint_follows_debug_unless_the_setting_says(
    client, settings, dev_storage, debug, setting, on
):
    settings.ROOT_URLCONF = "tests.hardening"
    settings.DEBUG = debug
    settings.S3FILE_DEV_ENDPOINT = setting
    assert ("data-s3f-url" in render(client)["doc"]) is on
    assert (client.post("/__s3file__/", {}).status_code != 404) is on
    deploy = [m.id for m in run_checks(include_deployment_checks=True)]
    assert ("s3file.E001" in deploy) is on


def test_1_and_5_a_post_over_the_grant_is_refused_before_its_body_is_read(
    client, site, pending, caplog
):
    attrs = render(client)["small"]  # at most 10 bytes
    fields = {
        **json.loads(attrs["data-s3f-fields"]),
        "key": new_key(attrs, "big.bin"),
        "Content-Type": "application/octet-stream",
    }
    body, content_type = lazy_multipart(fields, "big.bin", 100 * MiB)
    response = send_stream(client, "POST", attrs["data-s3f-url"], body, content_type)
    assert response.status_code in (400, 413)
    assert s3_code(response) == "EntityTooLarge"
    assert body.position < 1 * MiB  # refused from its Content-Length
    assert files_under(site) == []
    assert not pending.exists() or files_under(pending) == []


def test_1_a_key_colliding_with_a_file_or_folder_is_a_4xx(client, site, pending):
    attrs = render(client)["doc"]
    key = new_key(attrs, "a.txt")
    (pending / key).parent.mkdir(parents=True)
    (pending / key).write_bytes(b"first")
    below, _ = dev_post(client, attrs, "b.txt", b"below a file", key=key + "/b.txt")
    assert 400 <= below.status_code < 500
    (pending / key).unlink()
    (pending / key / "inner").mkdir(parents=True)
    onto, _ = dev_post(client, attrs, "a.txt", b"onto a folder", key=key)
    assert 400 <= onto.status_code < 500
    assert files_under(pending) == []


# 2. A grant is bound to its field and to the browser that rendered it -----------------------


def uploaded(client: Client, field: str = "doc", name: str = "a.txt") -> tuple[str, str]:
    """Render the form in ``client``'s browser, upload one file for ``field``; (key, token)."""
    attrs = render(client)[field]
    response, key = dev_post(client, attrs, name, b"the victim's file", "text/plain")
    assert response.status_code == 201
    return key, attrs["data-s3f-signature"]


def test_2_the_same_browser_submits_its_upload(client, site):
    key, token = uploaded(client)
    response = submit(client, "doc", [key], [token])
    assert response.json() == {"saved": {"doc": "saved/doc/a.txt"}}


@pytest.mark.parametrize("thief", ["anonymous", "fresh", "staff"])
def test_2_a_key_is_refused_from_another_browser_session(
    client, site, pending, admin_user, caplog, thief
):
    """A grant rendered for an anonymous visitor is refused in another session: one that
    never visited, another anonymous visitor with its own CSRF cookie, a logged-in staff."""
    key, token = uploaded(client)
    other = Client()
    if thief == "anonymous":
        render(other)  # has a CSRF cookie of its own, and no session
    elif thief == "staff":
        other.force_login(admin_user)
        render(other)
    response = submit(other, "doc", [key], [token], title="kept")
    assert response.status_code == 400
    assert any("doc" in m for m in warned(caplog))
    # What a user whose session changed sees: an error on the field, the rest kept.
    assert "doc" in response.json()["errors"]
    assert response.json()["kept"]["title"] == ["kept"]
    assert not (site / "saved").exists()
    assert (pending / key).read_bytes() == b"the victim's file"  # not taken over
    # The victim can still submit it.
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.txt"}}


def test_2_a_key_is_refused_under_another_field(client, site, pending, caplog):
    key, token = uploaded(client, "doc")
    response = submit(client, "other", [key], [token])
    assert response.status_code == 400
    assert any("other" in m for m in warned(caplog))
    assert not (site / "saved").exists()
    assert (pending / key).exists()


def test_2_an_anonymous_visitor_without_a_session_may_upload(client, site):
    key, token = uploaded(client)
    assert "sessionid" not in client.cookies  # only the CSRF cookie binds it
    assert submit(client, "doc", [key], [token]).status_code == 200


def test_2_the_grant_does_not_carry_the_csrf_secret(client, site):
    attrs = render(client)["doc"]
    secret = client.cookies["csrftoken"].value
    assert secret not in str(attrs)


# 3. The server's re-check enforces the exact accept list ------------------------------------


def planted(pending: Path, attrs: dict, name: str, body: bytes = b"<html>") -> str:
    """Put a file into the input's folder as an older dev endpoint (or a race) could have."""
    key = new_key(attrs, name)
    (pending / key).parent.mkdir(parents=True, exist_ok=True)
    (pending / key).write_bytes(body)
    return key


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("png", "evil.html"),
        ("png", "evil"),
        ("pdfpng", "evil.html"),
        ("pics", "evil.svg"),
        ("texts", "evil.html"),
    ],
)
def test_3_the_server_refuses_a_file_of_a_type_outside_the_exact_accept_list(
    client, site, pending, field, name
):
    attrs = render(client)[field]
    key = planted(pending, attrs, name)
    response = submit(client, field, [key], [attrs["data-s3f-signature"]], title="kept")
    assert response.status_code < 500
    body = response.json()
    assert field in body["errors"]
    assert body["kept"]["title"] == ["kept"]
    assert not (site / "saved").exists()


@pytest.mark.parametrize(
    ("field", "name"),
    [("png", "a.png"), ("pdfpng", "a.pdf"), ("pdfpng", "b.png"), ("pics", "c.jpeg")],
)
def test_3_the_server_takes_each_item_of_the_accept_list(client, site, pending, field, name):
    attrs = render(client)[field]
    key = planted(pending, attrs, name, b"bytes")
    response = submit(client, field, [key], [attrs["data-s3f-signature"]])
    assert response.json() == {"saved": {field: f"saved/{field}/{name}"}}


# 4. No 500 from any input -------------------------------------------------------------------


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


def test_4_a_broken_multipart_form_to_the_dev_endpoint_is_a_4xx(client, site):
    response = client.generic(
        "POST", "/__s3file__/", b"--x\r\nbroken", content_type="multipart/form-data"
    )
    assert 400 <= response.status_code < 500


def test_4_a_huge_nested_signature_posted_to_a_form_is_a_400(client, site, caplog):
    attrs = render(client)["doc"]
    key = new_key(attrs, "a.txt")
    response = submit(client, "doc", [key], ["[" * 400_000])
    assert response.status_code == 400
    assert not (site / "saved").exists()


# 5. Dev disk is bounded ---------------------------------------------------------------------
