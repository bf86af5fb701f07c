"""s3file's own S3 calls share one boto3 client between threads (issue 15): the final POST
costs the same whether or not its thread served a request before."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.session import Session
from django.core.files.storage import storages

from s3file.backends import backend
from s3file.backends.s3 import shared_client
from tests.conftest import bound_client, new_folder, s3_storage_settings, sign_folder

pytestmark = pytest.mark.s3


def in_thread(action: Callable[[], Any]) -> Any:
    """The result of ``action`` run in a new thread (as runserver serves each request)."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(action()))
    thread.start()
    thread.join()
    return result[0]


@pytest.fixture
def clients_built() -> Iterator[list[str]]:
    """The names of the threads that build a botocore client (the build still happens)."""
    built: list[str] = []
    original = Session.create_client

    def create_client(self: Session, *args: Any, **kwargs: Any) -> Any:
        built.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    Session.create_client = create_client  # type: ignore[method-assign]
    yield built
    Session.create_client = original  # type: ignore[method-assign]


def test_threads_share_one_client(s3):
    here = backend().client
    assert in_thread(lambda: backend().client) is here
    assert in_thread(lambda: shared_client(storages["default"])) is here


def test_another_configuration_gets_its_own_client(s3, settings):
    first = backend().client
    settings.STORAGES = s3_storage_settings(s3.server, s3.name, region_name="eu-west-1")
    assert backend().client is not first
    assert backend().client.meta.region_name == "eu-west-1"


@pytest.mark.django_db(transaction=True)
def test_a_final_post_in_a_fresh_thread_builds_no_client(s3, clients_built):
    def submit(name: str) -> int:
        folder = new_folder()
        key = f"{folder}/0/{name}"
        s3.put(key, b"%PDF-1.4 report", "application/pdf")
        fields = {"s3file": "file", "file": key, "file-s3f-signature": sign_folder(folder)}
        return bound_client().post("/upload/", {"title": name, **fields}).status_code

    assert in_thread(lambda: submit("first.pdf")) == 200  # may build the shared client
    clients_built.clear()
    assert in_thread(lambda: submit("second.pdf")) == 200  # HEAD, copy, delete
    assert clients_built == []
    assert s3.keys() == ["documents/first.pdf", "documents/second.pdf"]
