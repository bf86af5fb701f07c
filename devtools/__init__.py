"""Development tooling shared by the tests, the sandbox and the benchmarks: a real S3 server
(SeaweedFS), free ports, server processes, Chromium's launch options, S3 call recording and
test images. Not part of the distribution (``pyproject.toml`` packages only the apps)."""

from __future__ import annotations
