"""The dev endpoint answers like S3: same policy, same status codes and XML error codes."""

from __future__ import annotations

import base64
import hashlib
import re
import time

import pytest
from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from s3file.backends import LocalBackend
from s3file.rules import SALT, Grant, content_type_condition

pytestmark = pytest.mark.usefixtures("dev_storage")
FOLDER = "tmp/s3file/f0"


def form(max_size: int = 1000, accept: str = "", **changes: str) -> dict[str, str]:
    grant = Grant(FOLDER, max_size, content_type_condition(accept))
    _, fields = LocalBackend(storages["default"]).presign_post(grant)
    return {**fields, "key": f"{FOLDER}/0/a.txt", "Content-Type": "text/plain", **changes}


def post(client, fields: dict, body: bytes = b"hello", name: str = "a.txt"):
    return client.post("/__s3file__/", {**fields, "file": SimpleUploadedFile(name, body)})


def s3_code(response) -> str:
    return re.search(r"<Code>(.*?)</Code>", response.content.decode()).group(1)


def test_a_valid_post_is_stored_at_its_key(client, dev_pending):
    response = post(client, form())
    assert response.status_code == 201
    assert f"<Key>{FOLDER}/0/a.txt</Key>" in response.content.decode()
    assert (dev_pending / FOLDER / "0" / "a.txt").read_bytes() == b"hello"


def test_filename_placeholder_is_replaced(client, dev_pending):
    response = post(client, form(key=f"{FOLDER}/${{filename}}"), name="b.txt")
    assert response.status_code == 201
    assert (dev_pending / FOLDER / "b.txt").read_bytes() == b"hello"


def tampered_policy() -> dict:
    """The policy of a larger grant, with the signature of the real one."""
    return {**form(), "policy": form(max_size=10**9)["policy"]}


class PastSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 7 * 60 * 60)


def expired_policy() -> dict:
    """A policy signed by this server, longer ago than S3FILE_EXPIRES."""
    grant = Grant(FOLDER, 1000, content_type_condition(""))
    policy, signature = PastSigner(salt=SALT).sign_object(list(grant)).rsplit(":", 1)
    return {**form(), "policy": policy, "x-amz-signature": signature}


@pytest.mark.parametrize(
    ("fields", "body", "status", "code"),
    [
        (lambda: form(max_size=4), b"hello", 400, "EntityTooLarge"),
        (lambda: form(accept="image/*"), b"hello", 403, "AccessDenied"),
        (lambda: form(key="tmp/s3file/other/0/a.txt"), b"hello", 403, "AccessDenied"),
        (lambda: form(**{"x-amz-signature": "0" * 64}), b"hello", 403, "SignatureDoesNotMatch"),
        (tampered_policy, b"hello", 403, "SignatureDoesNotMatch"),
        (expired_policy, b"hello", 403, "AccessDenied"),
        (lambda: form(extra="field"), b"hello", 403, "AccessDenied"),
        (lambda: form(success_action_status="200"), b"hello", 403, "AccessDenied"),
        (
            lambda: {k: v for k, v in form().items() if k != "policy"},
            b"hello",
            400,
            "InvalidArgument",
        ),
        (lambda: form(key=f"{FOLDER}/0/../../../../escape.txt"), b"hello", 400, "InvalidArgument"),
        (
            lambda: form(**{"x-amz-checksum-sha1": base64.b64encode(b"x" * 20).decode()}),
            b"hello",
            400,
            "BadDigest",
        ),
    ],
    ids=[
        "too-large",
        "wrong-type",
        "outside-prefix",
        "bad-signature",
        "tampered-policy",
        "expired",
        "extra-field",
        "changed-field",
        "no-policy",
        "traversal",
        "bad-checksum",
    ],
)
def test_refusals_match_s3(client, dev_storage, dev_pending, fields, body, status, code):
    response = post(client, fields(), body)
    assert (response.status_code, s3_code(response)) == (status, code)
    assert not dev_pending.exists() or not any(dev_pending.rglob("*.txt"))
    assert not list(dev_storage.parent.rglob("escape.txt"))


def test_a_matching_checksum_is_accepted(client, dev_storage):
    checksum = base64.b64encode(hashlib.sha1(b"hello").digest()).decode()
    response = post(client, form(**{"x-amz-checksum-sha1": checksum}))
    assert response.status_code == 201


def test_get_is_not_allowed(client):
    assert client.get("/__s3file__/").status_code == 405


def test_two_files_in_one_post_are_refused(client):
    response = client.post(
        "/__s3file__/",
        {
            **form(),
            "file": SimpleUploadedFile("a.txt", b"a"),
            "other": SimpleUploadedFile("b", b""),
        },
    )
    assert (response.status_code, s3_code(response)) == (400, "InvalidArgument")


def test_endpoint_is_off_with_s3_storage(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert client.post("/__s3file__/", {}).status_code == 404


@pytest.mark.parametrize(
    "key",
    [
        f"{FOLDER}/../../documents/contract.pdf",
        f"{FOLDER}/0/%2e%2e/%2e%2e/%2e%2e/documents/contract.pdf",
        f"{FOLDER}/0/./x",
        f"{FOLDER}//x",
    ],
)
def test_a_signed_policy_with_a_hostile_key_touches_nothing(client, dev_pending, key):
    contract = dev_pending / "documents" / "contract.pdf"
    contract.parent.mkdir(parents=True)
    contract.write_bytes(b"signed contract")
    response = post(client, form(key=key))
    assert (response.status_code, s3_code(response)) == (400, "InvalidArgument")
    assert contract.read_bytes() == b"signed contract"


def test_posting_onto_a_folder_is_refused_not_a_500(client, dev_pending):
    (dev_pending / FOLDER / "0" / "a.txt" / "inner").mkdir(parents=True)
    (dev_pending / FOLDER / "0" / "a.txt" / "inner" / "x").write_bytes(b"x")
    response = post(client, form())
    assert (response.status_code, s3_code(response)) == (400, "InvalidArgument")
    assert (dev_pending / FOLDER / "0" / "a.txt" / "inner" / "x").exists()


@pytest.mark.django_db
def test_the_endpoint_path_is_a_setting(client, settings, dev_storage):
    settings.S3FILE_ENDPOINT_PATH = "dev-s3/"
    fields = form()
    assert (
        client.post("/dev-s3/", {**fields, "file": SimpleUploadedFile("a.txt", b"hi")}).status_code
        == 201
    )
    settings.S3FILE_ENDPOINT_PATH = "__s3file__/"
    assert (
        client.post("/dev-s3/", {**fields, "file": SimpleUploadedFile("a.txt", b"hi")}).status_code
        == 404
    )
