"""The requests the live server is answering, so that a test's teardown can wait for them.

The live server shares the test's in-memory SQLite connection. A request still running while
the database is flushed (a beacon Wagtail's page editor sends as its page closes, say) breaks
that connection's transaction, and every later test on the worker then fails with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

# A request that starts this soon after the page closed may still be on its way.
QUIET = 0.1
# Never wait longer than this for the live server.
PATIENCE = 10.0


class Tracker:
    """How many requests are running, and when the last one began."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.running = 0
        self.last_start = 0.0

    def started(self) -> None:
        with self.changed:
            self.running += 1
            self.last_start = time.monotonic()

    def finished(self) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()

    def wait_until_idle(self) -> None:
        """Return once no request runs and none began in the last ``QUIET`` seconds."""
        deadline = time.monotonic() + PATIENCE
        with self.changed:
            while time.monotonic() < deadline:
                quiet_for = time.monotonic() - self.last_start
                if self.running == 0 and quiet_for >= QUIET:
                    return
                self.changed.wait(QUIET)


TRACKER = Tracker()


class TrackRequests:
    """Test middleware: count the requests the live server is answering."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        TRACKER.started()
        try:
            return self.get_response(request)
        finally:
            TRACKER.finished()
