"""Property-based: whatever is posted, never a 500 and never a file outside its signed folder."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from s3file.multipart import MiB, Upload, sign_upload
from tests.conftest import sign_folder

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


@pytest.mark.usefixtures("dev_storage")
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
@given(
    query=st.dictionaries(
        st.sampled_from(["upload", "partNumber", "expires", "signature"]), st.text(max_size=30)
    ),
    body=st.binary(max_size=100),
)
def test_dev_part_endpoint_never_500(client, query, body):
    response = client.generic("PUT", "/__s3file__/multipart/part/?" + urlencode(query), body)
    assert 400 <= response.status_code < 500
    assert b"<Error>" in response.content


@pytest.mark.usefixtures("dev_storage")
@SETTINGS
@given(fields=st.dictionaries(st.text(min_size=1, max_size=15), st.text(max_size=40), max_size=6))
def test_dev_upload_endpoint_never_500(client, fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {k: v for k, v in fields.items() if k != "file"}
    response = client.post("/__s3file__/", {**fields, "file": SimpleUploadedFile("a.txt", b"a")})
    assert 400 <= response.status_code < 500
    assert b"<Error>" in response.content
