"""The sandbox: a Django + Wagtail site with direct uploads everywhere (``sandbox/run.py``)."""

from __future__ import annotations

from pathlib import Path

#: The bucket of the embedded SeaweedFS: ``run.py`` creates it, the settings use it.
SEAWEEDFS_BUCKET = "sandbox"


def default_var_dir(mode: str) -> Path:
    """Where storage mode ``mode`` keeps its database and files (``SANDBOX_VAR_DIR`` overrides).

    One directory per mode, so that no database points at files kept by another storage.
    """
    return Path(__file__).resolve().parent / "var" / mode
