"""What every benchmark shares: its options, test files, SeaweedFS, and statistics."""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tests.seaweedfs import SeaweedFS  # the test suite's real S3 server

MiB = 1024**2
GiB = 1024**3
T = TypeVar("T")


@dataclass
class Context:
    """The options of this run and the scratch directory its files live in."""

    work_dir: Path
    quick: bool = False
    runs: int = 3
    sizes: list[int] = field(default_factory=lambda: [1, 64, 512])  # MiB, app-server benchmark
    move_sizes: list[int] = field(default_factory=lambda: [64, 512])  # MiB
    move_runs: int = 5  # the copies vary most from run to run
    browser_size: int = 1024  # MiB
    browser_runs: int = 2
    peer_sizes: list[int] = field(default_factory=lambda: [100, 1024])  # MiB, Uppy benchmark
    peer_links: list[str] = field(default_factory=lambda: ["loopback", "500mbit", "50mbit"])
    peer_variants: list[str] = field(default_factory=list)  # keys of uppy.VARIANT_KEYS; all
    peer_runs: int = 2
    load_count: int = 100  # final-POST load test: submissions per run ...
    load_concurrency: int = 20  # ... this many at a time ...
    load_runs: int = 2  # ... runs per server model
    rounds: int = 20  # middleware benchmark: interleaved rounds ...
    batch: int = 100  # ... of this many requests per request kind and stack
    _files: dict[int, Path] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        path = self.work_dir / "logs"
        path.mkdir(exist_ok=True)
        return path

    def file(self, size: int) -> Path:
        """A file of ``size`` bytes of random data (incompressible, as photos and videos are)."""
        if size not in self._files:
            path = self.work_dir / f"upload-{size}.bin"
            with open(path, "wb") as f:
                left = size
                while left:
                    chunk = os.urandom(min(left, 8 * MiB))
                    f.write(chunk)
                    left -= len(chunk)
            self._files[size] = path
        return self._files[size]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def seaweedfs() -> Iterator[SeaweedFS]:
    """A fresh SeaweedFS for one benchmark; its data (a temp dir) goes when it stops."""
    server = SeaweedFS().start()
    try:
        yield server
    finally:
        server.stop()


def new_bucket(server: SeaweedFS, prefix: str) -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    server.create_bucket(name)
    return name


def empty_bucket(client: Any, bucket: str) -> None:
    """Delete every object and abort every unfinished multipart upload in ``bucket``."""
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
    for upload in client.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        client.abort_multipart_upload(
            Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]
        )


def rotated(items: Sequence[T], shift: int) -> list[T]:
    """``items`` starting at ``shift``: runs alternate which variant goes first."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
