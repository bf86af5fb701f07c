"""Record the S3 API calls boto3 makes in this process (they still go to the server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class S3Call:
    operation: str
    params: dict


@contextmanager
def recording_s3_calls() -> Iterator[list[S3Call]]:
    """Every S3 operation of every boto3 client while inside, in order, with its parameters
    (not the body: a file object kept here would outlive the caller)."""
    from botocore.client import BaseClient

    calls: list[S3Call] = []
    lock = threading.Lock()
    original = BaseClient._make_api_call

    def recording(self: Any, operation_name: str, api_params: dict) -> Any:
        with lock:
            params = {k: v for k, v in api_params.items() if k != "Body"}
            calls.append(S3Call(operation_name, params))
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = recording  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]
