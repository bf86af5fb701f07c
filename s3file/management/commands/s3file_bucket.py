"""``manage.py s3file_bucket --check|--apply``: the bucket's CORS and lifecycle rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from s3file import conf
from s3file.backends import backend
from s3file.backends.s3 import S3Backend
from s3file.bucket import BucketSetup, cors_origins


class Command(BaseCommand):
    help = (
        "Check (--check) or set up (--apply) the default storage's bucket for direct uploads: "
        "a CORS rule letting the site's origins POST and PUT (ETag exposed), and a lifecycle "
        "rule expiring abandoned uploads and aborting unfinished multipart uploads. --apply "
        "merges with the bucket's rules and never changes or removes rules it did not write."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="report what is missing")
        action.add_argument("--apply", action="store_true", help="write what is missing")
        parser.add_argument(
            "--origin",
            action="append",
            dest="origins",
            help="an origin to allow (repeatable); default: S3FILE_CORS_ORIGINS, else "
            "CSRF_TRUSTED_ORIGINS and ALLOWED_HOSTS",
        )
        parser.add_argument(
            "--expire-days",
            type=int,
            help="days before abandoned uploads expire (default: S3FILE_EXPIRE_DAYS)",
        )

    def handle(self, *args: Any, check: bool, apply: bool, **options: Any) -> None:
        if not isinstance(store := backend(), S3Backend):
            raise CommandError("The default storage is not an S3 storage: nothing to set up.")
        days = options["expire_days"] or conf.get("S3FILE_EXPIRE_DAYS")
        if days < 1:
            raise CommandError("--expire-days must be at least 1.")
        try:
            origins = sorted(set(options["origins"] or cors_origins()))
        except ImproperlyConfigured as e:
            raise CommandError(str(e)) from e
        setup = BucketSetup(store, origins, days)
        if apply:
            self.stdout.write("\n".join(setup.apply() or ["Nothing to change."]))
        if problems := setup.problems():
            self.stderr.write("\n".join(problems))
            raise CommandError(f"Bucket {store.bucket} is not ready for direct uploads.")
        self.stdout.write(
            self.style.SUCCESS(f"Bucket {store.bucket} is ready for direct uploads.")
        )
