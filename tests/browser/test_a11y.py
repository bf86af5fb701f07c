"""Accessibility of the core script's own markup on a plain Django form (axe-core)."""

from __future__ import annotations

import pytest

from tests.a11y import audit
from tests.browser.conftest import make_file

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def test_axe_finds_nothing_of_ours_at_the_core_scripts_error(page, live_server, s3, tmp_path):
    page.goto(live_server.url + "/images/")
    audit(page, "plain form, on load")
    page.set_input_files("input[name=image]", make_file(tmp_path / "huge.png", 300_000))
    error = page.locator("input[name=image] + .s3file-errors[role=alert] > ul.errorlist > li")
    assert "is too large" in error.text_content()
    audit(page, "plain form, a file refused (the core's error)")
