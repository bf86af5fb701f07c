"""6. Browser upload side by side with Uppy, on loopback and on links Chromium emulates.

One Django server (s3file at its defaults: one presigned POST up to 64 MiB, 16 MiB parts 6 at a
time above), one SeaweedFS, one Chromium; per cell (link × file size) the clients take turns:

- **s3file**: the form's upload, from ``s3file:start`` to ``s3file:done``;
- **Uppy, defaults**: Uppy 6's ``AwsS3`` (npm ``uppy``'s browser bundle) with its defaults
  (multipart above 100 MiB, parts of max(5 MiB, size / 10,000), which it sends one at a time),
  signing through Companion's S3 routes, served by ``companion.py`` with boto3;
- **Uppy, our parts**: the same with s3file's threshold and part size, and ``limit`` 6 (Uppy's
  ``limit`` is files at once: a file's parts still go one at a time);
- **bare XHRs**: the page PUTs the same 16 MiB parts, 6 at a time, to part URLs signed
  beforehand: no signing, no hashing, the page's ceiling.

The link is Chromium's own network emulation (DevTools ``Network.emulateNetworkConditions``,
the same for uploads and the page's own requests), applied to the page once it has loaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from devtools import chromium
from devtools.seaweedfs import SeaweedFS
from s3file.conf import DEFAULTS

from . import report
from .browser import (
    LOOPBACK,
    Link,
    browser_upload,
    first_s3_request,
    open_page,
    raw_part_puts,
)
from .common import Context, MiB, log, medians, rotated
from .process import DjangoServer, storage_env

NAME = "uppy"
TITLE = "6. Browser upload, side by side with Uppy"
HERE = Path(__file__).resolve().parent
#: Where the Uppy bundle is unpacked at bench time (ignored by git: never committed).
VENDOR = HERE / "vendor"
UPPY = "uppy@6"
LINKS = {
    "loopback": LOOPBACK,
    "500mbit": Link("500 Mbit/s, 20 ms", 500, 20),
    "50mbit": Link("50 Mbit/s, 40 ms", 50, 40),
}
#: s3file's defaults (S3FILE_MULTIPART_THRESHOLD, _PART_SIZE, _CONCURRENCY).
THRESHOLD, PART_SIZE, CONCURRENCY = (
    DEFAULTS[f"S3FILE_MULTIPART_{name}"] for name in ("THRESHOLD", "PART_SIZE", "CONCURRENCY")
)
S3FILE = "s3file"
UPPY_DEFAULTS = "Uppy, defaults"
UPPY_OURS = "Uppy, our part size and limit"
BARE = f"bare XHRs, {CONCURRENCY} part PUTs at a time"
VARIANTS = (S3FILE, UPPY_DEFAULTS, UPPY_OURS, BARE)
#: ``--uppy-clients`` names.
VARIANT_KEYS = {"s3file": S3FILE, "uppy": UPPY_DEFAULTS, "uppy-ours": UPPY_OURS, "xhr": BARE}
TIMEOUT_MS = 1_800_000
KEYS = ("seconds", "first_s3_request", "parts", "create", "create_at", "first_sign_done")
KEYS += ("first_part_sent", "part_put_median")


def uppy_bundle() -> Path:
    """``vendor/static/uppy/uppy.min.mjs``, unpacked from ``npm pack uppy@6`` if missing."""
    static = VENDOR / "static"
    bundle = static / "uppy" / "uppy.min.mjs"
    if not bundle.exists():
        log(f"{TITLE}: fetching {UPPY} with npm pack")
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                ["npm", "pack", UPPY, "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=True,
            )
            with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
                tar.extractall(tmp, filter="data")
            bundle.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(tmp) / "package" / "dist" / "uppy.min.mjs", bundle)
            version = (Path(tmp) / "package" / "package.json").read_text()
            (bundle.parent / "package.json").write_text(version)
    return static


def uppy_version() -> str:
    import json

    path = VENDOR / "static" / "uppy" / "package.json"
    return json.loads(path.read_text())["version"] if path.exists() else "?"


def uppy_upload(
    browser: Any, server: DjangoServer, path: Path, link: Link, ours: bool
) -> dict[str, Any]:
    """Seconds Uppy takes from ``upload()`` to its result."""
    context, page, _ = open_page(browser, server.url + "/uppy/", path, link)
    try:
        page.set_default_timeout(TIMEOUT_MS)
        page.wait_for_function("() => window.benchUppy")
        options = (
            {"partSize": PART_SIZE, "threshold": THRESHOLD, "limit": CONCURRENCY} if ours else {}
        )
        out = page.evaluate("(options) => window.benchUppy(options)", options)
        parts = [r for r in out["requests"] if r["kind"] == "part"]
        return {
            "seconds": (out["end"] - out["start"]) / 1000,
            "first_s3_request": first_s3_request(out["start"], out["requests"]),
            "parts": len(parts),
        }
    finally:
        context.close()


def run(ctx: Context) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    static = uppy_bundle()
    rows: list[dict[str, Any]] = []
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("uppy")
        client = s3.client()
        options = s3.storage_options(bucket)
        env = storage_env("direct", options, BENCH_STATIC_DIR=static)
        server = DjangoServer("uppy", env, ctx.log_dir).start()
        # What-ifs: s3file with its script files replaced by those of a directory.
        what_ifs = {
            f"{S3FILE} what-if: {name}": DjangoServer(
                f"uppy-{name}",
                storage_env("direct", options, BENCH_STATIC_DIR=f"{folder}{os.pathsep}{static}"),
                ctx.log_dir,
            )
            for name, folder in ctx.peer_what_ifs.items()
        }
        try:
            for other in what_ifs.values():
                other.start()
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                measure = {
                    S3FILE: lambda path, link: browser_upload(browser, server, path, link),
                    UPPY_DEFAULTS: lambda path, link: uppy_upload(
                        browser, server, path, link, ours=False
                    ),
                    UPPY_OURS: lambda path, link: uppy_upload(
                        browser, server, path, link, ours=True
                    ),
                    **{
                        name: lambda path, link, other=other: browser_upload(
                            browser, other, path, link
                        )
                        for name, other in what_ifs.items()
                    },
                    BARE: lambda path, link: {
                        "seconds": raw_part_puts(
                            browser, server, path, client, bucket, PART_SIZE, link, CONCURRENCY
                        )
                    },
                }
                chosen = {VARIANT_KEYS[key] for key in ctx.peer_variants} or set(VARIANTS)
                variants = [v for v in VARIANTS if v in chosen]
                variants[1:1] = list(what_ifs)
                for variant in variants:  # scripts, bundle, boto3 clients: warm
                    measure[variant](ctx.file(70 * MiB), LOOPBACK)
                s3.empty_bucket(bucket)
                for link_name in ctx.peer_links:
                    link = LINKS[link_name]
                    for size in ctx.peer_sizes:
                        path = ctx.file(size * MiB)
                        for i in range(ctx.peer_runs):
                            for variant in rotated(variants, i):
                                log(
                                    f"{TITLE}: {link.name}, {size} MiB, {variant}, "
                                    f"run {i + 1}/{ctx.peer_runs}"
                                )
                                started = time.monotonic()
                                measured = measure[variant](path, link)
                                rows.append(
                                    {
                                        "link": link_name,
                                        "size_mib": size,
                                        "variant": variant,
                                        "run": i,
                                        "wall": time.monotonic() - started,
                                        **measured,
                                    }
                                )
                                s3.empty_bucket(bucket)
                browser.close()
        finally:
            server.stop()
            for other in what_ifs.values():
                other.stop()
    return {
        "params": {
            "what_ifs": list(what_ifs),
            "links": ctx.peer_links,
            "sizes_mib": ctx.peer_sizes,
            "runs": ctx.peer_runs,
            "uppy": uppy_version(),
        },
        "runs": rows,
    }


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Medians per cell and variant, with rates, the link fraction and s3file ÷ each."""
    params = result["params"]
    cells = []
    for link_name in result["params"]["links"]:
        link = LINKS[link_name]
        for size in result["params"]["sizes_mib"]:
            by_variant = {}
            for variant in (VARIANTS[0], *params.get("what_ifs", []), *VARIANTS[1:]):
                where = {"link": link_name, "size_mib": size, "variant": variant}
                if not (m := medians(result["runs"], KEYS, **where)):
                    continue
                m["mib_per_s"] = size / m["seconds"]
                m["link_fraction"] = m["mib_per_s"] / link.mib_per_s if link.mib_per_s else None
                by_variant[variant] = m
            ours = by_variant.get(S3FILE)
            for m in by_variant.values():
                # s3file ÷ this client, as speeds: above 1, s3file is faster.
                m["s3file_ratio"] = m["seconds"] / ours["seconds"] if ours else None
            cells.append({"link": link_name, "size_mib": size, "variants": by_variant})
    return cells


