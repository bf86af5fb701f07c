"""Processes the benchmarks measure: a Django server subprocess, and what /proc says of one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from devtools.ports import free_port
from devtools.processes import stop_group, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024**2
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    """A process's counters at one moment (all threads, dead ones included)."""

    cpu: float  # user + system seconds, in clock ticks (10 ms)
    rchar: int  # bytes returned by read() and friends: sockets, pipes and files
    wchar: int  # bytes passed to write() and friends
    rss: int  # resident set now, bytes
    peak: int  # VmHWM: the largest resident set since start or the last reset_peak(), bytes


def usage(pid: int) -> Usage:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may contain spaces
    # utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3.
    cpu = (int(fields[11]) + int(fields[12])) / _TICKS
    io = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
    status = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            status[name] = int(value.split()[0]) * 1024
    return Usage(cpu, int(io["rchar"]), int(io["wchar"]), status["VmRSS"], status["VmHWM"])


def reset_peak(pid: int) -> None:
    """Set the process's VmHWM back to its current RSS (Linux 4.0+, see proc(5) clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


@dataclass(frozen=True)
class Cost:
    """What a process spent between two ``Usage`` snapshots, with the peak in between."""

    wall: float
    cpu: float
    file_read: int  # rchar: read() calls, files (Python's sockets use recv, not counted)
    file_written: int  # wchar
    rss_before: int
    peak: int
    received: int = 0  # bytes received through sockets: from the client and from S3
    sent: int = 0  # bytes sent through sockets

    @property
    def growth(self) -> int:
        return self.peak - self.rss_before

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "growth": self.growth}


def cost(
    before: Usage,
    after: Usage,
    wall: float,
    io_before: dict[str, int] | None = None,
    io_after: dict[str, int] | None = None,
) -> Cost:
    sockets = {}
    if io_before and io_after:
        sockets = {k: io_after[k] - io_before[k] for k in ("received", "sent")}
    return Cost(
        wall=wall,
        cpu=after.cpu - before.cpu,
        file_read=after.rchar - before.rchar,
        file_written=after.wchar - before.wchar,
        rss_before=before.rss,
        peak=after.peak,
        **sockets,
    )


class DjangoServer:
    """``benchmarks.serve`` in a subprocess of its own, configured by ``env``."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name, self.env, self.log_dir = name, env, log_dir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60) -> DjangoServer:
        log = open(self.log_dir / f"django-{self.name}.log", "ab")  # noqa: SIM115
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()  # the child holds its own descriptor
        try:
            wait_until_up(self.url + "/ping/", self.process, timeout)
        except RuntimeError as e:
            self.stop()
            raise RuntimeError(f"Django server {self.name}: {e}; see {self.log_dir}") from e
        return self

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)
        self.process = None

    def usage(self) -> Usage:
        return usage(self.pid)

    def reset_peak(self) -> None:
        reset_peak(self.pid)

    def socket_bytes(self) -> dict[str, int]:
        """Bytes through the server's sockets so far (see ``serve.py``); this request adds
        about 150 bytes received and 200 sent to the totals."""
        with urllib.request.urlopen(self.url + "/__bench__/io", timeout=30) as response:
            return json.loads(response.read())


def storage_env(mode: str, options: dict[str, Any], **extra: Any) -> dict[str, str]:
    """The environment of a server in ``mode`` (see ``settings.py``) using ``options``."""
    return {
        "BENCH_MODE": mode,
        "BENCH_STORAGE_OPTIONS": json.dumps(options),
        **{name: str(value) for name, value in extra.items()},
    }
