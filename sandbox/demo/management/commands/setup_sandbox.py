"""``manage.py setup_sandbox``: migrate, create the superuser, seed demo content; rerunnable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sandbox.demo import seed


class Command(BaseCommand):
    help = (
        "Migrate the sandbox's database, create its superuser, seed demo content, and set up "
        "(embedded SeaweedFS) or check (s3 mode) the bucket."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Migrating the database...")
        # One line per migration only when asked for (-v 2): a first run applies about 200.
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        self.bucket()
        with transaction.atomic():
            created = seed.create_superuser()
            seed.seed()
        username, password = seed.SUPERUSER
        state = "created" if created else "exists, password unchanged"
        self.stdout.write(f"Superuser: {username} / {password} ({state})")

    def bucket(self) -> None:
        """CORS (browsers on the site's origins may POST) and the lifecycle rule.

        The embedded SeaweedFS's bucket is the sandbox's own, so it is set up here. A real
        bucket is only checked: changing it is for its owner, with the same command.
        """
        if settings.STORAGE_MODE == "seaweedfs":
            call_command("s3file_bucket", "--apply", stdout=self.stdout, stderr=self.stderr)
        elif settings.STORAGE_MODE == "s3":
            from botocore.exceptions import ClientError

            try:
                call_command("s3file_bucket", "--check", stdout=self.stdout, stderr=self.stderr)
            except (CommandError, ClientError) as e:
                self.stderr.write(
                    f"Warning: {e} Browsers may fail to upload. To set the bucket up, run "
                    "`python sandbox/manage.py s3file_bucket --apply` with the same "
                    "environment (see docs/bucket.md, “S3 bucket set-up”)."
                )
