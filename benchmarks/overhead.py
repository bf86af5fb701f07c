"""4. S3FileMiddleware's overhead on ordinary requests: no files, in this process.

Two test clients on the same site, one whose handler has the middleware and one whose has not,
take turns: batches of requests, interleaved, medians of the batches.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from . import report
from .common import Context, log, median, rotated

NAME = "overhead"
TITLE = "4. Middleware overhead on requests without files"
MIDDLEWARE = "s3file.middleware.S3FileMiddleware"
STACKS = ("without S3FileMiddleware", "with S3FileMiddleware")
DATA = {"title": "Hello", "body": "A message of a few words, as a contact form sends it."}
KINDS: dict[str, Callable[[Any], Any]] = {
    "GET a page with a form": lambda client: client.get("/plain/"),
    "POST a form (urlencoded)": lambda client: client.post(
        "/plain/", urlencode(DATA), content_type="application/x-www-form-urlencoded"
    ),
    "POST a form (multipart, no file)": lambda client: client.post("/plain/", DATA),
}


def clients() -> dict[str, Any]:
    """A test client per middleware stack; each handler builds its chain on its first request."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    with_it = [*settings.MIDDLEWARE, *([] if MIDDLEWARE in settings.MIDDLEWARE else [MIDDLEWARE])]
    stacks = {STACKS[0]: [m for m in with_it if m != MIDDLEWARE], STACKS[1]: with_it}
    result = {}
    for name, middleware in stacks.items():
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            client.get("/ping/")
        result[name] = client
    # The middleware answers its endpoint path itself (the multipart API: 405 for a GET).
    assert result[STACKS[1]].get("/__s3file__/multipart/create/").status_code == 405
    assert result[STACKS[0]].get("/__s3file__/multipart/create/").status_code == 404
    return result


def run(ctx: Context) -> dict[str, Any]:
    by_stack = clients()
    for client in by_stack.values():
        for request in KINDS.values():
            for _ in range(ctx.batch):
                request(client)
    rows = []
    for i in range(ctx.rounds):
        if i % 5 == 0:
            log(f"{TITLE}: round {i + 1}/{ctx.rounds}")
        for kind, request in KINDS.items():
            for stack in rotated(STACKS, i):
                client = by_stack[stack]
                status = request(client).status_code
                if status != 200:
                    raise RuntimeError(f"{kind} {stack}: {status}")
                wall, cpu = timed(
                    lambda client=client, request=request: request(client), ctx.batch
                )
                rows.append(
                    {"kind": kind, "stack": stack, "round": i, "wall_us": wall, "cpu_us": cpu}
                )
    return {
        "params": {"rounds": ctx.rounds, "batch": ctx.batch},
        "runs": rows,
        "added": added_by_middleware(ctx),
    }


def timed(call: Callable[[], Any], times: int) -> tuple[float, float]:
    """Microseconds of wall and CPU time per call, over ``times`` calls."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(times):
        call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall / times * 1e6, cpu / times * 1e6


def added_by_middleware(ctx: Context) -> dict[str, float]:
    """The middleware's own cost: a request through it to a view that reads ``request.POST``
    (so its parsing hook runs), against the same view called directly; µs per request."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from s3file.middleware import S3FileMiddleware

    factory = RequestFactory()
    makers = {
        "GET a page with a form": lambda: factory.get("/plain/"),
        "POST a form (urlencoded)": lambda: factory.post(
            "/plain/", urlencode(DATA), content_type="application/x-www-form-urlencoded"
        ),
        "POST a form (multipart, no file)": lambda: factory.post("/plain/", DATA),
    }

    def view(request: Any) -> Any:
        request.POST  # noqa: B018  (parses the body, as a form view does)
        return HttpResponse()

    calls = {STACKS[0]: view, STACKS[1]: S3FileMiddleware(view)}
    added = {}
    for kind, make in makers.items():
        cpu: dict[str, list[float]] = {stack: [] for stack in STACKS}
        for i in range(ctx.rounds):
            for stack in rotated(STACKS, i):
                call = calls[stack]
                cpu[stack].append(
                    timed(lambda call=call, make=make: call(make()), 10 * ctx.batch)[1]
                )
        added[kind] = median(cpu[STACKS[1]]) - median(cpu[STACKS[0]])
    return added


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Per request kind: medians per stack, and the median of each round's with/without ratio
    (pairs run back to back, so slow spells of a noisy machine hit both sides alike)."""
    summary = []
    for kind in KINDS:
        runs = {
            stack: {
                r["round"]: r for r in result["runs"] if r["kind"] == kind and r["stack"] == stack
            }
            for stack in STACKS
        }
        without, with_it = runs[STACKS[0]], runs[STACKS[1]]
        paired = {
            key: median([with_it[i][key] / without[i][key] for i in without if i in with_it])
            for key in ("cpu_us", "wall_us")
        }
        summary.append(
            {
                "kind": kind,
                "without_cpu_us": median([r["cpu_us"] for r in without.values()]),
                "with_cpu_us": median([r["cpu_us"] for r in with_it.values()]),
                "cpu_ratio": paired["cpu_us"],
                "wall_ratio": paired["wall_us"],
                "added_us": result.get("added", {}).get(kind),
            }
        )
    return summary


def render(result: dict[str, Any]) -> str:
    params = result["params"]
    rows = [
        [
            s["kind"],
            report.num(s["without_cpu_us"], 0),
            report.num(s["with_cpu_us"], 0),
            f"**{s['cpu_ratio']:.2f}** ({s['cpu_ratio']:.3f})",
            f"{s['wall_ratio']:.2f} ({s['wall_ratio']:.3f})",
            report.num(s["added_us"], 1),
        ]
        for s in summarize(result)
    ]
    headers = [
        "request",
        "without µs",
        "with µs",
        "with ÷ without, CPU",
        "wall",
        "µs the middleware adds",
    ]
    total = params["rounds"] * params["batch"]
    return f"""## {TITLE}

{report.table(headers, rows)}

Django's test client in the benchmark's own process (no network), against a form view that
renders on GET and validates `request.POST` on POST, behind `SecurityMiddleware`,
`CommonMiddleware` and `CsrfViewMiddleware`. Two clients, one whose handler has
`S3FileMiddleware` and one whose has not, took turns in batches of {params["batch"]} requests,
{params["rounds"]} rounds ({total} requests per row and client), each round in a different
order. *µs*: median per-request CPU time of the batches (`time.process_time`). *with ÷
without*: the median over rounds of that round's ratio, CPU time (the headline) and wall-clock
time. *µs the middleware adds*: the middleware alone, around a view that reads `request.POST`
(so its parsing hook runs), against that view called directly, on `RequestFactory` requests
(CPU time, medians of {params["rounds"]} interleaved batches of {10 * params["batch"]}).
"""
