"""8. The final POST: saving an upload where it lies, against copying it (``S3FILE_CLAIM``).

The form POST that saves a direct upload, timed in a Django process of its own (Django's test
client, no server): into a Wagtail document and a ``FileField(upload_to="docs/")``, whose
inputs upload into the final folder (claimed: the pending tag removed), and into a
``FileField`` with a callable ``upload_to`` (copied: today's path). Each upload is made as
the browser leaves it (a ``copy_object`` of one object uploaded in 16 MiB parts, into the
key the rendered input grants, with the tag a multipart upload gets), then posted, with the
SHA-1 the script posts for a file it sent in parts where the input asks for one (Wagtail's).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig

from devtools.seaweedfs import SeaweedFS

from . import report
from .common import Context, MiB, log, medians, ratio, rotated
from .process import ROOT, storage_env

NAME = "claim"
TITLE = "8. The final POST: claimed where it lies, or copied"
WAGTAIL = "Wagtail document"
DOCS = 'FileField(upload_to="docs/")'
DATED = "FileField(upload_to=callable)"
#: Each surface: the page, the other fields it posts, and whether it claims.
SURFACES = {
    WAGTAIL: ("/cms/documents/add/", True),
    DOCS: ("/claim/docs/", True),
    DATED: ("/claim/dated/", False),
}
COPIES = ("CopyObject", "UploadPartCopy")
#: Seconds between an upload's setup and its timed POST (after the disk is flushed).
SETTLE = 1.0


def run(ctx: Context) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with SeaweedFS() as s3, tempfile.TemporaryDirectory(prefix="s3file-claim-") as tmp:
        bucket = s3.new_bucket("claim")
        client = s3.client()
        masters = {}
        sha1s = {}
        for mib in ctx.claim_sizes:
            log(f"{TITLE}: uploading the {mib} MiB master")
            masters[mib] = f"master-{mib}.bin"
            with ctx.file(mib * MiB).open("rb") as master:
                sha1s[mib] = hashlib.file_digest(master, "sha1").hexdigest()
            # As the browser uploads a file this size: in 16 MiB parts.
            config = TransferConfig(multipart_threshold=MiB + 1, multipart_chunksize=16 * MiB)
            client.upload_file(str(ctx.file(mib * MiB)), bucket, masters[mib], Config=config)
        job = {"bucket": bucket, "masters": masters, "sha1s": sha1s, "runs": ctx.claim_runs}
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            **storage_env(
                "wagtail-direct",
                s3.storage_options(bucket),
                BENCH_DB=str(Path(tmp) / "db.sqlite3"),
                BENCH_CLAIM="1",
            ),
        }
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.claim", json.dumps(job)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"the final-POST worker failed:\n{done.stderr[-4000:]}")
        rows = json.loads(done.stdout)
    return {"params": {"sizes_mib": ctx.claim_sizes, "runs": ctx.claim_runs}, "runs": rows}


class FileInputs(HTMLParser):
    """The attributes of a page's direct-upload file input."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "input" and values.get("name") == "file" and "data-s3f-fields" in values:
            self.attrs = values


