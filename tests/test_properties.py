"""Property-based: whatever is posted, never a 500 and never a file outside its signed folder."""

from __future__ import annotations

import json
import mimetypes
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from s3file.multipart import MiB, Upload, sign_upload
from tests.conftest import sign_folder
from tests.hardening import dev_post, new_key, render, submit

FOLDERS = ["tmp/s3file/aaaa", "tmp/s3file/bbbb"]
NASTY = [
    "",
    ".",
    "..",
    "../x",
    "%2e%2e/x",
    "%2E%2E%2Fx",
    "/etc/passwd",
    "\\..\\x",
    "x\x00y",
    "ü/../ß",
    "a" * 3000,
    "tmp/s3file/aaaa",
    "tmp/s3file/aaaa/",
    "tmp/s3file/aaaa//x",
    "tmp/s3file/aaaa/0/",
    "tmp/s3file/aaaab/0/x",
]
SETTINGS = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

keys = st.one_of(
    st.builds(
        "{}/{}/{}".format, st.sampled_from(FOLDERS), st.integers(0, 3), st.text(max_size=20)
    ),
    st.builds("{}/{}".format, st.sampled_from(FOLDERS), st.text(max_size=40)),
    st.sampled_from(NASTY),
    st.text(max_size=60),
)
signatures = st.one_of(
    st.sampled_from(["good:" + f for f in FOLDERS]),  # replaced by real signatures below
    st.text(max_size=80),
    st.just(""),
)
field_names = st.one_of(
    st.sampled_from(["file", "docs", "s3file"]), st.text(min_size=1, max_size=12)
)
uploads = st.lists(
    st.tuples(field_names, st.lists(keys, max_size=3), st.lists(signatures, max_size=2)),
    max_size=3,
)
noise = st.lists(st.tuples(st.text(max_size=10), st.text(max_size=20)), max_size=3)


def real(signature: str) -> str:
    return sign_folder(signature[5:]) if signature.startswith("good:") else signature


