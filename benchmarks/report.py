"""The results: the machine they ran on, Markdown tables, and the files they are written to."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MiB = 1024**2


def machine() -> dict[str, Any]:
    """What the figures depend on: CPUs, memory, load when the run started, versions."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = {}
    for module in ("django", "boto3", "botocore", "storages", "playwright"):
        try:
            from importlib.metadata import version

            versions[module] = version({"storages": "django-storages"}.get(module, module))
        except Exception:  # a missing optional package is just not reported
            continue
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with contextlib.suppress(OSError):
        versions["chromium"] = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    weed = Path(sys.executable).parent / "weed"
    if weed.exists():
        versions["seaweedfs"] = (
            subprocess.run([str(weed), "version"], capture_output=True, text=True, timeout=30)
            .stdout.strip()
            .splitlines()[0]
        )
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 1024**3, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table; numbers right-aligned."""
    align = [
        "---:"
        if rows and all(isinstance(r[i], int | float) or _numeric(r[i]) for r in rows)
        else "---"
        for i in range(len(headers))
    ]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _numeric(cell: Any) -> bool:
    text = str(cell).replace("×", "").replace("%", "").replace("+", "").replace("<", "").strip()
    try:
        float(text)
    except ValueError:
        return text in ("", "–")
    return True


def num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


#: /proc/<pid>/stat counts CPU time in 10 ms ticks: less is not measured.
CPU_TICK = 0.01


def cpu(value: float) -> str:
    return "<0.01" if value < CPU_TICK else f"{value:.2f}"


def cpu_ratio(value: float, reference: float) -> str:
    """A CPU ratio, or "–" when either side is under one tick."""
    if value < CPU_TICK or reference < CPU_TICK:
        return "–"
    return times(value / reference)


def mib(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value / MiB:.{digits}f}"


def times(value: float | None, digits: int = 2) -> str:
    """A ratio, as ``0.25×``."""
    return "–" if value is None else f"{value:.{digits}f}×"


def size_label(mib_size: int) -> str:
    return (
        f"{mib_size // 1024} GiB"
        if mib_size >= 1024 and mib_size % 1024 == 0
        else f"{mib_size} MiB"
    )


def write(out_dir: Path, results: dict[str, Any], markdown: str) -> None:
    (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out_dir / "results.md").write_text(markdown)


def load(out_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((out_dir / "results.json").read_text())
    except (OSError, ValueError):
        return {}
