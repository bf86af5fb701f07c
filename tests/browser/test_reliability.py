"""S3 away while the browser uploads: an error, nothing submitted, nothing typed lost."""

from __future__ import annotations

import pytest
from botocore.config import Config

from tests.browser.conftest import events, result
from tests.conftest import s3_storage_settings
from tests.faultproxy import FaultProxy

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def test_s3_away_during_upload_then_back(page, live_server, s3, settings, tmp_path):
    proxy = FaultProxy(s3.server.s3_port)
    quick = Config(
        signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}
    )
    settings.STORAGES = s3_storage_settings(
        s3.server, s3.name, endpoint_url=proxy.url, client_config=quick
    )
    note = tmp_path / "minutes.txt"
    note.write_text("minutes of the meeting")
    try:
        page.goto(live_server.url + "/upload/")
        page.fill("input[name=title]", "Typed before the outage")
        page.set_input_files("input[name=file]", note)
        proxy.down = True
        page.click("button[value=save]")
        page.wait_for_selector("[data-s3f-errors]")
        assert "the storage server did not answer" in page.text_content("[data-s3f-errors]")
        assert events(page, "error")[-1]["code"] == "network"
        assert not events(page, "done")
        assert page.url == live_server.url + "/upload/"
        assert page.input_value("input[name=title]") == "Typed before the outage"
        assert s3.keys() == []

        proxy.down = False
        page.click("button[value=save]")
        data = result(page)
    finally:
        proxy.close()
    assert data["post"]["title"] == ["Typed before the outage"]
    assert s3.read("documents/minutes.txt") == b"minutes of the meeting"
