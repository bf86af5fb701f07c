"""Nothing lost, no one in: CSRF, S3 away at submit time, and a bounded load run."""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from botocore.config import Config
from django.test import Client

from tests.conftest import CSRF_SECRET, bound_client, new_folder, s3_storage_settings, sign_folder
from tests.faultproxy import FaultProxy
from tests.testapp.models import Document

pytestmark = pytest.mark.s3


def uploaded(s3, name: str = "report.pdf", body: bytes = b"%PDF-1.7") -> dict[str, str]:
    """An object put where the browser would have put it, and the fields it posts."""
    folder = new_folder()
    key = f"{folder}/0/{name}"
    s3.put(key, body, "application/pdf")
    return {"s3file": "file", "file": key, "file-s3f-signature": sign_folder(folder)}


@pytest.mark.django_db
def test_a_cross_site_post_with_valid_keys_is_still_refused(s3, s3_calls):
    fields = uploaded(s3)
    s3_calls.clear()
    response = Client(enforce_csrf_checks=True).post("/upload/", {"title": "t", **fields})
    assert response.status_code == 403
    assert s3_calls == []
    assert not Document.objects.exists()
    assert s3.keys() == [fields["file"]]


@pytest.fixture
def proxied(s3, settings):
    """The default storage reached through a FaultProxy that can play S3 being away."""
    proxy = FaultProxy(s3.server.s3_port)
    quick = Config(
        signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}
    )
    settings.STORAGES = s3_storage_settings(
        s3.server, s3.name, endpoint_url=proxy.url, client_config=quick
    )
    yield proxy
    proxy.close()


@pytest.mark.django_db
def test_s3_away_at_submit_is_a_form_error_and_a_resubmit_works(s3, proxied, client):
    fields = uploaded(s3)
    proxied.down = True
    response = client.post("/upload/", {"title": "Kept", **fields})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The storage server could not be reached to check “report.pdf”" in page
    assert 'value="Kept"' in page
    assert not Document.objects.exists()

    proxied.down = False
    response = client.post("/upload/", {"title": "Kept", **fields})
    assert response.status_code == 200
    assert Document.objects.get().file.name == "documents/report.pdf"
    assert s3.keys() == ["documents/report.pdf"]


@pytest.mark.django_db(transaction=True)
def test_200_submissions_20_at_a_time(s3, s3_calls, live_server, settings, artifacts):
    settings.ROOT_URLCONF = "tests.testapp.reliability_urls"
    session = requests.Session()
    session.cookies.set("csrftoken", CSRF_SECRET)  # the browser the grants are bound to
    session.get(live_server.url + "/upload/", timeout=30)
    token = CSRF_SECRET  # the server keeps it (it is well-formed): the cookie is resent
    submissions = [uploaded(s3, f"file-{i}.pdf", f"body {i}".encode()) for i in range(200)]
    s3_calls.clear()

    def submit(fields: dict) -> tuple[int, float]:
        started = time.perf_counter()
        response = session.post(
            live_server.url + "/store/",
            data={**fields, "csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url},
            timeout=60,
        )
        return response.status_code, time.perf_counter() - started

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(submit, submissions))

    assert [status for status, _ in results] == [200] * 200
    assert s3.keys("stored/") == sorted(f"stored/file-{i}.pdf" for i in range(200))
    assert s3.keys("tmp/") == []
    copies = Counter(
        c.params["CopySource"]["Key"] for c in s3_calls if c.operation == "CopyObject"
    )
    assert sorted(copies) == sorted(fields["file"] for fields in submissions)
    assert set(copies.values()) == {1}
    assert s3.read("stored/file-7.pdf") == b"body 7"

    latencies = sorted(seconds for _, seconds in results)
    report = {
        "submissions": 200,
        "concurrency": 20,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * len(latencies)) - 1] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }
    (artifacts / "load.json").write_text(json.dumps(report, indent=2))
    print("load:", report)


def test_a_request_failing_after_the_copy_keeps_the_upload_for_a_resubmit(s3, settings):
    settings.ROOT_URLCONF = "tests.testapp.reliability_urls"
    fields = uploaded(s3)
    client = bound_client(raise_request_exception=False)
    assert client.post("/store-then-fail/", fields).status_code == 500
    assert s3.keys(fields["file"]) == [fields["file"]]  # kept: the request may be retried
    response = client.post("/store/", fields)
    assert response.status_code == 200
    assert s3.read(response.json()["saved"]) == b"%PDF-1.7"
    assert s3.keys(fields["file"]) == []
