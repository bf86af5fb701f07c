"""7. Final POST under load: many form submissions of direct uploads, 20 at a time, on a
server with a pool of reused threads and on one that starts a thread per request (``runserver``).

Each submission is what s3file's script posts once the file is in S3 (its key and the input's
signature); the view validates the form and saves the file (``S3OptimizedUploadStorage``: a
HEAD, a server-side copy, a delete). The files are put in S3 beforehand, outside the timing.
"""

from __future__ import annotations

import json
import math
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from devtools.seaweedfs import SeaweedFS

from . import report
from .client import FormPage, get_form, post_multipart
from .common import Context, MiB, log, median, rotated
from .process import DjangoServer, storage_env

NAME = "load"
#: The listen queue of the third server (Django's ``WSGIServer.request_queue_size`` is 10).
BACKLOG = 128
TITLE = "7. Final POST under load"
MODELS = {
    "pool": "pool of 4 reused threads (gunicorn gthread-like)",
    "threaded": "a thread per request (runserver)",
    "threaded-backlog": f"a thread per request, listen queue {BACKLOG} (runserver's: 10)",
}
FILE_SIZE = MiB
CONTENT_TYPE = "application/octet-stream"


def submissions(page: FormPage, client: Any, bucket: str, count: int) -> list[list[Any]]:
    """``count`` form bodies, each for a file of its own already in S3 (as the script would
    have put it, under the input's signed folder)."""
    attrs = page.inputs["file"]
    template = json.loads(attrs["data-s3f-fields"])["key"]
    body = b"\0" * FILE_SIZE
    forms = []
    for _ in range(count):
        key = template.replace("${filename}", f"{uuid.uuid4().hex[:16]}/upload.bin")
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=CONTENT_TYPE)
        forms.append(
            [
                ("csrfmiddlewaretoken", page.csrf_token),
                ("title", "Benchmark"),
                ("s3file", "file"),
                ("file-s3f-signature", attrs["data-s3f-signature"]),
                ("file", key),
            ]
        )
    return forms


def submit_all(server: DjangoServer, page: FormPage, forms: list[Any], at_once: int) -> dict:
    """Post ``forms``, ``at_once`` at a time; each one's seconds, and the process's CPU."""

    def submit(fields: list[Any]) -> float:
        response = post_multipart(server.url + "/upload/", fields, headers={"Cookie": page.cookie})
        if response.status != 200:
            raise RuntimeError(f"{server.name}: {response.status}: {response.body[:300]!r}")
        return response.wall

    before = server.usage()
    with ThreadPoolExecutor(at_once) as pool:
        latencies = list(pool.map(submit, forms))
    cpu = server.usage().cpu - before.cpu
    return {"latencies": latencies, "cpu": cpu, "count": len(forms)}


def run(ctx: Context) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    count, at_once = ctx.load_count, ctx.load_concurrency
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("load")
        client = s3.client()
        options = s3.storage_options(bucket)
        servers = {
            model: DjangoServer(f"load-{model}", server_env(model, options), ctx.log_dir)
            for model in MODELS
        }
        try:
            for server in servers.values():
                server.start()
            pages = {model: get_form(server.url + "/upload/") for model, server in servers.items()}
            # Imports, templates and, on the pool, each thread's boto3 client: before measuring.
            for model, server in servers.items():
                submit_all(server, pages[model], submissions(pages[model], client, bucket, 8), 8)
            s3.empty_bucket(bucket)
            for i in range(ctx.load_runs):
                for model in rotated(list(MODELS), i):
                    log(f"{TITLE}: {count} submissions, {at_once} at a time, {model}, run {i + 1}")
                    forms = submissions(pages[model], client, bucket, count)
                    measured = submit_all(servers[model], pages[model], forms, at_once)
                    rows.append({"model": model, "run": i, **measured})
                    s3.empty_bucket(bucket)
        finally:
            for server in servers.values():
                server.stop()
    params = {"count": count, "at_once": at_once, "runs": ctx.load_runs, "file_mib": 1}
    return {"params": params, "runs": rows}


def server_env(model: str, options: dict[str, Any]) -> dict[str, str]:
    server, _, backlog = model.partition("-")
    extra = {"BENCH_BACKLOG": str(BACKLOG)} if backlog else {}
    return storage_env("direct", options, BENCH_SERVER=server, **extra)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    summary = []
    for model in MODELS:
        runs = [r for r in result["runs"] if r["model"] == model]
        if not runs:
            continue
        latencies = [x for r in runs for x in r["latencies"]]
        summary.append(
            {
                "model": model,
                "p50": percentile(latencies, 0.5),
                "p95": percentile(latencies, 0.95),
                "max": max(latencies),
                "cpu_per_submission": median([r["cpu"] / r["count"] for r in runs]),
                "submissions": len(latencies),
            }
        )
    return summary


def render(result: dict[str, Any]) -> str:
    params = result["params"]
    summary = summarize(result)
    rows = [
        [
            MODELS[s["model"]],
            str(s["submissions"]),
            report.num(s["p50"]),
            report.num(s["p95"]),
            f"{s['p95'] / s['p50']:.1f}×",
            report.num(s["max"]),
            report.num(s["cpu_per_submission"], 3),
        ]
        for s in summary
    ]
    headers = ["server", "submissions", "p50 s", "p95 s", "p95 ÷ p50", "max s", "CPU s each"]
    return f"""## {TITLE}: {params["count"]} submissions, {params["at_once"]} at a time

{report.table(headers, rows)}

{params["runs"]} runs of {params["count"]} form submissions per server, the servers taking
turns; the percentiles are over every submission of the runs. Each submission is the form POST
s3file's script makes once a file ({params["file_mib"]} MiB) is in S3: its key and the input's
signature; the view validates the form and saves the file with `S3OptimizedUploadStorage`
(`HeadObject`, `CopyObject`, `DeleteObject`, and the `HeadObject` of `Storage.save`'s free-name
check). A client posts {params["at_once"]} at a time, each on a new connection; *s*: from its
first byte sent to the answer's last byte. *CPU s each*: the Django process's user + system time
over the run, divided by the submissions (median of the runs). Both servers are Django's own
WSGI server in one process (`benchmarks/serve.py`): on the pool, requests run on 4 reused
threads (later ones wait for a free thread); on *a thread per request*, each connection gets a
new thread, as under `runserver`, where django-storages would build that thread's boto3
client (its connection is per thread): s3file's own S3 calls share one client, so the CPU per
submission is the same on every server. Both keep Django's listen queue of 10 connections
(`WSGIServer.request_queue_size`): with 20 clients connecting at once and 20 request threads
holding the GIL, runserver's accept loop falls behind, the kernel drops connection attempts and
the clients try again after Linux's 1 s SYN timeout, which is the p95 of the second row. The
third row is the same server with a queue of {BACKLOG}. Each server first served a warm-up
batch of 8 submissions at once.
"""
