from __future__ import annotations

from typing import Any

import pytest

from devtools.images import solid as png  # noqa: F401  (the admin tests' small image)
from tests.browser.conftest import (
    login,
    page,  # noqa: F401  (the browser tests' recording page)
)


@pytest.fixture
def admin_page(page: Any, live_server: Any, admin_user: Any) -> Any:  # noqa: F811
    """The recording page, logged in to the admin, with the live server's URL."""
    login(page, live_server, admin_user)
    page.admin_url = live_server.url + "/admin/"
    return page
