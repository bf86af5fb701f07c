"""``python -m benchmarks`` (``make bench``): run the benchmarks, print and write the results.

Writes ``benchmarks/results.md`` and ``benchmarks/results.json``. A run of some benchmarks only
(``--only``) replaces their sections and keeps the others' latest results.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import report
from .common import Context, log

BENCHMARKS = {
    "appserver": "1. app-server cost per upload, classic against direct (1, 64, 512 MiB)",
    "move": "2. post-upload move of 64 and 512 MiB objects: ours, S3Boto3Storage, copy_object",
    "browser": "3. Chromium upload throughput of 1 GiB: POST, multipart x1/x4/x8, curl ceiling",
    "overhead": "4. S3FileMiddleware overhead on requests without files (in-process)",
    "wagtail": "5. Wagtail bulk upload of 20 images of ~5 MB: stock against wagtail_s3file",
    "uppy": "6. Chromium upload side by side with Uppy 6 and bare XHRs: 100 MiB and 1 GiB, "
    "loopback and emulated 500 Mbit/s + 20 ms and 50 Mbit/s + 40 ms links",
    "load": "7. final POST under load (100 submissions, 20 at a time): pool against a thread "
    "per request (runserver)",
    "claim": "8. the final POST of 1 MiB, 256 MiB and 1 GiB uploads: claimed where they lie "
    "(Wagtail document, FileField(upload_to='docs/')) against copied (callable upload_to)",
    "api": "9. a 1 GiB upload through the JS client (client.js, the grant endpoint) next to "
    "the form script, side by side",
}
#: The module of each benchmark (``wagtail`` would read as Wagtail's own package).
MODULES = {name: f"benchmarks.{name}" for name in BENCHMARKS} | {
    "wagtail": "benchmarks.wagtail_upload"
}
HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of django-s3file against real SeaweedFS, Django and Chromium. "
        "A full run takes about an hour on 2 busy cores (the Uppy comparison's 1 GiB uploads "
        "over an emulated 50 Mbit/s link alone take half of it), --quick about 5 minutes.",
        epilog="Benchmarks: " + "; ".join(f"{name}: {text}" for name, text in BENCHMARKS.items()),
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help="run this benchmark only (repeatable): " + ", ".join(BENCHMARKS),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, one run each (1 and 64 MiB, a 64 MiB move, a 96 MiB browser "
        "upload, 5 Wagtail images, the Uppy comparison with 100 MiB on loopback and 500 Mbit/s, "
        "40 submissions in the load test): a smoke run, not figures to publish",
    )
    parser.add_argument(
        "--runs", type=int, help="runs per measurement (default 3, the move 5; quick 1)"
    )
    parser.add_argument(
        "--browser-runs",
        type=int,
        help="runs of the browser benchmark (default 2: a 1 GiB run of its 7 variants takes "
        "3 to 4 minutes here; quick 1)",
    )
    parser.add_argument(
        "--sizes", help="app-server file sizes in MiB, comma-separated (default 1,64,512)"
    )
    parser.add_argument(
        "--move-sizes", help="move benchmark objects in MiB, comma-separated (default 64,512)"
    )
    parser.add_argument("--browser-size", type=int, help="browser upload in MiB (1024)")
    parser.add_argument(
        "--api-size", type=int, help="JS client against form script: file in MiB (1024)"
    )
    parser.add_argument(
        "--uppy-sizes", help="Uppy comparison: file sizes in MiB, comma-separated (100,1024)"
    )
    parser.add_argument(
        "--uppy-links",
        help="Uppy comparison: links, comma-separated, of loopback, 500mbit (20 ms), 50mbit "
        "(40 ms) (default all three; 1 GiB at 50 Mbit/s takes about 3 minutes an upload)",
    )
    parser.add_argument(
        "--uppy-clients",
        help="Uppy comparison: clients, comma-separated, of s3file, uppy (its defaults), "
        "uppy-ours (our part size), xhr (bare part PUTs) (default all four)",
    )
    parser.add_argument("--uppy-runs", type=int, help="Uppy comparison: runs per cell (2)")
    parser.add_argument(
        "--uppy-what-if",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="Uppy comparison: also s3file with the static files of DIR first (e.g. a changed "
        "DIR/s3file/js/multipart.js), reported as “s3file what-if: NAME” (repeatable)",
    )
    parser.add_argument(
        "--load-count", type=int, help="load test: submissions per run (100; quick 40)"
    )
    parser.add_argument("--load-runs", type=int, help="load test: runs per server (2; quick 1)")
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="where results.md and results.json go (default: benchmarks/)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the results, write no file")
    parser.add_argument(
        "--render",
        action="store_true",
        help="run nothing: rewrite results.md from results.json (after changing a text)",
    )
    return parser.parse_args(argv)


def context(args: argparse.Namespace, work_dir: Path) -> Context:
    ctx = Context(work_dir=work_dir)
    if args.quick:
        ctx.quick = True
        ctx.runs = ctx.browser_runs = ctx.move_runs = 1
        ctx.sizes = [1, 64]
        ctx.move_sizes = [64]
        ctx.browser_size = 96  # above the 64 MiB multipart threshold: 6 parts
        ctx.rounds, ctx.batch = 6, 50
        ctx.peer_sizes, ctx.peer_links, ctx.peer_runs = [100], ["loopback", "500mbit"], 1
        ctx.load_count, ctx.load_runs = 40, 1
        ctx.claim_sizes, ctx.claim_runs = [1, 64], 1
        ctx.api_size = 96  # above the 64 MiB multipart threshold: 6 parts
        ctx.api_runs = 1
    if args.runs:
        ctx.runs = ctx.move_runs = ctx.api_runs = args.runs
    if args.browser_runs:
        ctx.browser_runs = args.browser_runs
    if args.sizes:
        ctx.sizes = [int(size) for size in args.sizes.split(",")]
    if args.move_sizes:
        ctx.move_sizes = [int(size) for size in args.move_sizes.split(",")]
    if args.browser_size:
        ctx.browser_size = args.browser_size
    if args.api_size:
        ctx.api_size = args.api_size
    if args.uppy_sizes:
        ctx.peer_sizes = [int(size) for size in args.uppy_sizes.split(",")]
    if args.uppy_links:
        ctx.peer_links = args.uppy_links.split(",")
    if args.uppy_clients:
        ctx.peer_variants = args.uppy_clients.split(",")
    if args.uppy_runs:
        ctx.peer_runs = args.uppy_runs
    ctx.peer_what_ifs = dict(item.split("=", 1) for item in args.uppy_what_if)
    if args.load_count:
        ctx.load_count = args.load_count
    if args.load_runs:
        ctx.load_runs = args.load_runs
    return ctx


def render(results: dict[str, Any]) -> str:
    machine = results["machine"]
    parts = [
        "# django-s3file benchmarks",
        "",
        f"Written by `{results['command']}` on {results['finished']}.",
        "",
        f"Machine: {machine['cpus']} × {machine['cpu']}, {machine['memory_gib']} GiB RAM, "
        f"load average {', '.join(map(str, machine['load_average']))} at the start "
        "(a shared machine: other jobs ran alongside), Linux "
        f"{machine['kernel']}, Python {machine['python']}, "
        + ", ".join(f"{k} {v}" for k, v in machine["versions"].items())
        + ".",
        "",
        "Every figure is a median of runs made side by side in this run; compare the ratios, "
        "not the seconds, across machines or runs. No benchmark is a test.",
    ]
    for name in BENCHMARKS:
        if name in results["benchmarks"]:
            section = results["benchmarks"][name]
            module = importlib.import_module(MODULES[name])
            note = " (quick run)" if section.get("quick") else ""
            parts += ["", module.render(section).rstrip(), ""]
            parts.append(f"*Ran {section['finished']}{note}, in {section['seconds']:.0f} s.*")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render:
        results = report.load(args.out)
        report.write(args.out, results, render(results))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    names = args.only or list(BENCHMARKS)
    args.out.mkdir(parents=True, exist_ok=True)  # before the measurements, not after
    results = report.load(args.out)
    results.setdefault("benchmarks", {})
    results["machine"] = report.machine()
    results["command"] = "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="s3file-bench-") as work:
        ctx = context(args, Path(work))
        for name in names:
            log(f"{name}: {BENCHMARKS[name]}")
            module = importlib.import_module(MODULES[name])
            start = time.monotonic()
            section = module.run(ctx)
            section["seconds"] = time.monotonic() - start
            section["quick"] = ctx.quick
            section["finished"] = now()
            results["benchmarks"][name] = section
    results["finished"] = now()
    markdown = render(results)
    print(markdown)
    if not args.no_write:
        report.write(args.out, results, markdown)
        log(f"wrote {args.out / 'results.md'} and {args.out / 'results.json'}")


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


if __name__ == "__main__":
    main()
