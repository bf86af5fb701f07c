"""manage.py s3file_bucket against SeaweedFS: check, apply, merge, idempotence."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from s3file.management.commands.s3file_bucket import CORS_RULE_ID, LIFECYCLE_RULE_ID, cors_origins

pytestmark = pytest.mark.s3
FOREIGN_CORS = {"ID": "theirs", "AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}
FOREIGN_LIFECYCLE = {
    "ID": "logs",
    "Status": "Enabled",
    "Filter": {"Prefix": "logs/"},
    "Expiration": {"Days": 30},
}


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("s3file_bucket", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bare(s3, settings):
    """A bucket with someone else's rules only."""
    settings.S3FILE_CORS_ORIGINS = ["https://www.example.com"]
    s3.client.put_bucket_cors(Bucket=s3.name, CORSConfiguration={"CORSRules": [FOREIGN_CORS]})
    s3.client.put_bucket_lifecycle_configuration(
        Bucket=s3.name, LifecycleConfiguration={"Rules": [FOREIGN_LIFECYCLE]}
    )
    return s3


def test_check_reports_what_is_missing_and_fails(bare):
    with pytest.raises(CommandError, match="not ready") as error:
        run("--check")
    assert error.value.returncode == 1
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("s3file_bucket", "--check", stderr=err)
    assert "CORS: POST from https://www.example.com is not allowed" in err.getvalue()
    assert "CORS: PUT from https://www.example.com is not allowed" in err.getvalue()
    assert "Lifecycle: objects under tmp/s3file/ do not expire in 2 days" in err.getvalue()
    assert "unfinished multipart uploads under tmp/s3file/" in err.getvalue()


def test_apply_merges_and_keeps_other_rules(bare):
    out, _ = run("--apply")
    assert f"CORS rule {CORS_RULE_ID} written" in out and "ready for direct uploads" in out
    cors = {r.get("ID"): r for r in bare.client.get_bucket_cors(Bucket=bare.name)["CORSRules"]}
    assert cors["theirs"]["AllowedMethods"] == ["GET"]
    assert cors[CORS_RULE_ID]["AllowedOrigins"] == ["https://www.example.com"]
    assert sorted(cors[CORS_RULE_ID]["AllowedMethods"]) == ["POST", "PUT"]
    assert cors[CORS_RULE_ID]["ExposeHeaders"] == ["ETag"]
    rules = bare.client.get_bucket_lifecycle_configuration(Bucket=bare.name)["Rules"]
    lifecycle = {r["ID"]: r for r in rules}
    assert lifecycle["logs"]["Expiration"] == {"Days": 30}
    assert lifecycle[LIFECYCLE_RULE_ID]["Filter"] == {"Prefix": "tmp/s3file/"}
    assert lifecycle[LIFECYCLE_RULE_ID]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 2
    }
    out, _ = run("--check")
    assert "ready for direct uploads" in out


def test_apply_is_idempotent_and_updates_only_its_own_rules(bare, settings):
    run("--apply")
    out, _ = run("--apply")
    assert "Nothing to change." in out
    settings.S3FILE_CORS_ORIGINS = ["https://www.example.com", "https://admin.example.com"]
    out, _ = run("--apply", "--expire-days", "7")
    assert "CORS rule" in out and "Lifecycle rule" in out
    cors = bare.client.get_bucket_cors(Bucket=bare.name)["CORSRules"]
    assert [r.get("ID") for r in cors].count(CORS_RULE_ID) == 1
    assert len(cors) == 2
    rules = bare.client.get_bucket_lifecycle_configuration(Bucket=bare.name)["Rules"]
    assert {r["ID"]: r["Expiration"]["Days"] for r in rules} == {"logs": 30, LIFECYCLE_RULE_ID: 7}


def test_the_prefix_follows_the_location(s3, settings):
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(s3.server, s3.name, location="site/media")
    settings.S3FILE_CORS_ORIGINS = ["https://a.example"]
    run("--apply")
    rules = s3.client.get_bucket_lifecycle_configuration(Bucket=s3.name)["Rules"]
    assert rules[0]["Filter"] == {"Prefix": "site/media/tmp/s3file/"}


def test_origins_come_from_csrf_trusted_origins_and_allowed_hosts(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://shop.example.com/"]
    settings.ALLOWED_HOSTS = ["www.example.com", ".example.org", "*"]
    assert cors_origins() == [
        "https://*.example.org",
        "https://example.org",
        "https://shop.example.com",
        "https://www.example.com",
    ]


def test_no_origin_is_an_error(settings, s3):
    settings.CSRF_TRUSTED_ORIGINS = []
    settings.ALLOWED_HOSTS = ["*"]
    with pytest.raises(CommandError, match="S3FILE_CORS_ORIGINS"):
        run("--check")


def test_a_local_storage_has_nothing_to_set_up(dev_storage):
    with pytest.raises(CommandError, match="not an S3 storage"):
        run("--check")


def test_an_ipv6_origin_is_written_and_then_found(bare, settings):
    """ "[::1]" is a host, not a wildcard; S3's only wildcard in an origin is one "*"."""
    settings.S3FILE_CORS_ORIGINS = ["http://[::1]:8000", "https://*.example.com"]
    out, _ = run("--apply")
    assert "ready for direct uploads" in out
    assert "ready for direct uploads" in run("--check")[0]
    settings.S3FILE_CORS_ORIGINS = ["http://[::2]:8000", "https://www.example.com?"]
    with pytest.raises(CommandError, match="not ready"):
        run("--check")


def one_line_error(*args: str) -> CommandError:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 1
    assert "\n" not in str(error.value)
    assert "Traceback" not in str(error.value)
    return error.value


@pytest.mark.parametrize("action", ["--check", "--apply"])
def test_a_missing_bucket_is_one_line_saying_to_create_it(s3, settings, action):
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(s3.server, "no-such-bucket-here")
    settings.S3FILE_CORS_ORIGINS = ["https://a.example"]
    error = one_line_error(action)
    assert "Bucket no-such-bucket-here does not exist" in str(error)
    assert "create it" in str(error)


@pytest.mark.parametrize("action", ["--check", "--apply"])
def test_refused_credentials_are_one_line_saying_to_check_them(s3, settings, action):
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(s3.server, s3.name, secret_key="wrong-secret")
    settings.S3FILE_CORS_ORIGINS = ["https://a.example"]
    error = one_line_error(action)
    assert "refused the credentials" in str(error)
    assert "access_key and secret_key" in str(error)


@pytest.mark.parametrize("action", ["--check", "--apply"])
def test_an_unreachable_endpoint_is_one_line_saying_to_check_it(s3, settings, action):
    from devtools.ports import free_port
    from tests.conftest import s3_storage_settings

    settings.STORAGES = s3_storage_settings(s3.server, s3.name)
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = closed
    settings.S3FILE_CORS_ORIGINS = ["https://a.example"]
    error = one_line_error(action)
    assert f"Could not reach the S3 endpoint {closed}" in str(error)
    assert "endpoint_url" in str(error)
