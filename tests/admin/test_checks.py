"""The system checks of s3file_admin."""

from __future__ import annotations

from django.apps import apps

from s3file_admin.checks import check_installed_apps


def test_documented_order_passes():
    assert check_installed_apps() == []


def test_admin_first_is_reported(monkeypatch):
    configs = [c for c in apps.get_app_configs() if c.name != "s3file_admin"]
    admin_at = [c.label for c in configs].index("admin")
    configs.insert(admin_at + 1, apps.get_app_config("s3file_admin"))
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    (warning,) = check_installed_apps()
    assert warning.id == "s3file_admin.W001"
    assert 'before "django.contrib.admin"' in warning.hint


def test_core_app_missing_is_an_error(monkeypatch):
    configs = [c for c in apps.get_app_configs() if c.name != "s3file"]
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    (error,) = check_installed_apps()
    assert error.id == "s3file_admin.E001"
