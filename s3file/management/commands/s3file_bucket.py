"""``manage.py s3file_bucket --check|--apply``: the bucket set-up direct uploads need, a CORS
rule and a lifecycle rule, both ours by ID; with ``S3FILE_CLAIM``, two lifecycle rules more
for uploads that go straight into their final folders."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from s3file import conf
from s3file.backends import backend
from s3file.backends.s3 import PENDING_TAG, S3Backend

#: A CORS or lifecycle rule, as boto3 reads and writes it.
Rule = dict[str, Any]
CORS_RULE_ID = "s3file-direct-upload"
LIFECYCLE_RULE_ID = "s3file-expire-uploads"
#: With ``S3FILE_CLAIM``: expire objects still tagged pending (uploads into final folders
#: that were never saved), and abort unfinished multipart uploads there (S3 allows no tag
#: filter on that action, so this one covers the storage's whole location).
UNCLAIMED_RULE_ID = "s3file-expire-unclaimed"
ABORT_RULE_ID = "s3file-abort-unfinished"
#: S3's error codes for credentials it does not take, or permissions they lack.
CREDENTIAL_CODES = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "AllAccessDisabled",
}
#: The two configurations: their name in the client's calls, in its bodies (and errors, as
#: NoSuch<body>), and of their list of rules.
CONFIGURATIONS = {
    "CORS": ("bucket_cors", "CORSConfiguration", "CORSRules"),
    "Lifecycle": ("bucket_lifecycle_configuration", "LifecycleConfiguration", "Rules"),
}
#: What our lifecycle rule does in time: its field, the key of its days there, and what is
#: wrong, in words, when no enabled rule covering the upload prefix does it soon enough.
DEADLINES = [
    ("Expiration", "Days", "objects under {} do not expire"),
    (
        "AbortIncompleteMultipartUpload",
        "DaysAfterInitiation",
        "unfinished multipart uploads under {} are not aborted",
    ),
]


def cors_origins(given: list[str] | None = None) -> list[str]:
    """``given`` (``--origin``), else ``S3FILE_CORS_ORIGINS``, else the origins
    ``CSRF_TRUSTED_ORIGINS`` and ``ALLOWED_HOSTS`` name (hosts as https://, a leading-dot host
    as one wildcard subdomain); sorted, once each."""
    origins = given or conf.get("S3FILE_CORS_ORIGINS")
    if origins is not None:
        return sorted(set(origins))
    found = {origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS}
    hosts = set(settings.ALLOWED_HOSTS) - {"*"}
    found |= {f"https://{host.removeprefix('.')}" for host in hosts}
    found |= {f"https://*{host}" for host in hosts if host.startswith(".")}
    if not found:
        raise CommandError(
            "s3file: no origin to allow; set S3FILE_CORS_ORIGINS (e.g. ['https://example.com'])."
        )
    return sorted(found)


def matches(rule: Rule, key: str, tags: dict[str, str]) -> bool:
    """Whether S3 applies the lifecycle ``rule`` to an object at ``key`` tagged ``tags``: an
    enabled rule whose prefix and tags the object has (its size conditions aside)."""
    if rule.get("Status") != "Enabled":
        return False
    found = rule.get("Filter", {"Prefix": rule.get("Prefix", "")})
    found = found.get("And", found)
    wanted = [found["Tag"]] if "Tag" in found else found.get("Tags", [])
    return key.startswith(found.get("Prefix", "")) and all(
        tags.get(tag["Key"]) == tag["Value"] for tag in wanted
    )


def cors_allows(rules: list[Rule], origin: str, method: str) -> bool:
    """Whether some rule lets ``origin`` send ``method`` with any header, exposing ETag."""
    # S3 allows one "*" in an origin and no other wildcard ("[::1]" is an IPv6 host).
    return any(
        method in rule.get("AllowedMethods", [])
        and any(
            re.fullmatch(".*".join(map(re.escape, p.split("*", 1))), origin)
            for p in rule.get("AllowedOrigins", [])
        )
        and "*" in rule.get("AllowedHeaders", [])
        and "ETag" in rule.get("ExposeHeaders", [])
        for rule in rules
    )


class BucketSetup:
    """Compare the bucket's CORS and lifecycle configuration with what direct uploads need,
    and merge ours in: rules are ours by ID, and others are never changed or removed."""

    def __init__(
        self, backend: S3Backend, origins: list[str], days: int, claims: bool = False
    ) -> None:
        self.client = backend.client
        self.bucket = backend.bucket
        self.origins = origins
        self.days = days
        self.prefix = backend.upload_prefix()
        #: Where final folders lie: anywhere in the storage's location.
        self.location = backend.location + "/" if backend.location else ""
        self.claims = claims
        #: Our rule of each kind.
        self.wanted: dict[str, Rule] = {
            "CORS": {
                "ID": CORS_RULE_ID,
                "AllowedHeaders": ["*"],
                "AllowedMethods": ["POST", "PUT"],  # presigned POSTs; parts of multipart uploads
                "AllowedOrigins": origins,
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": 3000,
            },
            "Lifecycle": {
                "ID": LIFECYCLE_RULE_ID,
                "Status": "Enabled",
                "Filter": {"Prefix": self.prefix},
                "Expiration": {"Days": days},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": days},
            },
        }
        #: Our other lifecycle rules (``S3FILE_CLAIM``).
        self.claim_rules: list[Rule] = []
        if claims:
            tagged: Rule = {"Tag": PENDING_TAG}
            if self.location:
                tagged = {"And": {"Prefix": self.location, "Tags": [PENDING_TAG]}}
            self.claim_rules = [
                {
                    "ID": UNCLAIMED_RULE_ID,
                    "Status": "Enabled",
                    "Filter": tagged,
                    "Expiration": {"Days": days},
                },
                {
                    "ID": ABORT_RULE_ID,
                    "Status": "Enabled",
                    "Filter": {"Prefix": self.location},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": days},
                },
            ]

    def rules(self, kind: str) -> list[Rule]:
        """The bucket's rules of ``kind`` (one of ``CONFIGURATIONS``)."""
        operation, body, key = CONFIGURATIONS[kind]
        get = getattr(self.client, "get_" + operation)
        try:
            found: dict[str, list[Rule]] = get(Bucket=self.bucket)
        except ClientError as e:
            if e.response["Error"]["Code"] == "NoSuch" + body:
                return []
            raise
        return found.get(key, [])

    def problems(self) -> list[str]:
        """What is missing, in words; empty when the bucket is ready."""
        found = []
        rules = self.rules("CORS")
        for origin in self.origins:
            for method in ("POST", "PUT"):
                if not cors_allows(rules, origin, method):
                    found.append(f"CORS: {method} from {origin} is not allowed (or ETag hidden).")
        prefix = self.prefix
        rules = self.rules("Lifecycle")
        # An object in the upload folder, untagged; a pending upload in a final folder, and
        # a claimed one (which no rule may expire).
        upload = prefix + "x"
        pending = self.location + "folder/x"
        tag = {PENDING_TAG["Key"]: PENDING_TAG["Value"]}
        for field, days, wrong in DEADLINES:
            if not self.soon(rules, field, days, upload, {}):
                found.append(f"Lifecycle: {wrong.format(prefix)} in {self.days} days.")
        if self.claims:
            if not self.soon(rules, "Expiration", "Days", pending, tag):
                found.append(
                    "Lifecycle: uploads tagged s3file=pending under "
                    f"{self.location or 'the bucket'} do not expire in {self.days} days."
                )
            field, days, wrong = DEADLINES[1]
            if not self.soon(rules, field, days, pending, {}):
                where = self.location or "the bucket"
                found.append(f"Lifecycle: {wrong.format(where)} in {self.days} days.")
        return found

    def soon(
        self, rules: list[Rule], field: str, days: str, key: str, tags: dict[str, str]
    ) -> bool:
        """Whether one of ``rules`` does ``field`` to ``key`` within our days."""
        return any(
            matches(rule, key, tags) and rule.get(field, {}).get(days, 10**9) <= self.days
            for rule in rules
        )

    def apply(self) -> list[str]:
        """Write our two rules where they differ; return what changed, in words."""
        changed: list[str] = []
        for kind, first in self.wanted.items():
            wanted = [first, *(self.claim_rules if kind == "Lifecycle" else [])]
            current = self.rules(kind)
            # Ours are there if a rule says all each says (servers add defaults such as
            # MaxAgeSeconds 0).
            missing = [w for w in wanted if not any(w.items() <= r.items() for r in current)]
            if missing:
                ids = {rule["ID"] for rule in wanted}
                others = [r for r in current if r.get("ID") not in ids]
                operation, body, key = CONFIGURATIONS[kind]
                put = getattr(self.client, "put_" + operation)
                put(Bucket=self.bucket, **{body: {key: [*others, *wanted]}})
                changed.extend(f"{kind} rule {rule['ID']} written." for rule in missing)
        return changed


