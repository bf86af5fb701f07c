"""Moved to ``devtools.seaweedfs``: this re-export only keeps branches written before the move
importing; import from ``devtools.seaweedfs``."""

from __future__ import annotations

from devtools.seaweedfs import ACCESS_KEY, REGION, SECRET_KEY, SeaweedFS

__all__ = ["ACCESS_KEY", "REGION", "SECRET_KEY", "SeaweedFS"]
