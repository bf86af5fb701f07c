from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import SuspiciousOperation

from s3file.rules import SALT, Grant, check_key, sign_grant, unsign_grant

FOLDER = "tmp/s3file/0123abcd"
GRANT = Grant(FOLDER, 1000, ["eq", "$Content-Type", "application/pdf"])


def sign_folder(folder):
    return sign_grant(GRANT._replace(folder=folder))


def unsign_folder(value):
    return unsign_grant(value).folder


class OldSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(1_000_000)


def test_signature_round_trips():
    assert unsign_grant(sign_grant(GRANT)) == GRANT


@pytest.mark.parametrize(
    "value",
    ["", "tmp/s3file/other", sign_folder(FOLDER)[:-1] + "x", sign_folder(FOLDER) + "x"],
)
def test_forged_signatures_are_refused(value):
    with pytest.raises(SuspiciousOperation, match="bad upload signature"):
        unsign_folder(value)


def test_expired_signature_is_refused():
    with pytest.raises(SuspiciousOperation, match="expired"):
        unsign_folder(OldSigner(salt=SALT).sign_object(list(GRANT)))


def test_signature_with_other_salt_is_refused():
    with pytest.raises(SuspiciousOperation):
        unsign_folder(signing.TimestampSigner(salt="other").sign_object(list(GRANT)))


def test_old_secret_key_still_verifies_through_fallbacks(settings):
    value = sign_folder(FOLDER)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key"
    assert unsign_folder(value) == FOLDER


def test_a_signed_value_of_another_shape_is_refused():
    with pytest.raises(SuspiciousOperation, match="bad upload signature"):
        unsign_grant(signing.TimestampSigner(salt=SALT).sign_object("just a string"))


def test_key_in_any_of_several_signed_folders_is_accepted():
    assert check_key("tmp/b/0/x", ["tmp/a", "tmp/b"]) == "tmp/b/0/x"
    with pytest.raises(SuspiciousOperation):
        check_key("tmp/c/0/x", ["tmp/a", "tmp/b"])


def test_key_in_a_file_subfolder_is_accepted():
    assert check_key(f"{FOLDER}/0/report.pdf", FOLDER) == f"{FOLDER}/0/report.pdf"
    assert check_key(f"{FOLDER}/3/ünïcode name.pdf", FOLDER)


@pytest.mark.parametrize(
    "key",
    [
        "",
        f"{FOLDER}/0/../../../etc/passwd",
        f"{FOLDER}/../other/0/x",
        f"{FOLDER}/0/%2e%2e/%2e%2e/x",
        f"{FOLDER}/0/..%2fx",
        f"{FOLDER}/0/a\\..\\b",
        f"/{FOLDER}/0/x",
        f"{FOLDER}//0/x",
        f"{FOLDER}/0/./x",
        f"{FOLDER}/0/x\x00.txt",
        f"{FOLDER}/0/x\n.txt",
        "tmp/s3file/other/0/x",
        f"{FOLDER}x/0/x",
        f"{FOLDER}/x.txt",
        f"{FOLDER}/",
        FOLDER,
    ],
)
def test_bad_keys_are_refused(key):
    with pytest.raises(SuspiciousOperation):
        check_key(key, FOLDER)
