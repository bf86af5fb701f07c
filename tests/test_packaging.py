"""What the distribution ships: its version, and the typing marker of every package.

Legs B and C of ``make test`` run the suite against the installed wheel (not the source
tree), so there these tests check what ``pip install`` put into site-packages.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from importlib import resources
from pathlib import Path

import pytest

import s3file

PACKAGES = ["s3file", "s3file_admin", "wagtail_s3file", "s3file_api"]
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_version_is_the_distribution_version() -> None:
    assert s3file.__version__ == importlib.metadata.version("django-s3file")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_is_marked_typed(package: str) -> None:
    assert (resources.files(package) / "py.typed").is_file()


def test_package_data_ships_the_typing_marker() -> None:
    package_data = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["*"]
