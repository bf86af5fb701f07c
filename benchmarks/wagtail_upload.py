"""5. Wagtail bulk upload: Wagtail's "Add images" page, stock against ``wagtail_s3file``.

Chromium, signed in to Wagtail's admin, drops a batch of ~5 MB JPEGs on the multiple-upload
page. Stock Wagtail posts each file to Django, which saves it with ``S3Boto3Storage``; with
``wagtail_s3file`` the browser puts each file in S3 and Django copies it into place
(``S3OptimizedUploadStorage``). The Django process is measured over the whole batch.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from devtools import chromium, images
from devtools.seaweedfs import SeaweedFS

from . import report
from .common import Context, MiB, log, medians, ratio, rotated
from .process import ROOT, DjangoServer, cost, storage_env

NAME = "wagtail"
TITLE = "5. Wagtail bulk image upload"
MODES = {
    "wagtail-stock": "stock Wagtail",
    "wagtail-direct": "wagtail_s3file",
}
USER, PASSWORD = "editor", "secret"
#: A random-noise JPEG of this many pixels at quality 90 weighs about 5 MB.
IMAGE_PIXELS = (2700, 2000)
TIMEOUT = 300_000  # ms


def make_images(folder: Path, count: int) -> list[Path]:
    """``count`` JPEGs of about 5 MB, each different (noise compresses as little as a photo)."""
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo-{i:02}.jpg"
        path.write_bytes(images.noise(*IMAGE_PIXELS, seed=i, format="JPEG", quality=90))
        paths.append(path)
    return paths


def batch(images: list[Path], folder: Path) -> list[Path]:
    """Copies of ``images`` in ``folder`` that Wagtail will not take for duplicates (it compares
    file hashes): a few random bytes after each JPEG's end, which decoders ignore."""
    folder.mkdir()
    copies = []
    for path in images:
        copy = folder / f"{folder.name}-{path.name}"
        copy.write_bytes(path.read_bytes() + random.randbytes(16))
        copies.append(copy)
    return copies


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **env},
        check=True,
        capture_output=True,
    )


def database(ctx: Context) -> Path:
    """A migrated SQLite database with a superuser, to copy for each server."""
    path = ctx.work_dir / "wagtail.sqlite3"
    if not path.exists():
        env = {"BENCH_MODE": "wagtail-direct", "BENCH_DB": str(path)}
        manage(env, "migrate", "--noinput")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username",
            USER,
            "--email",
            "editor@example.com",
        )
    return path


def signed_in(browser: Any, server: DjangoServer) -> Any:
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url + "/cms/login/")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/cms/")
    return page


def upload(page: Any, server: DjangoServer, images: list[Path]) -> dict[str, Any]:
    """Drop ``images`` on the "Add images" page; what the Django process spent on them."""
    page.goto(server.url + "/cms/images/multiple/add/")
    rows = page.locator("#upload-list > li")
    io_before = server.socket_bytes()
    server.reset_peak()
    before = server.usage()
    start = time.perf_counter()
    page.set_input_files("#fileupload", [str(path) for path in images])
    finished = rows.and_(page.locator(".upload-success, .upload-failure"))
    deadline = time.monotonic() + TIMEOUT / 1000
    while finished.count() < len(images):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{server.name}: {finished.count()} of {len(images)} finished")
        page.wait_for_timeout(50)
    wall = time.perf_counter() - start
    after = server.usage()
    io_after = server.socket_bytes()
    if failed := rows.and_(page.locator(".upload-failure")).count():
        raise RuntimeError(f"{server.name}: {failed} of {len(images)} images failed")
    return cost(before, after, wall, io_before, io_after).as_dict()


def run(ctx: Context) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    count = 5 if ctx.quick else 20
    images = make_images(ctx.work_dir / "images", count)
    template = database(ctx)
    rows: list[dict[str, Any]] = []
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("wagtail")
        options = s3.storage_options(bucket)
        servers = {}
        for mode in MODES:
            db = ctx.work_dir / f"{mode}.sqlite3"
            shutil.copy(template, db)
            env = storage_env(mode, options, BENCH_DB=str(db))
            servers[mode] = DjangoServer(mode, env, ctx.log_dir)
        try:
            for server in servers.values():
                server.start()
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                pages = {mode: signed_in(browser, server) for mode, server in servers.items()}
                batches = (ctx.work_dir / f"batch-{n}" for n in range(1000))
                for mode, server in servers.items():  # pages, scripts, clients: warm
                    upload(pages[mode], server, batch(images[:1], next(batches)))
                for i in range(ctx.runs):
                    for mode in rotated(list(MODES), i):
                        log(f"{TITLE}: {count} images, {MODES[mode]}, run {i + 1}/{ctx.runs}")
                        files = batch(images, next(batches))
                        measured = upload(pages[mode], servers[mode], files)
                        rows.append({"mode": mode, "run": i, **measured})
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    sizes = [path.stat().st_size for path in images]
    return {
        "params": {"images": count, "mean_mib": sum(sizes) / len(sizes) / MiB, "runs": ctx.runs},
        "runs": rows,
    }


KEYS = ("wall", "cpu", "received", "sent", "file_written", "peak", "growth")


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    by_mode = {mode: m for mode in MODES if (m := medians(result["runs"], KEYS, mode=mode))}
    stock = by_mode.get("wagtail-stock")
    return [
        {
            "mode": mode,
            **m,
            **{f"{k}_ratio": ratio(m[k], stock[k]) if stock else None for k in KEYS},
        }
        for mode, m in by_mode.items()
    ]


def render(result: dict[str, Any]) -> str:
    params = result["params"]
    summary = summarize(result)
    rows = [
        [
            MODES[s["mode"]],
            report.num(s["wall"]),
            report.times(s["wall_ratio"]),
            report.num(s["cpu"]),
            report.times(s["cpu_ratio"]),
            report.mib(s["received"], 1),
            report.mib(s["sent"], 1),
            report.mib(s["file_written"], 1),
            report.mib(s["peak"], 0),
        ]
        for s in summary
    ]
    headers = [
        "upload",
        "wall s",
        "÷ stock",
        "CPU s",
        "÷ stock",
        "received MiB",
        "sent MiB",
        "files written MiB",
        "peak RSS MiB",
    ]
    return f"""## {TITLE}: {params["images"]} JPEGs of {params["mean_mib"]:.1f} MiB

{report.table(headers, rows)}

Medians of {params["runs"]} batches, the two sites taking turns. Headless Chromium, signed in
to Wagtail's admin, drops the {params["images"]} files on *Images → Add an image* (the
multiple-upload page) and waits until every row shows its result. **stock Wagtail**: the page
posts each file to Django, Wagtail saves it with `S3Boto3Storage`. **wagtail_s3file**: the
browser puts each file in S3 first, Django gets its key and copies it into place with
`S3OptimizedUploadStorage`. Both sites: Wagtail's own image handling (dimensions, file hash,
the search index, the SQLite database), one Django process (the server of benchmark 1),
SeaweedFS on loopback. *wall*: from choosing the files to the last row's result; the other
columns as in benchmark 1, for the Django process over the whole batch (the page's own
requests included); *files written* counts Django's temporary files and SQLite's writes;
*peak RSS* is the process's high-water mark during the batch (each server process serves every
batch of its site, so it starts each batch with what earlier ones left).
"""
