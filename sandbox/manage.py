#!/usr/bin/env python
"""The sandbox's manage.py; ``run.py`` calls it, and it works by hand too."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The project is the package ``sandbox`` at the repository's root (next to ``s3file``).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
