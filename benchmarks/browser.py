"""3. Browser upload throughput: Chromium uploads one large file to SeaweedFS through s3file.

Variants: one presigned POST (``S3FILE_MULTIPART_THRESHOLD=0``), and multipart with 1, 4 and 8
parts in flight (``S3FILE_MULTIPART_CONCURRENCY``, 16 MiB parts), each against the practical
ceiling measured in the same run: ``curl -T`` of the same file to a presigned PUT URL. And the
cost of the Content-MD5 the script computes for every part, timed in the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devtools import chromium
from devtools.seaweedfs import SeaweedFS

from . import report
from .common import Context, MiB, log, median, medians, rotated
from .process import DjangoServer, storage_env

NAME = "browser"
TITLE = "3. Browser upload throughput"
CEILING = "curl -T, one presigned PUT (ceiling)"
#: Each browser variant runs on a Django server of its own, configured by these settings.
SERVERS = {
    "one presigned POST": {"S3FILE_MULTIPART_THRESHOLD": 0},
    "multipart, 1 part at a time": {"S3FILE_MULTIPART_CONCURRENCY": 1},
    "multipart, 4 parts at a time": {"S3FILE_MULTIPART_CONCURRENCY": 4},
    "multipart, 8 parts at a time": {"S3FILE_MULTIPART_CONCURRENCY": 8},
}
FOUR = "multipart, 4 parts at a time"
#: Not s3file's behaviour: the 4-part upload from a server whose md5.js is a table of MD5s
#: computed beforehand in Python, to show what hashing in the page costs.
WHAT_IF = "what-if: multipart, 4 at a time, MD5 free"
#: Chromium's own capacity for parallel parts: XHR PUTs of the same Blob slices, no s3file code.
RAW_PARTS = "reference: Chromium XHR, 4 part PUTs at a time, no s3file"
VARIANTS = (CEILING, *SERVERS, WHAT_IF, RAW_PARTS)
UPLOAD_TIMEOUT = 900  # seconds; a 1 GiB upload takes well under a minute here

# The page reports s3file's events through a binding, which outlives the form's navigation;
# with "done" go the timings of every request the upload made (Resource Timing), by kind.
RECORD_EVENTS = """
performance.setResourceTimingBufferSize(100000); // a 1 GiB upload in 5 MiB parts: 400+
const kind = (url) => {
  for (const action of ["create", "sign", "complete", "list", "abort"]) {
    if (url.includes(`/multipart/${action}/`)) return action;
  }
  if (url.includes("partNumber=")) return "part";
  return url.startsWith(location.origin) ? "other" : "s3";
};
// The page's requests so far: what kind, when each started and ended (ms).
window.benchRequests = () => performance.getEntriesByType("resource")
  .filter((e) => ["xmlhttprequest", "fetch"].includes(e.initiatorType))
  .map((e) => ({ kind: kind(e.name), start: e.startTime, end: e.responseEnd }));
