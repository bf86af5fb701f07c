from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.admin.conftest import login
from tests.browser.conftest import page  # noqa: F401  (the browser tests' recording page)

# Unfold must come before the admin, and it replaces the admin site: these tests need
# tests/unfold_settings.py, which `make test` runs apart (`pytest --ds=tests.unfold_settings
# tests/unfold`); under the other settings they are not collected.
if "unfold" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def admin_page(page: Any, live_server: Any, admin_user: Any) -> Any:  # noqa: F811
    """The recording page, logged in to the Unfold admin, with the live server's URL."""
    login(page, live_server, admin_user)
    page.admin_url = live_server.url + "/admin/"
    return page