def worker(job: dict[str, Any]) -> list[dict[str, Any]]:
    """In the benchmark's Django process: each surface, size and run."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.test import Client
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from devtools.s3calls import recording_s3_calls
    from s3file.backends.s3 import PENDING_TAG, S3Backend

    call_command("migrate", run_syncdb=True, verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "secret")
    browser = Client()
    browser.force_login(user)
    collection = Collection.get_first_root_node().pk
    s3 = S3Backend(storages["default"]).client
    bucket = job["bucket"]
    rows = []
    sizes = sorted(int(mib) for mib in job["masters"])
    warm = [(sizes[0], -1)]  # boto3, the ORM, the templates: before measuring
    # Each round runs every size, so that a machine getting busier (or SeaweedFS fuller) over
    # the benchmark weighs on all sizes alike, not on the largest, run last.
    runs = [(mib, i) for i in range(job["runs"]) for mib in rotated(sizes, i)]
    for mib, i in [*warm, *runs]:
        for name in rotated(list(SURFACES), max(i, 0)):
            url, claims = SURFACES[name]
            parser = FileInputs()
            parser.feed(browser.get(url).content.decode())
            attrs = parser.attrs
            template = json.loads(attrs["data-s3f-fields"])["key"]
            key = template.replace("${filename}", f"{secrets.token_hex(8)}/upload.bin")
            master = job["masters"][str(mib)]
            copied = {"CopySource": {"Bucket": bucket, "Key": master}, "Bucket": bucket}
            s3.copy_object(**copied, Key=key)
            if claims:  # as CreateMultipartUpload tags an upload into a final folder
                s3.put_object_tagging(Bucket=bucket, Key=key, Tagging={"TagSet": [PENDING_TAG]})
            data = {"title": f"{name} {mib} {i}", "collection": collection, "s3file": "file"}
            data |= {"file": key, "file-s3f-signature": attrs["data-s3f-signature"]}
            if int(attrs["data-s3f-checksum"]):  # the script hashes what it sends in parts
                data["file-s3f-sha1"] = f"{job['sha1s'][str(mib)]}:{key}"
            # The setup wrote (and the last round deleted) up to 2 GiB on this machine's one
            # disk, and SeaweedFS shares its 2 cores: let both finish first, or the POST times
            # their writing, which grows with the size (S3 does that on machines of its own).
            os.sync()
            time.sleep(SETTLE)
            with recording_s3_calls() as calls:
                start = time.perf_counter()
                response = browser.post(url, data)
                wall = time.perf_counter() - start
            if response.status_code not in (200, 302):
                raise RuntimeError(f"{name}: {response.status_code} {response.content[:500]!r}")
            if name == WAGTAIL:
                saved = get_document_model().objects.latest("pk").file.name
            else:
                saved = response.json()["name"]
            size = s3.head_object(Bucket=bucket, Key=saved)["ContentLength"]
            if size != mib * MiB:
                raise RuntimeError(f"{name}: saved {size} bytes, not {mib} MiB")
            operations = Counter(call.operation for call in calls)
            if i >= 0:
                rows.append(
                    {
                        "surface": name,
                        "size_mib": mib,
                        "run": i,
                        "wall": wall,
                        "claimed": saved == key,
                        "requests": dict(operations),
                    }
                )
            print(f"{name} {mib} MiB run {i}: {wall:.3f} s", file=sys.stderr, flush=True)
            for leftover in {saved, key}:
                s3.delete_object(Bucket=bucket, Key=leftover)
    return rows


def summarize(result: dict[str, Any]) -> dict[str, dict[int, dict[str, Any]]]:
    """Medians per surface and size, with each size's ratio to the smallest."""
    sizes = result["params"]["sizes_mib"]
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for name in SURFACES:
        by_size = {}
        for mib in sizes:
            runs = [r for r in result["runs"] if r["surface"] == name and r["size_mib"] == mib]
            if runs:
                by_size[mib] = {
                    **medians(runs, ("wall",), surface=name, size_mib=mib),
                    "claimed": all(r["claimed"] for r in runs),
                    "requests": runs[-1]["requests"],
                }
        smallest = by_size.get(min(sizes), {}).get("wall")
        for row in by_size.values():
            row["ratio"] = ratio(row["wall"], smallest) if smallest else None
        found[name] = by_size
    return found


def render(result: dict[str, Any]) -> str:
    summary = summarize(result)
    sizes = result["params"]["sizes_mib"]
    largest, smallest = max(sizes), min(sizes)
    lines = []
    for name, by_size in summary.items():
        top = by_size.get(largest, {})
        copies = sum(top.get("requests", {}).get(op, 0) for op in COPIES)
        lines.append(
            f"- {name}: the {report.size_label(largest)} POST takes "
            f"**{report.times(top.get('ratio'))}** the {report.size_label(smallest)} one, "
            f"with {copies} copy call{'s' * (copies != 1)}."
        )
    rows = [
        [
            name,
            report.size_label(mib),
            "claimed" if row["claimed"] else "copied",
            report.num(row["wall"], 3),
            report.times(row["ratio"]),
            ", ".join(f"{op} ×{n}" if n > 1 else op for op, n in row["requests"].items()),
        ]
        for name, by_size in summary.items()
        for mib, row in by_size.items()
    ]
    headers = ["surface", "file", "saved", "final POST s", f"÷ {report.size_label(smallest)}"]
    return f"""## {TITLE}

{chr(10).join(lines)}

{report.table([*headers, "S3 requests of the POST"], rows)}

Medians of {result["params"]["runs"]} runs, the sizes and the surfaces interleaved, each round
in a different order, after one warm-up round; Django's test client in a process of its own
(settings `BENCH_MODE=wagtail-direct`, `S3FILE_CLAIM = True`, `S3FILE_POST_TAGGING = False` as
SeaweedFS needs), against SeaweedFS on loopback. Each upload is made before the clock starts,
as the browser leaves it: a `copy_object` of one object uploaded in 16 MiB parts into the key
the rendered input grants, tagged `s3file=pending` as CreateMultipartUpload tags it. *final
POST*: the test client's `post()` of the form with the key, from start to answer (validation,
the save, the database write; the copy path's delete of the upload runs before the answer too),
after an `os.sync()` and a pause of {SETTLE:.0f} s: the setup's copy of up to 1 GiB (and the
last round's deletes) would otherwise still be written while the POST runs, by the kernel and
by SeaweedFS on the same 2 cores. The Wagtail document's form posts the SHA-1 the script
computes of a file it sends in parts (`<field>-s3f-sha1`; S3 verifies no whole-file SHA-1 of a
multipart upload), which becomes Wagtail's `file_hash` without a read of the object; the
`FileField` inputs ask for none.
"""


if __name__ == "__main__":
    print(json.dumps(worker(json.loads(sys.argv[1]))))
