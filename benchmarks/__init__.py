"""Benchmarks of django-s3file, run by ``python -m benchmarks`` (``make bench``).

Each benchmark measures what it compares side by side in one run (interleaved, medians of
several runs) and reports ratios: the machines are shared and noisy, absolute figures are not
comparable between runs. Nothing here is a test; nothing asserts on time.
"""

from __future__ import annotations