def explain(error: Exception, bucket: str, endpoint: str | None) -> str:
    """One line saying what went wrong with S3 and what to do about it."""
    where = endpoint or "AWS S3"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "") or str(error)
        if code == "NoSuchBucket":
            return (
                f"Bucket {bucket} does not exist at {where}: create it (e.g. "
                f"'aws s3 mb s3://{bucket}'), or name an existing one in the default "
                "storage's bucket_name (AWS_STORAGE_BUCKET_NAME)."
            )
        if code in CREDENTIAL_CODES:
            return (
                f"{where} refused the credentials for bucket {bucket} ({code}: {message}): "
                "check the default storage's access_key and secret_key "
                "(AWS_S3_ACCESS_KEY_ID, AWS_S3_SECRET_ACCESS_KEY) and that they may get and "
                "put the bucket's CORS and lifecycle configuration."
            )
        return f"{where} answered {code or 'an error'} for bucket {bucket}: {message}"
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return (
            f"No S3 credentials found for bucket {bucket}: set the default storage's "
            "access_key and secret_key (AWS_S3_ACCESS_KEY_ID, AWS_S3_SECRET_ACCESS_KEY), "
            "or the environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    if isinstance(error, EndpointConnectionError):
        return (
            f"Could not reach the S3 endpoint {where}: check the default storage's "
            "endpoint_url (AWS_S3_ENDPOINT_URL), that the server runs, and the network."
        )
    return f"S3 failed for bucket {bucket} at {where}: {error}"


class Command(BaseCommand):
    help = (
        "Check (--check) or set up (--apply) the default storage's bucket for direct uploads: "
        "a CORS rule letting the site's origins POST and PUT (ETag exposed), and a lifecycle "
        "rule expiring abandoned uploads and aborting unfinished multipart uploads (with "
        "S3FILE_CLAIM, also uploads tagged s3file=pending in final folders). --apply "
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

    def handle(self, *args: Any, apply: bool, **options: Any) -> None:
        store = backend()
        if not isinstance(store, S3Backend):
            raise CommandError("The default storage is not an S3 storage: nothing to set up.")
        days = options["expire_days"] or conf.get("S3FILE_EXPIRE_DAYS")
        if days < 1:
            raise CommandError("--expire-days must be at least 1.")
        claims = bool(conf.get("S3FILE_CLAIM"))
        setup = BucketSetup(store, cors_origins(options["origins"]), days, claims)
        try:
            if apply:
                self.stdout.write("\n".join(setup.apply() or ["Nothing to change."]))
            problems = setup.problems()
        except (ClientError, BotoCoreError) as e:
            # One line and a non-zero exit: manage.py shows a CommandError without traceback.
            raise CommandError(explain(e, store.bucket, store.endpoint_url)) from e
        if problems:
            self.stderr.write("\n".join(problems))
            raise CommandError(f"Bucket {store.bucket} is not ready for direct uploads.")
        self.stdout.write(
            self.style.SUCCESS(f"Bucket {store.bucket} is ready for direct uploads.")
        )
