"""``manage.py setup_sandbox``: migrate, create the superuser, seed demo content; rerunnable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from sandbox.demo import seed


class Command(BaseCommand):
    help = "Migrate the sandbox's database, create its superuser and seed demo content."

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Migrating the database...")
        # One line per migration only when asked for (-v 2): a first run applies about 200.
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        with transaction.atomic():
            created = seed.create_superuser()
            seed.seed()
        username, password = seed.SUPERUSER
        state = "created" if created else "exists, password unchanged"
        self.stdout.write(f"Superuser: {username} / {password} ({state})")
        self.check_cors()

    def check_cors(self) -> None:
        """Warn when the S3 bucket lets no other origin POST: browsers could not upload."""
        try:
            from botocore.exceptions import ClientError
            from storages.backends.s3 import S3Storage
        except ImportError:  # installed without the [s3] extra: no S3 here
            return
        storage = storages["default"]
        if not isinstance(storage, S3Storage):
            return

        try:
            cors = storage.connection.meta.client.get_bucket_cors(Bucket=storage.bucket_name)
        except ClientError as e:
            if e.response["Error"]["Code"] != "NoSuchCORSConfiguration":
                return  # not allowed to read it, say: the browser will tell
            cors = {}
        if not any("POST" in rule["AllowedMethods"] for rule in cors.get("CORSRules", [])):
            self.stderr.write(
                f"Warning: bucket {storage.bucket_name!r} has no CORS rule allowing POST, so "
                "browsers cannot upload to it. See the README's “S3 bucket set-up”."
            )