def render(result: dict[str, Any]) -> str:
    params = result["params"]
    rows = []
    for cell in summarize(result):
        link = LINKS[cell["link"]]
        for variant, m in cell["variants"].items():
            rows.append(
                [
                    link.name,
                    report.size_label(cell["size_mib"]),
                    variant,
                    report.num(m["seconds"]),
                    report.num(m["mib_per_s"], 1),
                    report.num(m["link_fraction"]),
                    report.num(m.get("first_s3_request")),
                    "" if variant == S3FILE else f"**{report.num(m['s3file_ratio'])}**",
                ]
            )
    headers = [
        "link",
        "file",
        "client",
        "seconds",
        "MiB/s",
        "÷ link rate",
        "first S3 request at, s",
        "s3file ÷ this",
    ]
    return f"""## {TITLE}

{report.table(headers, rows)}

Medians of {params["runs"]} runs per row; in each cell (link and file) the clients took turns,
each run in a different order. Headless Chromium on pages of one Django server (s3file at its
defaults: multipart above 64 MiB, 16 MiB parts, {CONCURRENCY} at a time), SeaweedFS on
loopback (another origin: CORS preflights included). **s3file**: the form's upload, from
`s3file:start` to `s3file:done` (the `create`, `sign` and `complete` calls and each part's
MD5, hashed while the parts travel, included).
**Uppy, defaults**: Uppy {params["uppy"]}'s `AwsS3` (npm `uppy`'s browser bundle, fetched at
bench time) with its defaults: multipart above 100 MiB, parts of max(5 MiB, size ÷ 10,000),
sent one at a time; it signs through Companion's S3 routes, answered by a view of the
benchmark project with boto3 (`benchmarks/companion.py`); timed from `uppy.upload()` to its
result. **Uppy, our part size and limit**: the same with s3file's threshold and part size
(`shouldUseMultipart`, `getChunkSize`) and `limit: {CONCURRENCY}` (files at once: Uppy 6 still
sends a file's parts one at a time). **bare XHRs**: the page PUTs the same 16 MiB parts,
{CONCURRENCY} at a time,
to part URLs signed beforehand (no signing round trips, no hashing): the page's ceiling. Links:
Chromium's own emulation (DevTools `Network.emulateNetworkConditions`: throughput both ways and
a latency added to every request, the page's requests to Django included), set once the page
has loaded; *loopback* is unthrottled. *÷ link rate*: MiB/s over the emulated rate. *first S3
request at*: seconds from the start to the first request to S3 (Resource Timing).
*s3file ÷ this*: this client's seconds over s3file's (s3file's speed relative to it; above 1,
s3file is faster).
"""
