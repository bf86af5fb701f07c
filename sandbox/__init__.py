"""The sandbox: a Django + Wagtail site with direct uploads everywhere (``sandbox/run.py``)."""

from __future__ import annotations

#: The bucket of the embedded SeaweedFS: ``run.py`` creates it, the settings use it.
SEAWEEDFS_BUCKET = "sandbox"
