from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import page  # noqa: F401  (the browser tests' recording page)


def login(tab: Any, live_server: Any, user: Any) -> None:
    """Give the browser a logged-in admin session."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def png(width: int = 64, height: int = 48, colour: str = "teal") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def admin_page(page: Any, live_server: Any, admin_user: Any) -> Any:  # noqa: F811
    """The recording page, logged in to the admin, with the live server's URL."""
    login(page, live_server, admin_user)
    page.admin_url = live_server.url + "/admin/"
    return page
