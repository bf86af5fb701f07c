"""Actions that wait for the view's answer: the middleware runs them after a response that
is not a server error (deleting a temporary upload, say)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpResponseBase

logger = logging.getLogger("s3file")
Action = Callable[[], None]

#: Actions waiting for the view's answer; the middleware sets a list here around each POST.
PENDING: ContextVar[list[Action] | None] = ContextVar("s3file_after_response", default=None)


def after_response(action: Action) -> None:
    """Run ``action`` once the view has answered without a server error, or at once outside
    a request ``S3FileMiddleware`` handles. Deleting a temporary upload waits for this, so a
    request that fails after the copy (a database error, say) can be submitted again."""
    pending = PENDING.get()
    if pending is None:
        action()
    else:
        pending.append(action)


@contextmanager
def collected() -> Iterator[list[Action]]:
    """Collect the actions ``after_response`` is given inside the block."""
    pending: list[Action] = []
    token = PENDING.set(pending)
    try:
        yield pending
    finally:
        PENDING.reset(token)


def run_after_response(pending: list[Action], response: HttpResponseBase) -> HttpResponseBase:
    """Run what waited for the view's answer, unless that answer is a server error."""
    if response.status_code < 500:
        for action in pending:
            try:
                action()
            except Exception:  # a cleanup must not turn a success into an error
                logger.exception("s3file: an after-response action failed")
    return response
