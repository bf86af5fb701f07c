"""Print what a CI leg runs with, and fail if it is not what the leg is meant to test.

    python .ci/versions.py LEG DJANGO WAGTAIL [--installed]

DJANGO and WAGTAIL are version prefixes ("6.1", "8"); --installed also requires the package
to be imported from site-packages (a wheel install), not from a source tree.
"""

from __future__ import annotations

import sys

import django
import wagtail

import s3file

leg, want_django, want_wagtail, *flags = sys.argv[1:]
got_django = django.get_version()
print(
    f"leg {leg}: Python {sys.version.split()[0]} ({sys.executable}), Django {got_django}, "
    f"Wagtail {wagtail.__version__}, django-s3file {s3file.__version__} ({s3file.__file__})",
    flush=True,
)
problems = []
if not got_django.startswith(want_django + "."):
    problems.append(f"Django {want_django}.x wanted")
if not wagtail.__version__.startswith(want_wagtail + "."):
    problems.append(f"Wagtail {want_wagtail}.x wanted")
if "--installed" in flags and "site-packages" not in s3file.__file__:
    problems.append("the package must be imported from its installed wheel")
if problems:
    sys.exit(f"leg {leg}: " + "; ".join(problems))
