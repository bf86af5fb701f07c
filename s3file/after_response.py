"""Actions that wait for the view's answer: the middleware runs them after a response that
is not a server error (deleting a temporary upload, say), or, for undoing what a request
took, after one that is an error (releasing an upload a failed save had taken)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.http import HttpResponseBase

logger = logging.getLogger("s3file")
Action = Callable[[], None]


@dataclass
class Pending:
    """What waits for one request's answer."""

    #: Run after an answer that is not a server error.
    succeeded: list[Action] = field(default_factory=list)
    #: Run after an error answer (4xx or 5xx): the view did not do what it was asked.
    failed: list[Action] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.succeeded or self.failed)


#: What waits for the view's answer; the middleware sets one here around each POST.
PENDING: ContextVar[Pending | None] = ContextVar("s3file_after_response", default=None)


def after_response(action: Action) -> None:
    """Run ``action`` once the view has answered without a server error, or at once outside
    a request ``S3FileMiddleware`` handles. Deleting a temporary upload waits for this, so a
    request that fails after the copy (a database error, say) can be submitted again."""
    pending = PENDING.get()
    if pending is None:
        action()
    else:
        pending.succeeded.append(action)


def after_error(action: Action) -> None:
    """Run ``action`` if the view answers with an error (4xx or 5xx); outside a request
    ``S3FileMiddleware`` handles, never. Releasing an upload taken by a save that then
    failed waits for this, so the form can be submitted again."""
    pending = PENDING.get()
    if pending is not None:
        pending.failed.append(action)


@contextmanager
def collected() -> Iterator[Pending]:
    """Collect the actions ``after_response`` and ``after_error`` are given in the block."""
    pending = Pending()
    token = PENDING.set(pending)
    try:
        yield pending
    finally:
        PENDING.reset(token)


def run_after_response(pending: Pending, response: HttpResponseBase) -> HttpResponseBase:
    """Run what waited for the view's answer: the actions for a success unless the answer
    is a server error, the actions for an error if it is one."""
    actions = list(pending.succeeded) if response.status_code < 500 else []
    if response.status_code >= 400:
        actions += pending.failed
    for action in actions:
        try:
            action()
        except Exception:  # a cleanup must not turn a success into an error
            logger.exception("s3file: an after-response action failed")
    return response
