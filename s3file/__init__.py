"""Upload files from the browser straight to S3, then hand them to Django as ``request.FILES``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("django-s3file")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
