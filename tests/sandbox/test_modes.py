"""The ``s3`` mode: the usual AWS variables configure the storage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sandbox.run import MANAGE
from tests.sandbox.conftest import SandboxBucket

pytestmark = pytest.mark.s3


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True
    )


def test_s3_mode_uses_the_bucket_endpoint_and_keys_of_the_aws_variables(
    s3_env: tuple[dict[str, str], SandboxBucket],
) -> None:
    env, bucket = s3_env
    origin = f"http://127.0.0.1:{env['SANDBOX_PORT']}"

    check = manage(env, "s3file_bucket", "--check")
    assert check.returncode == 1
    assert f"CORS: POST from {origin} is not allowed" in check.stderr
    assert manage(env, "s3file_bucket", "--apply").returncode == 0

    rules = bucket.client.get_bucket_cors(Bucket=bucket.name)["CORSRules"]
    assert origin in rules[0]["AllowedOrigins"]


def test_s3_mode_without_a_bucket_says_what_is_missing(
    s3_env: tuple[dict[str, str], SandboxBucket],
) -> None:
    env, _ = s3_env
    del env["AWS_STORAGE_BUCKET_NAME"]

    result = manage(env, "check")

    assert result.returncode == 1
    assert "SANDBOX_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr
