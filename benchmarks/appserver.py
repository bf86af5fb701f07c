"""1. App-server cost of one upload: the classic upload through Django against direct upload.

(a) classic: a stock Django site (no s3file) receives the file in a multipart/form-data body
    and saves it with django-storages' ``S3Boto3Storage``;
(b) direct: the file is in S3 already (put the way s3file's script puts it: one presigned POST
    up to the multipart threshold, 16 MiB parts above it), the form POST carries its key and
    signature, and ``S3OptimizedUploadStorage`` saves it;
(b') direct + read 64: the same, and the view reads the file's first 64 bytes before saving;
(b'') direct, thread per request: (b) on a server that starts a thread per request, as
    ``runserver`` does (the others run on a pool of reused threads, see ``serve.py``).

Only the form POST is measured, on the Django server process (see ``process.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig

from devtools.seaweedfs import SeaweedFS

from . import report
from .client import get_form, post_multipart
from .common import Context, MiB, log, medians, ratio, rotated
from .process import Cost, DjangoServer, cost, storage_env

NAME = "appserver"
TITLE = "1. App-server cost per upload"
THREADED = "direct, thread per request"
VARIANTS = ("classic", "direct", "direct + read 64 B", THREADED)
#: The server each variant posts to: its mode (see ``settings.py``) and threading model.
SERVERS = {
    "classic": ("classic", "pool"),
    "direct": ("direct", "pool"),
    "threaded": ("direct", "threaded"),
}
#: s3file's default part size (S3FILE_MULTIPART_PART_SIZE) and parts in flight.
PART_SIZE = 16 * MiB
CONCURRENCY = 4
CONTENT_TYPE = "application/octet-stream"
KEYS = ("wall", "cpu", "received", "sent", "file_read", "file_written", "peak", "growth")
KEYS += ("rss_before",)


def browser_upload(attrs: dict[str, str], path: Path, client: Any, bucket: str) -> str:
    """Put ``path`` into S3 as s3file's script would from this input; return the key."""
    fields = json.loads(attrs["data-s3f-fields"])
    key = fields["key"].replace("${filename}", f"0/{path.name}")
    threshold = json.loads(attrs["data-s3f-multipart"])["threshold"]
    size = path.stat().st_size
    if threshold and size > threshold:
        # The script's multipart upload, from Python: same part size, same parallelism.
        client.upload_file(
            str(path),
            bucket,
            key,
            ExtraArgs={"ContentType": CONTENT_TYPE},
            Config=TransferConfig(
                multipart_threshold=size,
                multipart_chunksize=PART_SIZE,
                max_concurrency=CONCURRENCY,
            ),
        )
        return key
    response = post_multipart(
        attrs["data-s3f-url"],
        [*{**fields, "key": key}.items(), ("Content-Type", CONTENT_TYPE)],
        ("file", path, CONTENT_TYPE),
    )
    if response.status != 201:
        raise RuntimeError(f"S3 refused the presigned POST: {response.status} {response.body!r}")
    return key


def measure(variant: str, server: DjangoServer, path: Path, client: Any, bucket: str) -> Cost:
    """One form POST of ``path`` in ``variant``, as the Django process saw it."""
    page = get_form(server.url + "/upload/")
    fields = [("csrfmiddlewaretoken", page.csrf_token), ("title", "Benchmark")]
    file = None
    if variant == "classic":
        file = ("file", path, CONTENT_TYPE)
    else:
        attrs = page.inputs["file"]
        key = browser_upload(attrs, path, client, bucket)
        # What the script posts in place of the file (see s3file.js submit()).
        fields += [
            ("s3file", "file"),
            ("file-s3f-signature", attrs["data-s3f-signature"]),
            ("file", key),
        ]
    query = "?read=64" if variant.endswith("read 64 B") else ""
    io_before = server.socket_bytes()
    server.reset_peak()
    before = server.usage()
    response = post_multipart(
        server.url + "/upload/" + query, fields, file, headers={"Cookie": page.cookie}
    )
    after = server.usage()
    io_after = server.socket_bytes()
    if response.status != 200:
        raise RuntimeError(
            f"{variant}: Django answered {response.status}: {response.body[:500]!r}"
        )
    return cost(before, after, response.wall, io_before, io_after)


def run(ctx: Context) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("appserver")
        client = s3.client()
        options = s3.storage_options(bucket)
        servers = {
            name: DjangoServer(name, storage_env(mode, options, BENCH_SERVER=model), ctx.log_dir)
            for name, (mode, model) in SERVERS.items()
        }
        try:
            for server in servers.values():
                server.start()
            which = {
                variant: servers["threaded" if variant == THREADED else variant.split()[0]]
                for variant in VARIANTS
            }
            for variant in VARIANTS:  # imports, boto3 clients, templates: before measuring
                measure(variant, which[variant], ctx.file(64 * 1024), client, bucket)
            s3.empty_bucket(bucket)
            for size in ctx.sizes:
                path = ctx.file(size * MiB)
                for i in range(ctx.runs):
                    for variant in rotated(VARIANTS, i):
                        log(f"{TITLE}: {size} MiB, {variant}, run {i + 1}/{ctx.runs}")
                        result = measure(variant, which[variant], path, client, bucket)
                        rows.append(
                            {"size_mib": size, "variant": variant, "run": i, **result.as_dict()}
                        )
                        s3.empty_bucket(bucket)
        finally:
            for server in servers.values():
                server.stop()
    return {"params": {"sizes_mib": ctx.sizes, "runs": ctx.runs}, "runs": rows}


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Medians per size and variant, and ratios to classic of the same size."""
    summary = []
    for size in result["params"]["sizes_mib"]:
        by_variant = {
            variant: m
            for variant in VARIANTS
            if (m := medians(result["runs"], KEYS, size_mib=size, variant=variant))
        }
        classic = by_variant.get("classic")
        for variant, m in by_variant.items():
            summary.append(
                {
                    "size_mib": size,
                    "variant": variant,
                    **m,
                    "wall_ratio": ratio(m["wall"], classic["wall"]) if classic else None,
                    "cpu_ratio": ratio(m["cpu"], classic["cpu"]) if classic else None,
                    "received_ratio": ratio(m["received"], classic["received"])
                    if classic
                    else None,
                    "peak_ratio": ratio(m["peak"], classic["peak"]) if classic else None,
                }
            )
    return summary


def render(result: dict[str, Any]) -> str:
    summary = summarize(result)
    classic_cpu = {s["size_mib"]: s["cpu"] for s in summary if s["variant"] == "classic"}
    rows = [
        [
            report.size_label(s["size_mib"]),
            s["variant"],
            report.num(s["wall"]),
            report.times(s["wall_ratio"]),
            report.cpu(s["cpu"]),
            report.cpu_ratio(s["cpu"], classic_cpu.get(s["size_mib"], 0)),
            report.mib(s["received"], 3),
            report.mib(s["sent"], 3),
            report.mib(s["file_written"], 1),
            report.mib(s["peak"], 0),
            report.mib(s["growth"], 1),
        ]
        for s in summary
    ]
    headers = [
        "file",
        "upload",
        "wall s",
        "÷ classic",
        "CPU s",
        "÷ classic",
        "received MiB",
        "sent MiB",
        "temp file MiB",
        "peak RSS MiB",
        "RSS growth MiB",
    ]
    runs = result["params"]["runs"]
    return f"""## {TITLE}

{report.table(headers, rows)}

Medians of {runs} runs per row; the variants of one size ran interleaved, each run in a
different order. **classic**: a stock Django site (no s3file) receives the file in the form's
multipart body and saves it with `S3Boto3Storage`. **direct**: the file is already in S3 (put as
s3file's script puts it: one presigned POST up to 64 MiB, 16 MiB parts 4 at a time above), the
form POST carries its key and signature, `S3OptimizedUploadStorage` saves it.
**direct + read 64 B**: the same, and the view reads the file's first 64 bytes before saving.
**direct, thread per request**: *direct* on a server that starts a thread per request, as
`runserver` does, so django-storages builds the request's boto3 client anew (see benchmark 7).

Only the form POST is measured, on one Django process: Django's own WSGI server
(`benchmarks/serve.py`, the server `runserver` runs) on a pool of 4 reused threads, as
gunicorn's gthread workers run (so django-storages' per-thread boto3 client is reused), except
the thread-per-request row, SeaweedFS on loopback; the client sends one request at a time.
*wall*: the request as the client saw it, from its first byte sent to the last byte of the
answer (for classic that includes sending the file to Django). *CPU*: the process's user +
system time (`/proc/<pid>/stat`, all threads, 10 ms ticks: "<0.01" is under one tick).
*received* / *sent*: bytes through the process's sockets (from the client and S3, to the client
and S3), counted inside the process by wrapping `socket.recv_into`/`send` (`/proc/<pid>/io`
counts only `read`/`write` calls, which Python's sockets do not make). *temp file*: bytes
written to files (`wchar`): classic's upload spooled to disk by Django. *peak RSS*: `VmHWM`
after resetting it to the current RSS (`/proc/<pid>/clear_refs`) just before the request; *RSS
growth*: that peak minus the RSS before the request. Each server process first served a warm-up
request of every variant.
"""