for (const type of ["start", "done", "error"]) {
  window.addEventListener(`s3file:${type}`, (event) => {
    const requests = type !== "done" ? [] : window.benchRequests();
    window.benchEvent({
      type, t: performance.now(), reason: event.detail?.reason || "", requests,
    });
  });
}
"""

# What the script does to every part before sending it: read it into memory, hash it (MD5, in
# JavaScript: Web Crypto has none). SHA-256 (native Web Crypto) is shown for comparison.
HASH_PROBE = """
async ([sizes, reps]) => {
  const { md5 } = await import("/static/s3file/js/md5.js");
  const file = document.querySelector("input[type=file]").files[0];
  const out = [];
  md5(await file.slice(0, 1048576).arrayBuffer()); // let the JIT compile it first
  for (const mib of sizes) {
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      const buffer = await file.slice(0, mib * 1048576).arrayBuffer();
      const read = performance.now() - t;
      t = performance.now();
      md5(buffer);
      const md5ms = performance.now() - t;
      t = performance.now();
      await crypto.subtle.digest("SHA-256", buffer);
      out.push({ mib, read, md5: md5ms, sha256: performance.now() - t });
    }
  }
  return out;
}
"""


RAW_PART_PUTS = """
async ([urls, partSize, concurrency]) => {
  const file = document.querySelector("input[type=file]").files[0];
  const start = performance.now();
  let next = 0;
  const put = (url, body) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error("network error"));
    xhr.send(body);
  });
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      await put(urls[i], file.slice(i * partSize, (i + 1) * partSize));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - start) / 1000;
}
"""


# A stand-in for md5.js that looks up each part's MD5 (by its first bytes and its length).
MD5_TABLE_MODULE = """
const TABLE = %s;
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
export function md5(buffer) {
  const head = new Uint8Array(buffer, 0, Math.min(32, buffer.byteLength));
  const digest = TABLE[`${hex(head)}:${buffer.byteLength}`];
  if (!digest) throw new Error("no MD5 computed beforehand for this part");
  return digest;
}
"""


def md5_table_module(path: Path, part_size: int) -> str:
    """``MD5_TABLE_MODULE`` for the parts of ``path``, hashed here with hashlib."""
    table = {}
    with open(path, "rb") as f:
        while part := f.read(part_size):
            digest = base64.b64encode(hashlib.md5(part, usedforsecurity=False).digest()).decode()
            table[f"{part[:32].hex()}:{len(part)}"] = digest
    return MD5_TABLE_MODULE % json.dumps(table)


@dataclass(frozen=True)
class Link:
    """A network link Chromium emulates for a page (DevTools ``emulateNetworkConditions``);
    ``mbit`` 0 is loopback, unthrottled."""

    name: str
    mbit: float = 0
    latency_ms: float = 0

    @property
    def mib_per_s(self) -> float | None:
        return self.mbit * 1e6 / 8 / MiB if self.mbit else None

    def apply(self, page: Any) -> None:
        if not self.mbit:
            return
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        rate = self.mbit * 1e6 / 8  # bytes per second
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": self.latency_ms,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )


LOOPBACK = Link("loopback")


def open_page(
    browser: Any, url: str, path: Path, link: Link = LOOPBACK
) -> tuple[Any, Any, list[dict]]:
    """A new browser context on ``url`` over ``link``, ``path`` chosen in its file input."""
    context = browser.new_context()
    page = context.new_page()
    events: list[dict] = []
    page.expose_function("benchEvent", lambda event: events.append(event))
    page.add_init_script(RECORD_EVENTS)
    page.goto(url)
    page.set_input_files("input[name=file]", str(path))
    link.apply(page)  # after loading the page: the upload is what goes over the link
    return context, page, events


def open_form(
    browser: Any, server: DjangoServer, path: Path, link: Link = LOOPBACK
) -> tuple[Any, Any, list[dict]]:
    """A new browser context on the server's form, ``path`` chosen in its file input."""
    context, page, events = open_page(browser, server.url + "/upload/?save=0", path, link)
    page.fill("input[name=title]", "Benchmark")
    return context, page, events


def browser_upload(
    browser: Any, server: DjangoServer, path: Path, link: Link = LOOPBACK
) -> dict[str, Any]:
    """Seconds from s3file's ``start`` event to its ``done`` event for ``path``, and where
    a multipart upload spent them (see ``phases``)."""
    context, page, events = open_form(browser, server, path, link)
    try:
        answers: list[int] = []
        page.on(
            "response",
            lambda r: (
                r.request.method == "POST"
                and urlsplit(r.url).path == "/upload/"
                and answers.append(r.status)
            ),
        )
        page.click("button[type=submit]")
        deadline = time.monotonic() + UPLOAD_TIMEOUT
        while not answers:
            if errors := [e for e in events if e["type"] == "error"]:
                raise RuntimeError(f"upload failed in the browser: {errors[0]['reason']}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer from the form in {UPLOAD_TIMEOUT}s")
            page.wait_for_timeout(100)
        if answers[0] != 200:
            raise RuntimeError(f"the form's POST answered {answers[0]}")
        start = next(e["t"] for e in events if e["type"] == "start")
        done = next(e for e in events if e["type"] == "done")
        return {
            "seconds": (done["t"] - start) / 1000,
            "first_s3_request": first_s3_request(start, done["requests"]),
            **phases(start, done["requests"]),
        }
    finally:
        context.close()


