"""9. A large upload through the JavaScript client (``client.js``) next to the form script.

One Django server (s3file at its defaults: multipart above 64 MiB, 16 MiB parts, 6 at a
time), one SeaweedFS, one Chromium; per run the two take turns on the same file:

- **form script**: the rendered form's upload, from ``s3file:start`` to ``s3file:done``
  (its grant came with the page);
- **JS client**: a page with no form calls ``upload(file, {field})``, timed from the call to
  the value it resolves to: the grant endpoint's round trip, then the same upload code.
"""

from __future__ import annotations

import time
from typing import Any

from devtools import chromium
from devtools.seaweedfs import SeaweedFS
from s3file.conf import DEFAULTS

from . import report
from .browser import browser_upload, first_s3_request, open_page, phases
from .common import Context, MiB, log, medians, rotated
from .process import DjangoServer, storage_env

NAME = "api"
TITLE = "9. A large upload through the JS client, next to the form script"
FORM = "form script (s3file.js)"
CLIENT = "JS client (client.js)"
VARIANTS = (FORM, CLIENT)
KEYS = ("seconds", "first_s3_request", "grant", "parts", "complete")
TIMEOUT_MS = 900_000


def client_upload(browser: Any, server: DjangoServer, path: Any) -> dict[str, Any]:
    """Seconds ``client.js``'s ``upload()`` takes for ``path``, and where they went."""
    context, page, _ = open_page(browser, server.url + "/client/", path)
    try:
        page.set_default_timeout(TIMEOUT_MS)
        page.wait_for_function("() => window.benchClient")
        out = page.evaluate("() => window.benchClient()")
        grants = [r for r in out["requests"] if r["kind"] == "other"]
        return {
            "seconds": (out["end"] - out["start"]) / 1000,
            "first_s3_request": first_s3_request(out["start"], out["requests"]),
            "grant": (grants[0]["end"] - grants[0]["start"]) / 1000 if grants else None,
            **phases(out["start"], out["requests"]),
        }
    finally:
        context.close()


def run(ctx: Context) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    path = ctx.file(ctx.api_size * MiB)
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("api")
        env = storage_env("direct", s3.storage_options(bucket))
        server = DjangoServer("api", env, ctx.log_dir)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                measure = {
                    FORM: lambda: browser_upload(browser, server, path),
                    CLIENT: lambda: client_upload(browser, server, path),
                }
                # Scripts, modules, boto3 clients: warm, with a file in parts.
                browser_upload(browser, server, ctx.file(70 * MiB))
                client_upload(browser, server, ctx.file(70 * MiB))
                s3.empty_bucket(bucket)
                for i in range(ctx.api_runs):
                    for variant in rotated(VARIANTS, i):
                        log(f"{TITLE}: {ctx.api_size} MiB, {variant}, run {i + 1}/{ctx.api_runs}")
                        started = time.monotonic()
                        measured = measure[variant]()
                        wall = time.monotonic() - started
                        rows.append({"variant": variant, "run": i, "wall": wall, **measured})
                        s3.empty_bucket(bucket)
                browser.close()
        finally:
            server.stop()
    return {"params": {"size_mib": ctx.api_size, "runs": ctx.api_runs}, "runs": rows}


def summarize(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Medians per variant, with MiB/s and the client's time over the form script's."""
    size = result["params"]["size_mib"]
    found = {v: medians(result["runs"], KEYS, variant=v) for v in VARIANTS}
    for m in found.values():
        m["mib_per_s"] = size / m["seconds"]
        m["ratio"] = m["seconds"] / found[FORM]["seconds"]
    return found


def render(result: dict[str, Any]) -> str:
    params = result["params"]
    rows = [
        [
            variant,
            report.num(m["seconds"]),
            report.num(m["mib_per_s"], 1),
            report.num(m.get("grant"), 3),
            report.num(m.get("first_s3_request"), 3),
            report.num(m.get("parts"), 0),
            report.num(m.get("complete"), 3),
            f"**{report.times(m['ratio'])}**",
        ]
        for variant, m in summarize(result).items()
    ]
    headers = [
        "upload",
        "seconds",
        "MiB/s",
        "grant request, s",
        "first S3 request at, s",
        "parts",
        "`complete` call, s",
        "÷ form script",
    ]
    part = DEFAULTS["S3FILE_MULTIPART_PART_SIZE"] // MiB
    concurrency = DEFAULTS["S3FILE_MULTIPART_CONCURRENCY"]
    size = report.size_label(params["size_mib"])
    return f"""## {TITLE}

{report.table(headers, rows)}

A {size} file, medians of {params["runs"]} runs per row; in each run the two took turns, each
run in a different order. Headless Chromium on pages of one Django server (s3file at its
defaults: multipart above 64 MiB, {part} MiB parts, {concurrency} at a time), SeaweedFS on
loopback (another origin: CORS preflights included). **form script**: the rendered form's
upload, from `s3file:start` to `s3file:done` (its grant came with the page). **JS client**:
`upload(file, {{field}})` of `s3file/js/client.js` on a page with no form, from the call to
the value it resolves to: the grant endpoint's round trip (*grant request*), then the same
upload code (`create`, `sign`, parts with their MD5s, `complete`). *÷ form script*: seconds
over the form script's (above 1, the client is slower).
"""