@pytest.mark.usefixtures("dev_storage")
@SETTINGS
@given(uploads=uploads, noise=noise)
@example(uploads=[("file", [f"{FOLDERS[0]}/0/a.txt"], [f"good:{FOLDERS[0]}"])], noise=[])
@example(uploads=[("f", [f"{FOLDERS[1]}/0/x"], [f"good:{FOLDERS[0]}", "bad"])], noise=[])
def test_middleware_never_500_and_never_a_file_outside_its_folder(
    client, settings, uploads, noise
):
    settings.ROOT_URLCONF = "tests.testapp.reliability_urls"
    pairs = list(noise)
    signed_folders: dict[str, set[str]] = {}
    for field, field_keys, field_signatures in uploads:
        pairs.append(("s3file", field))
        pairs += [(field, key) for key in field_keys]
        pairs += [(f"{field}-s3f-signature", real(s)) for s in field_signatures]
        signed_folders.setdefault(field, set()).update(
            s[5:] for s in field_signatures if s.startswith("good:")
        )
    response = client.post(
        "/keys/", urlencode(pairs), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        for field, got in response.json().items():
            for key in got:
                assert ".." not in key.split("/")
                assert any(key.startswith(folder + "/") for folder in signed_folders[field])


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
bodies = st.dictionaries(
    st.sampled_from(["token", "key", "size", "contentType", "upload", "parts"]),
    st.one_of(json_values, st.sampled_from(["TOKEN", "HANDLE", "tmp/s3file/aaaa/0/x.bin"]), keys),
)


@pytest.mark.s3
@pytest.mark.usefixtures("s3")
@SETTINGS
@given(
    action=st.sampled_from(["create", "sign", "list", "complete", "abort", "other"]),
    body=st.one_of(bodies, json_values),
)
def test_multipart_endpoints_answer_4xx_with_a_message_never_500(client, action, body):
    handle = sign_upload(Upload("tmp/s3file/aaaa/0/x.bin", "0" * 32, 20 * MiB, 5 * MiB))
    swap = {"TOKEN": sign_folder(FOLDERS[0]), "HANDLE": handle}
    if isinstance(body, dict):
        body = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = client.post(
        f"/__s3file__/multipart/{action}/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["error"]
    elif action == "create":
        assert response.json()["upload"]


@pytest.mark.usefixtures("dev_storage")
@SETTINGS
@given(fields=st.dictionaries(st.text(min_size=1, max_size=15), st.text(max_size=40), max_size=6))
def test_dev_upload_endpoint_never_500(client, fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {k: v for k, v in fields.items() if k != "file"}
    response = client.post("/__s3file__/", {**fields, "file": SimpleUploadedFile("a.txt", b"a")})
    assert 400 <= response.status_code < 500
    assert b"<Error>" in response.content


# Issue 13: the exact accept list, nesting and size ------------------------------------------

ACCEPT_ITEMS = [
    ".pdf",
    ".png",
    ".PNG",
    ".html",
    ".svg",
    ".foo",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "image/*",
    "text/plain",
    "text/csv",
    "text/*",
    "application/pdf",
    "video/*",
    "*/*",
]
NAMES = [
    "a.pdf",
    "a.png",
    "a.PNG",
    "a.html",
    "a.htm",
    "a.svg",
    "a.jpg",
    "a.jpeg",
    "a.txt",
    "a.csv",
    "a",
    "a.foo",
    "a.png.html",
    "a.html.png",
]
accept_lists = st.lists(st.sampled_from(ACCEPT_ITEMS), max_size=3).map(
    lambda items: ", ".join(items)
)


def accepted(accept: str, name: str) -> bool:
    """The HTML ``accept`` rule, item by item, with the type a name's extension has (what a
    FileSystemStorage serves the file as); no type, no pass for a typed field."""
    items = [item.strip().lower() for item in accept.split(",") if item.strip()]
    kind = mimetypes.guess_type(name, strict=False)[0]
    if not items:
        return True
    for item in items:
        if item in ("*", "*/*"):
            return True
        if item.startswith("."):
            if name.lower().endswith(item):
                return True
        elif item.endswith("/*"):
            if kind and kind.startswith(item[:-1]):
                return True
        elif kind == item:
            return True
    return False


def active(name: str) -> bool:
    """Whether a browser runs ``name`` as a document or script when a site serves it."""
    kind = mimetypes.guess_type(name, strict=False)[0] or ""
    return kind == "text/html" or kind.endswith("xml") or "javascript" in kind


def named(accept: str, name: str) -> bool:
    """Whether ``accept`` names the type of ``name`` itself, not through a wildcard."""
    items = [item.strip().lower() for item in accept.split(",") if item.strip()]
    kind = mimetypes.guess_type(name, strict=False)[0]
    return any(name.lower().endswith(i) if i[0] == "." else i == kind for i in items)


def stored_by_dev(accept: str, name: str) -> bool:
    """What the dev endpoint stores: what the field accepts, and a page or script only when
    the field names its type (the site serves what a form takes as its name says)."""
    return accepted(accept, name) and (not active(name) or named(accept, name))


def one_field(client, accept: str, max_size: int | None = None) -> tuple[str, dict]:
    query = urlencode({"accept": accept, **({"max": max_size} if max_size else {})})
    url = f"/h/one/?{query}"
    return url, render(client, url)["file"]


@pytest.fixture
def hardening_site(settings, dev_pending):
    """The hardening site on the dev endpoint; the folder it keeps uploads in."""
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return dev_pending


@SETTINGS
@given(accept=accept_lists, name=st.sampled_from(NAMES))
@example(accept="image/png", name="a")
@example(accept=".pdf, .png", name="a.html")
@example(accept="image/png, image/jpeg", name="a.svg")
@example(accept="text/plain, text/csv", name="a.html")
@example(accept="image/*", name="a.svg")
@example(accept="", name="a.html")
@example(accept=".svg", name="a.svg")
def test_the_server_takes_a_file_exactly_when_its_accept_list_does(
    client, hardening_site, accept, name
):
    url, attrs = one_field(client, accept)
    # The dev endpoint, given the type the name has (what the script sends).
    kind = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
    posted, _ = dev_post(client, attrs, name, b"x", kind)
    assert posted.status_code < 500
    assert (posted.status_code == 201) == stored_by_dev(accept, name)
    # The form's re-check, of a file already in the folder (however it got there).
    key = new_key(attrs, name)
    (hardening_site / key).parent.mkdir(parents=True, exist_ok=True)
    (hardening_site / key).write_bytes(b"x")
    answer = submit(client, "file", [key], [attrs["data-s3f-signature"]], url=url)
    assert answer.status_code == 200
    assert ("saved" in answer.json()) == accepted(accept, name)


@SETTINGS
@given(max_size=st.integers(1, 2000), size=st.integers(0, 4000))
def test_the_dev_endpoint_stores_a_file_exactly_when_it_fits_its_grant(
    client, hardening_site, max_size, size
):
    _, attrs = one_field(client, "", max_size)
    response, key = dev_post(client, attrs, "a.bin", b"x" * size)
    assert response.status_code == (201 if size <= max_size else 400)
    assert (hardening_site / key).exists() == (size <= max_size)


nested_bodies = st.one_of(
    st.integers(1, 300_000).map(lambda n: "[" * n),
    st.integers(1, 300_000).map(lambda n: '{"a":' * n),
    st.integers(1, 100_000).map(lambda n: '{"upload": ' + "[" * n + "]" * n + "}"),
    st.integers(1, 100_000).map(lambda n: '{"token": "x", "key": ' + "[" * n + "]" * n + "}"),
    st.integers(1, 4_000_000).map(lambda n: '{"token": "' + "a" * n + '"}'),
)


@pytest.mark.s3
@pytest.mark.usefixtures("s3")
@hypothesis_settings(SETTINGS, max_examples=40)
@given(
    action=st.sampled_from(["create", "sign", "list", "complete", "abort"]),
    body=nested_bodies,
)
def test_multipart_endpoints_answer_deep_or_huge_bodies_with_a_4xx(client, action, body):
    response = client.post(
        f"/__s3file__/multipart/{action}/", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"] and response.json()["code"]


@pytest.mark.usefixtures("dev_storage")
@hypothesis_settings(SETTINGS, max_examples=40)
@given(
    signature=st.one_of(
        st.integers(1, 300_000).map(lambda n: "[" * n),
        st.integers(1, 300_000).map(lambda n: "a" * n + ":" + "b" * n),
    ),
    key=st.one_of(keys, st.integers(1, 200_000).map(lambda n: "tmp/s3file/aaaa/0/" + "a" * n)),
)
def test_middleware_answers_deep_or_huge_fields_with_a_400(client, settings, signature, key):
    settings.ROOT_URLCONF = "tests.testapp.reliability_urls"
    response = client.post(
        "/keys/",
        urlencode([("s3file", "file"), ("file", key), ("file-s3f-signature", signature)]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
