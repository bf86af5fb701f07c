"""Sphinx configuration of django-s3file's documentation (``make docs``)."""

from __future__ import annotations

from importlib.metadata import version as distribution_version

project = "django-s3file"
author = "django-s3file contributors"
copyright = "django-s3file contributors"
release = distribution_version("django-s3file")
version = release

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
# Links to headings of other pages ("settings.md#s3file-max-size") resolve like GitHub's.
myst_heading_anchors = 3
html_theme = "furo"
html_title = f"django-s3file {release}"
