"""Server processes started for development: wait until one answers, stop it with its group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``url`` answers over HTTP (any status); raise ``RuntimeError`` if
    ``process`` exits first or nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # an error page is an answer: the server is up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def stop_group(
    process: subprocess.Popen, first: signal.Signals = signal.SIGTERM, timeout: float = 10
) -> None:
    """Stop ``process`` and its process group (started with ``start_new_session=True``):
    ``first``, then SIGTERM, then SIGKILL, each given ``timeout`` seconds."""
    for sig in dict.fromkeys((first, signal.SIGTERM, signal.SIGKILL)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            continue
    # A child (runserver's autoreloader, say) may outlive its parent for a moment.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
