"""The private names of Django and django-storages s3file touches: present, and named if one
moves."""

from __future__ import annotations

from django.core.handlers.asgi import ASGIRequest
from django.forms.widgets import ClearableFileInput
from django.http import HttpRequest

from s3file.compat import EXPECTED, add_base, check_private_api, moved
from s3file.forms import S3FileInputMixin


def test_every_private_name_is_where_s3file_expects_it():
    """Fails loudly on a Django release that renames one: see s3file/compat.py."""
    assert moved() == []
    assert check_private_api() == []


def test_a_renamed_name_is_reported_with_the_django_it_was_expected_in(monkeypatch):
    monkeypatch.delattr(HttpRequest, "_load_post_and_files")
    monkeypatch.delattr(ASGIRequest, "_load_post_and_files", raising=False)
    errors = check_private_api()
    assert {error.id for error in errors} == {"s3file.E002"}
    assert any("ASGIRequest._load_post_and_files" in error.msg for error in errors)
    assert any("HttpRequest._load_post_and_files" in error.msg for error in errors)
    assert all(EXPECTED in error.msg for error in errors)


def test_a_renamed_name_of_django_storages_is_reported(monkeypatch):
    from storages.backends.s3 import S3Storage

    monkeypatch.delattr(S3Storage, "_get_write_parameters")
    [error] = check_private_api()
    assert error.id == "s3file.E002" and "S3Storage._get_write_parameters" in error.msg


def test_adding_a_base_twice_adds_it_once():
    before = ClearableFileInput.__bases__
    assert S3FileInputMixin in before  # installed by the app's ready()
    add_base(ClearableFileInput, S3FileInputMixin)
    assert ClearableFileInput.__bases__ == before
