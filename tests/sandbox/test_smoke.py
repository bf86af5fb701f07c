"""The sandbox's set-up steps in a temp dir, and its pages on a live ``runserver``."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from sandbox.run import set_up
from tests.sandbox.conftest import RunningSandbox


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/login/",  # Django admin
        "/cms/login/",  # Wagtail admin
        "/",  # the demo form
        "/pages/direct-uploads/",  # the seeded Wagtail page
    ],
)
def test_page_answers(filesystem_sandbox: RunningSandbox, path: str) -> None:
    status, _ = get(filesystem_sandbox.url + path)
    assert status == 200


def test_demo_form_inputs_upload_to_the_dev_endpoint(filesystem_sandbox: RunningSandbox) -> None:
    _, html = get(filesystem_sandbox.url + "/")
    # document, attachments, summary (PDF only), excerpt (at most 1 MB)
    assert html.count(b'type="file"') == 4
    # The dev endpoint, with the body size each input's URL was signed for.
    assert html.count(b'data-s3f-url="/__s3file__/?limit=') == 4
    assert b'accept=".pdf"' in html
    assert b'data-s3f-max-size="1048576"' in html
    assert b"/static/demo/upload-log.js" in html


def test_seeded_page_shows_its_image_from_storage(filesystem_sandbox: RunningSandbox) -> None:
    _, html = get(filesystem_sandbox.url + "/pages/direct-uploads/")
    assert b'src="/media/images/sandbox-sample.width-640.png"' in html
    _, png = get(filesystem_sandbox.url + "/media/images/sandbox-sample.width-640.png")
    assert png.startswith(b"\x89PNG")


def media_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_set_up_again_reuses_what_exists(
    filesystem_sandbox: RunningSandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    media = filesystem_sandbox.sandbox.var_dir / "media"
    before = media_files(media)

    set_up(filesystem_sandbox.env)

    assert "Superuser: admin / admin (exists, password unchanged)" in capfd.readouterr().out
    assert media_files(media) == before  # nothing seeded twice
    assert "reports/sample-report.txt" in before
