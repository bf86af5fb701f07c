"""What every benchmark shares: its options, test files and statistics (SeaweedFS, ports and
processes: ``devtools``)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

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
    peer_what_ifs: dict[str, str] = field(default_factory=dict)  # name: static dir
    load_count: int = 100  # final-POST load test: submissions per run ...
    load_concurrency: int = 20  # ... this many at a time ...
    load_runs: int = 2  # ... runs per server model
    claim_sizes: list[int] = field(default_factory=lambda: [1, 256, 1024])  # MiB, final POST
    claim_runs: int = 5
    api_size: int = 1024  # MiB, JS client against the form script
    api_runs: int = 3
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


def rotated(items: Sequence[T], shift: int) -> list[T]:
    """``items`` starting at ``shift``: runs alternate which variant goes first."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def medians(rows: Sequence[dict], keys: Sequence[str], **where: object) -> dict[str, float]:
    """The median of each of ``keys`` over the ``rows`` whose fields match ``where`` (an
    empty dict if none do); keys missing or None in some rows use the others."""
    chosen = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    result = {}
    for key in keys:
        values = [r[key] for r in chosen if r.get(key) is not None]
        if values:
            result[key] = statistics.median(values)
    return result


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
