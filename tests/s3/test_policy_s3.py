"""What S3 refuses, the dev endpoint refuses the same way: one test, both servers."""

from __future__ import annotations

import base64
import json
import re

import pytest
import requests
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from s3file.backends import backend as store
from s3file.rules import Grant, content_type_condition, new_grant
from tests.conftest import new_folder, sign_folder

pytestmark = pytest.mark.s3


@pytest.fixture(params=["s3", "dev"])
def backend(request):
    request.getfixturevalue("s3" if request.param == "s3" else "dev_storage")
    return request.param


def upload(backend, client, url, fields, body=b"hello", name="a.txt"):
    """POST like a browser; return (status, S3 error code or key)."""
    if backend == "s3":
        response = requests.post(url, data=fields, files={"file": (name, body)}, timeout=30)
        status, text = response.status_code, response.text
    else:
        response = client.post(url, {**fields, "file": SimpleUploadedFile(name, body)})
        status, text = response.status_code, response.content.decode()
    match = re.search(r"<(Code|Key)>(.*?)</", text)
    return status, match.group(2) if match else text


def signed(max_size=100, accept="text/plain", **changes):
    grant = new_grant(store().upload_prefix(), max_size, accept)
    url, fields = store().presign_post(grant)
    folder = grant.folder
    fields = {**fields, "key": f"{folder}/0/a.txt", "Content-Type": "text/plain"}
    return url, {**fields, **changes}, folder


def test_a_valid_upload_is_stored(backend, client):
    url, fields, folder = signed()
    assert upload(backend, client, url, fields) == (201, f"{folder}/0/a.txt")


def tamper(backend, fields, folder):
    """The policy without its size limit, with the signature of the real one."""
    if backend == "dev":  # the dev policy is the signed grant itself
        unlimited = Grant(folder, 10**9, content_type_condition("text/plain"))
        return {**fields, "policy": store().presign_post(unlimited)[1]["policy"]}
    policy = json.loads(base64.b64decode(fields["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if "content-length-range" not in c]
    return {**fields, "policy": base64.b64encode(json.dumps(policy).encode()).decode()}


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("too-large", 400, "EntityTooLarge"),
        ("wrong-type", 403, "AccessDenied"),
        ("outside-folder", 403, "AccessDenied"),
        ("bad-signature", 403, "SignatureDoesNotMatch"),
        ("tampered-policy", 403, "SignatureDoesNotMatch"),
        ("expired", 403, "AccessDenied"),
        ("extra-field", 403, "AccessDenied"),
        ("bad-checksum", 400, "BadDigest"),
    ],
)
def test_refusals(backend, client, settings, case, status, code):
    if case == "expired":
        settings.S3FILE_EXPIRES = -60
    url, fields, folder = signed()
    body = b"hello"
    if case == "too-large":
        body = b"x" * 101
    elif case == "wrong-type":
        fields["Content-Type"] = "image/png"
    elif case == "outside-folder":
        fields["key"] = "tmp/s3file/elsewhere/0/a.txt"
    elif case == "bad-signature":
        fields["x-amz-signature"] = "0" * len(fields["x-amz-signature"])
    elif case == "tampered-policy":
        fields = tamper(backend, fields, folder)
        body = b"x" * 101
    elif case == "extra-field":
        fields["x-amz-meta-owner"] = "mallory"
    elif case == "bad-checksum":
        fields["x-amz-checksum-sha1"] = base64.b64encode(b"\0" * 20).decode()
    result = upload(backend, client, url, fields, body)
    # SeaweedFS names a checksum mismatch like a Content-MD5 one; the status is what counts.
    assert result[0] == status
    if case != "bad-checksum" or backend == "dev":
        assert result[1] == code
    assert not storages["default"].exists(f"{folder}/0/a.txt")
    assert not storages["default"].exists("tmp/s3file/elsewhere/0/a.txt")


def posted(folder: str, key: str) -> dict:
    """The fields the script posts for one file in the form's field `file`."""
    return {"s3file": "file", "file": key, "file-s3f-signature": sign_folder(folder)}


@pytest.mark.django_db
def test_middleware_refusals_open_nothing_in_s3(s3, client, s3_calls):
    folder = new_folder()
    key = f"{folder}/0/a.txt"
    s3.put(key, b"abc")
    s3_calls.clear()
    for data in [
        {"s3file": "file", "file": key, "file-s3f-signature": "forged"},
        {"s3file": "file", "file": "tmp/other/0/a.txt", "file-s3f-signature": sign_folder(folder)},
        {
            "s3file": "file",
            "file": f"{folder}/0/../../x",
            "file-s3f-signature": sign_folder(folder),
        },
    ]:
        assert client.post("/upload/", {"title": "t", **data}).status_code == 400
    assert s3_calls == []


@pytest.mark.django_db
def test_a_missing_object_in_s3_is_a_form_error(s3, client):
    folder = new_folder()
    data = {
        "s3file": "file",
        "file": f"{folder}/0/gone.pdf",
        "file-s3f-signature": sign_folder(folder),
    }
    response = client.post("/upload/", {"title": "t", **data})
    assert response.status_code == 200
    assert "“gone.pdf” is no longer in storage" in response.content.decode()
