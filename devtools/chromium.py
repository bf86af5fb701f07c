"""How the tests and the benchmarks launch Chromium: Debian's, never a downloaded one."""

from __future__ import annotations

import os
from typing import Any

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch_options() -> dict[str, Any]:
    """Playwright's ``launch()`` options: the executable (``$CHROMIUM``) and its arguments."""
    return {"executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"), "args": ARGS}


def launch(playwright: Any) -> Any:
    """A headless Chromium from Playwright's sync API."""
    return playwright.chromium.launch(**launch_options())
