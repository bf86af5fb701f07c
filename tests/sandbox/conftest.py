"""A sandbox set up in a temp dir and served on a free port, as ``sandbox/run.py`` does it.

Setting one up (migrations, seed) is the slowest step of the suite, so each kind is set up
at most once per worker, whichever files its tests are in.
"""

from __future__ import annotations

import contextlib
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devtools.ports import free_port
from devtools.processes import stop_group, wait_until_up
from devtools.seaweedfs import ACCESS_KEY, REGION, SECRET_KEY, SeaweedFS
from sandbox import SEAWEEDFS_BUCKET
from sandbox.run import Sandbox, set_up, start_server


@dataclass
class RunningSandbox:
    sandbox: Sandbox
    env: dict[str, str]

    @property
    def url(self) -> str:
        return self.sandbox.url


@contextmanager
def running_sandbox(var_dir: Path, mode: str, **env: str) -> Iterator[RunningSandbox]:
    """Set the sandbox up in ``var_dir`` (migrate, superuser, seed), then serve it."""
    sandbox = Sandbox(mode=mode, var_dir=var_dir, port=free_port())
    # Only the AWS variables given here: a developer's own must not reach a test bucket.
    base = {k: v for k, v in sandbox.env().items() if not k.startswith("AWS_")}
    running = RunningSandbox(sandbox, {**base, **env})
    set_up(running.env)
    server = start_server(running.env, sandbox.port, reload=False)
    try:
        wait_until_up(sandbox.url + "/admin/login/", server)
        yield running
    finally:
        # SIGTERM: no test needs runserver's Ctrl-C path, which at times sat out the
        # whole 10 s before the kill.
        stop_group(server, first=signal.SIGTERM)


@pytest.fixture(scope="session")
def filesystem_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """The sandbox on FileSystemStorage: browsers upload to s3file's dev endpoint."""
    with running_sandbox(tmp_path_factory.mktemp("sandbox-fs"), "filesystem") as running:
        yield running


@dataclass
class SandboxBucket:
    name: str
    client: Any

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def seaweedfs_sandbox(
    tmp_path_factory: pytest.TempPathFactory, s3_server: SeaweedFS
) -> Iterator[tuple[RunningSandbox, SandboxBucket]]:
    """The sandbox in its default mode, with the session's SeaweedFS as the embedded one.

    The bucket starts bare, as ``run.py`` creates it: the set-up must give it its CORS rule,
    or the browser could not upload.
    """
    client = s3_server.client()
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=SEAWEEDFS_BUCKET)
    var_dir = tmp_path_factory.mktemp("sandbox-seaweedfs")
    port = str(s3_server.s3_port)
    with running_sandbox(var_dir, "seaweedfs", SANDBOX_S3_PORT=port) as running:
        yield running, SandboxBucket(SEAWEEDFS_BUCKET, client)


@pytest.fixture
def s3_env(tmp_path: Path, s3_server: SeaweedFS) -> tuple[dict[str, str], SandboxBucket]:
    """The ``s3`` mode's environment for a new, bare bucket of the session's SeaweedFS."""
    name = f"sandbox-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    client.create_bucket(Bucket=name)
    sandbox = Sandbox(mode="s3", var_dir=tmp_path, port=free_port())
    env = {k: v for k, v in sandbox.env().items() if not k.startswith("AWS_")}
    env.update(
        AWS_STORAGE_BUCKET_NAME=name,
        AWS_S3_ENDPOINT_URL=s3_server.endpoint_url,
        AWS_S3_REGION_NAME=REGION,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_S3_ADDRESSING_STYLE="path",
    )
    return env, SandboxBucket(name, client)