def first_s3_request(start: float, requests: list[dict]) -> float | None:
    """Seconds from ``start`` (ms) to the first request to S3 (a part's PUT or a POST)."""
    times = [r["start"] for r in requests if r["kind"] in ("part", "s3")]
    return (min(times) - start) / 1000 if times else None


def phases(start: float, requests: list[dict]) -> dict[str, float]:
    """Where a multipart upload's time went, in seconds from the ``start`` event (ms)."""
    parts = [r for r in requests if r["kind"] == "part"]
    if not parts:
        return {}
    by_kind = {k: [r for r in requests if r["kind"] == k] for k in ("create", "sign", "complete")}
    durations = sorted(r["end"] - r["start"] for r in parts)
    return {
        "create": sum(r["end"] - r["start"] for r in by_kind["create"]) / 1000,
        **(
            {"create_at": (min(r["start"] for r in by_kind["create"]) - start) / 1000}
            if by_kind["create"]
            else {}
        ),
        **(
            {"first_sign_done": (min(r["end"] for r in by_kind["sign"]) - start) / 1000}
            if by_kind["sign"]
            else {}
        ),
        "first_part_sent": (min(r["start"] for r in parts) - start) / 1000,
        "last_part_done": (max(r["end"] for r in parts) - start) / 1000,
        "part_put_median": durations[len(durations) // 2] / 1000,
        "complete": sum(r["end"] - r["start"] for r in by_kind["complete"]) / 1000,
        "parts": len(parts),
    }


def raw_part_puts(
    browser: Any,
    server: DjangoServer,
    path: Path,
    client: Any,
    bucket: str,
    part: int,
    link: Link = LOOPBACK,
    concurrency: int = 4,
) -> float:
    """Seconds the page takes to PUT ``path``'s parts to presigned part URLs (signed
    beforehand), ``concurrency`` at a time: bare XHRs, no s3file code."""
    key = f"raw/{uuid.uuid4().hex}"
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    params = {"Bucket": bucket, "Key": key, "UploadId": upload_id}
    count = -(-path.stat().st_size // part)
    urls = [
        client.generate_presigned_url("upload_part", Params={**params, "PartNumber": n})
        for n in range(1, count + 1)
    ]
    context, page, _ = open_form(browser, server, path, link)
    try:
        return page.evaluate(RAW_PART_PUTS, [urls, part, concurrency])
    finally:
        context.close()
        client.abort_multipart_upload(**params)


def curl_upload(client: Any, bucket: str, path: Path) -> float:
    """Seconds ``curl -T`` takes to PUT ``path`` to a presigned URL."""
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": f"ceiling/{uuid.uuid4().hex}"}
    )
    out = subprocess.run(
        # No "Expect: 100-continue" round trip: a browser does not make one either.
        ["curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{time_total}", "-H", "Expect:"]
        + ["-T", str(path), url],
        capture_output=True,
        text=True,
        check=True,
        timeout=UPLOAD_TIMEOUT,
    )
    return float(out.stdout)


def hash_probe(browser: Any, server: DjangoServer, path: Path, reps: int) -> list[dict]:
    context, page, _ = open_form(browser, server, path)
    try:
        sizes = [size for size in (16, 64) if size * MiB <= path.stat().st_size]
        return page.evaluate(HASH_PROBE, [sizes, reps])
    finally:
        context.close()


def run(ctx: Context) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from s3file.multipart import part_size  # what the server will answer to `create`

    size = ctx.browser_size * MiB
    path = ctx.file(size)
    rows: list[dict[str, Any]] = []
    # The what-if server serves, as s3file/js/md5.js, a table of this file's part MD5s.
    static = ctx.work_dir / "md5-free"
    (static / "s3file" / "js").mkdir(parents=True, exist_ok=True)
    (static / "s3file" / "js" / "md5.js").write_text(md5_table_module(path, part_size(size)))
    configs = {**SERVERS, WHAT_IF: {**SERVERS[FOUR], "BENCH_STATIC_DIR": static}}
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("browser")
        client = s3.client()
        options = s3.storage_options(bucket)
        servers = {
            name: DjangoServer(f"browser-{i}", storage_env("direct", options, **env), ctx.log_dir)
            for i, (name, env) in enumerate(configs.items())
        }
        try:
            for server in servers.values():
                server.start()
            default = servers[FOUR]
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                log(f"{TITLE}: hashing parts in the page")
                hashes = hash_probe(browser, default, path, 3)
                for name, server in servers.items():  # script, modules, boto3 clients: cached
                    if name != WHAT_IF:
                        browser_upload(browser, server, ctx.file(MiB))
                    else:  # its md5.js knows only the parts of `path`: the form page only
                        urllib.request.urlopen(server.url + "/upload/", timeout=60).read()
                curl_upload(client, bucket, ctx.file(MiB))
                s3.empty_bucket(bucket)
                for i in range(ctx.browser_runs):
                    for name in rotated(VARIANTS, i):
                        log(f"{TITLE}: {ctx.browser_size} MiB, {name}, run {i + 1}")
                        if name == CEILING:
                            measured = {"seconds": curl_upload(client, bucket, path)}
                        elif name == RAW_PARTS:
                            seconds = raw_part_puts(
                                browser, default, path, client, bucket, part_size(size)
                            )
                            measured = {"seconds": seconds}
                        else:
                            measured = browser_upload(browser, servers[name], path)
                        rows.append({"variant": name, "run": i, **measured})
                        s3.empty_bucket(bucket)
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    return {
        "params": {
            "size_mib": ctx.browser_size,
            "runs": ctx.browser_runs,
            "part_mib": part_size(size) // MiB,
        },
        "runs": rows,
        "hashes": hashes,
    }


PHASES = ("create", "first_part_sent", "part_put_median", "last_part_done", "complete")
PHASE_HEADERS = (
    "upload",
    "parts",
    "`create` call",
    "first part sent at",
    "one part's PUT",
    "last part done at",
    "`complete` call",
    "total",
)


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    size = result["params"]["size_mib"]
    variants = [
        {"variant": name, **m}
        for name in VARIANTS
        if (m := medians(result["runs"], ("seconds", *PHASES, "parts"), variant=name))
    ]
    ceiling = size / next(v["seconds"] for v in variants if v["variant"] == CEILING)
    for v in variants:
        v["mib_per_s"] = size / v["seconds"]
        v["fraction"] = v["mib_per_s"] / ceiling
    hashes = {}
    for mib in sorted({h["mib"] for h in result["hashes"]}):
        probes = [h for h in result["hashes"] if h["mib"] == mib]
        hashes[mib] = {
            kind: mib / (median([h[kind] for h in probes]) / 1000)
            for kind in ("read", "md5", "sha256")
        }
    return {"variants": variants, "hash_mib_per_s": hashes}


def render(result: dict[str, Any]) -> str:
    summary = summarize(result)
    params = result["params"]
    size = report.size_label(params["size_mib"])
    rows = [
        [
            v["variant"],
            report.num(v["seconds"]),
            report.num(v["mib_per_s"], 0),
            f"{v['fraction']:.2f}",
        ]
        for v in summary["variants"]
    ]
    phase_rows = [
        [
            v["variant"],
            f"{v['parts']:.0f}",
            *(report.num(v[k]) for k in PHASES),
            report.num(v["seconds"]),
        ]
        for v in summary["variants"]
        if "parts" in v
    ]
    hash_rows = [
        [f"{mib} MiB", *(report.num(h[kind], 0) for kind in ("read", "md5", "sha256"))]
        for mib, h in summary["hash_mib_per_s"].items()
    ]
    rates = summary["hash_mib_per_s"]
    md5_rate = (rates.get(params["part_mib"]) or min(rates.values(), key=lambda h: h["md5"]))[
        "md5"
    ]
    md5_seconds = params["size_mib"] / md5_rate
    by_name = {v["variant"]: v for v in summary["variants"]}
    shares = [
        f"{md5_seconds / by_name[name]['seconds']:.0%} of “{name}”"
        for name in SERVERS
        if name.startswith("multipart") and name in by_name
    ]
    findings = (
        f"At {md5_rate:.0f} MiB/s (the part-size slice, one core), the script's MD5 of the whole "
        f"{size} takes {md5_seconds:.1f} s, the equivalent of "
        + ", ".join(shares)
        + ". The script hashes each part while it travels, in a pool of Web Workers (one per "
        "core, up to 8): no part waits for its hash, but on loopback, where these 2 cores also "
        "run Chromium's network service and SeaweedFS, the hashing's CPU is time all the same."
    )
    four = by_name.get("multipart, 4 parts at a time")
    if four and (free := by_name.get(WHAT_IF)):
        findings += (
            f" *{WHAT_IF}* is that 4-part upload from a server whose `s3file/js/md5.js` is a "
            "lookup of the parts' MD5s computed beforehand in Python: "
            f"{report.num(free['seconds'])} s "
            f"({free['fraction']:.2f} of the ceiling) against {report.num(four['seconds'])} s "
            f"({four['fraction']:.2f}) with the hashing."
        )
    if four and (raw := by_name.get(RAW_PARTS)):
        findings += (
            f" *{RAW_PARTS}* PUTs the same {params['part_mib']} MiB Blob slices to presigned "
            f"part URLs from the page with bare XHRs: {report.num(raw['seconds'])} s "
            f"({raw['fraction']:.2f} of the ceiling), Chromium's own capacity for parallel "
            "parts here."
        )
    return f"""## {TITLE}: {size} from Chromium to SeaweedFS

{report.table(["upload", "seconds", "MiB/s", "÷ ceiling"], rows)}

Medians of {params["runs"]} runs, the variants interleaved, each run in a different order.
Headless Chromium (Playwright) on a page of a Django server running s3file, SeaweedFS on
loopback (another origin: CORS preflights included). *seconds*: from s3file's `s3file:start`
event to its `s3file:done` event, timed in the page (so multipart includes its `create`,
`sign` and `complete` calls to Django and the MD5 of each part); the form's POST after it is
not included. Parts are {params["part_mib"]} MiB (`S3FILE_MULTIPART_PART_SIZE`). The ceiling
is `curl -T` of the same file to a presigned PUT URL (one stream, no hashing, its
`time_total`); parallel parts may beat it.

Where the multipart uploads spent their time (seconds, medians, from the page's Resource
Timing entries; *at*: since the `s3file:start` event):

{report.table(PHASE_HEADERS, phase_rows)}

Hashing in the page, MiB/s (medians of 3, after a warm-up, on the page's thread): reading a
slice of the file into an `ArrayBuffer` (`Blob.arrayBuffer()`), the script's MD5
(`s3file/js/md5.js`, each part's Content-MD5), and Web Crypto's native SHA-256 for comparison.

{report.table(["slice", "read MiB/s", "MD5 MiB/s", "SHA-256 MiB/s"], hash_rows)}

{findings}
"""
