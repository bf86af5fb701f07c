"""2. Post-upload move of one object: what saving a direct upload costs, in this process.

``S3OptimizedUploadStorage.save`` (server-side copy, then delete) against django-storages'
``S3Boto3Storage.save`` (reads the object through Python and uploads it again) and against one
plain ``copy_object`` call. The diagnosis rows show where ours spends its time: boto3's managed
copy with its default 8 MiB parts, other part sizes, and ours with a 5 GiB threshold (one
``CopyObject`` up to S3's single-copy limit).
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from boto3.s3.transfer import TransferConfig

from devtools.s3calls import recording_s3_calls
from devtools.seaweedfs import SeaweedFS

from . import report
from .common import Context, GiB, MiB, log, medians, ratio, rotated
from .process import usage
from .sockets import SocketCounter

NAME = "move"
TITLE = "2. Post-upload move"
OURS = "S3OptimizedUploadStorage.save"
PLAIN = "S3Boto3Storage.save"
COPY = "one copy_object"
MAIN = (OURS, PLAIN, COPY)
DIAGNOSIS = (
    "managed copy, 8 MiB parts (boto3 default)",
    "managed copy, 256 MiB parts",
    "S3OptimizedUploadStorage.save, multipart_threshold 5 GiB",
)


def variants(options: dict[str, Any]) -> dict[str, Callable[[str, str], Any]]:
    """Each way to move the object at key ``source`` to the storage name ``target``."""
    from storages.backends.s3 import S3Storage

    from s3file.files import S3UploadedFile
    from s3file.storages_optimized import S3OptimizedUploadStorage

    ours = S3OptimizedUploadStorage(**options)
    plain = S3Storage(**options)
    single = S3OptimizedUploadStorage(
        **options, transfer_config=TransferConfig(multipart_threshold=5 * GiB)
    )
    client = ours.connection.meta.client
    bucket = options["bucket_name"]

    def managed(part_size: int) -> Callable[[str, str], Any]:
        config = TransferConfig(multipart_chunksize=part_size)
        return lambda source, target: client.copy(
            {"Bucket": bucket, "Key": source}, bucket, target, Config=config
        )

    return {
        OURS: lambda source, target: ours.save(target, S3UploadedFile(ours, source)),
        PLAIN: lambda source, target: plain.save(target, S3UploadedFile(plain, source)),
        COPY: lambda source, target: client.copy_object(
            CopySource={"Bucket": bucket, "Key": source}, Bucket=bucket, Key=target
        ),
        DIAGNOSIS[0]: managed(8 * MiB),
        DIAGNOSIS[1]: managed(256 * MiB),
        DIAGNOSIS[2]: lambda source, target: single.save(target, S3UploadedFile(single, source)),
    }


def run(ctx: Context) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with SeaweedFS() as s3:
        bucket = s3.new_bucket("move")
        client = s3.client()
        for mib in ctx.move_sizes:
            # As the browser uploads a file this size: one POST up to 64 MiB, 16 MiB parts above.
            client.upload_file(
                str(ctx.file(mib * MiB)),
                bucket,
                f"master-{mib}.bin",
                Config=TransferConfig(
                    multipart_threshold=64 * MiB + 1, multipart_chunksize=16 * MiB
                ),
            )
        client.put_object(Bucket=bucket, Key="warm-up.bin", Body=b"x" * MiB)
        moves = variants(s3.storage_options(bucket))
        counter = SocketCounter().install()
        try:
            for name in moves:  # boto3 clients and thread pools: before measuring
                measure(client, bucket, "warm-up.bin", name, moves[name], counter)
            for mib in ctx.move_sizes:
                for i in range(ctx.move_runs):
                    for name in rotated(list(moves), i):
                        log(f"{TITLE}: {mib} MiB, {name}, run {i + 1}/{ctx.move_runs}")
                        master = f"master-{mib}.bin"
                        row = measure(client, bucket, master, name, moves[name], counter)
                        if row["size"] != mib * MiB:
                            raise RuntimeError(f"{name} moved {row['size']} bytes, not {mib} MiB")
                        rows.append({"size_mib": mib, "run": i, **row})
        finally:
            counter.uninstall()
    return {"params": {"sizes_mib": ctx.move_sizes, "runs": ctx.move_runs}, "runs": rows}


def measure(
    client: Any,
    bucket: str,
    master: str,
    name: str,
    move: Callable[[str, str], Any],
    counter: SocketCounter,
) -> dict[str, Any]:
    """Move a fresh copy of ``master`` with ``move``; what it cost this process."""
    # A fresh upload each time (ours deletes it), made the same way for every variant.
    source = f"tmp/s3file/{uuid.uuid4().hex}/0/upload.bin"
    client.copy_object(CopySource={"Bucket": bucket, "Key": master}, Bucket=bucket, Key=source)
    target = f"moved/{uuid.uuid4().hex}.bin"
    io_before = counter.snapshot()
    before = usage(os.getpid())
    with recording_s3_calls() as calls:
        start = time.perf_counter()
        move(source, target)
        wall = time.perf_counter() - start
    after = usage(os.getpid())
    io_after = counter.snapshot()
    size = client.head_object(Bucket=bucket, Key=target)["ContentLength"]
    client.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": source}, {"Key": target}], "Quiet": True}
    )
    return {
        "variant": name,
        "size": size,
        "wall": wall,
        "cpu": after.cpu - before.cpu,
        "received": io_after["received"] - io_before["received"],
        "sent": io_after["sent"] - io_before["sent"],
        "requests": dict(Counter(call.operation for call in calls)),
    }


def summarize(result: dict[str, Any], size: int) -> dict[str, dict[str, Any]]:
    """Medians per variant for objects of ``size`` MiB, with ratios to copy_object and ours."""
    runs = [r for r in result["runs"] if r["size_mib"] == size]
    by_name = {
        name: {
            "variant": name,
            **medians(runs, ("wall", "cpu", "received", "sent"), variant=name),
            "requests": [r for r in runs if r["variant"] == name][-1]["requests"],
        }
        for name in dict.fromkeys(r["variant"] for r in runs)
    }
    copy = by_name.get(COPY, {}).get("wall")
    ours = by_name.get(OURS, {}).get("wall")
    for m in by_name.values():
        m["copy_ratio"] = ratio(m["wall"], copy) if copy else None
        m["ours_ratio"] = ratio(m["wall"], ours) if ours else None
    return by_name


def requests_label(requests: dict[str, int]) -> str:
    return ", ".join(f"{op} ×{n}" if n > 1 else op for op, n in requests.items())


def render(result: dict[str, Any]) -> str:
    sections = [render_size(result, size) for size in result["params"]["sizes_mib"]]
    return f"""## {TITLE}

{"".join(sections)}Medians of {result["params"]["runs"]} runs, the variants interleaved, each
run in a different order; in the benchmark's own process (not a server), against SeaweedFS on
loopback. Each move starts from a fresh object in the upload folder, made with a `copy_object`
of one object uploaded as the browser uploads a file that size (one POST up to 64 MiB, 16 MiB
parts above). *wall*: the `save()` (or the boto3 call) from start to return; *CPU*: this
process's user + system time; *received* / *sent*: bytes through this process's sockets
(`benchmarks/sockets.py`), i.e. bytes of the file that went through Python, plus the requests'
own; *S3 requests*: every S3 operation boto3 made. `S3OptimizedUploadStorage.save` and
`S3Boto3Storage.save` include what `Storage.save` always does (a `HeadObject` to find a free
name, as `file_overwrite` is off) and the `HeadObject` that gives the upload's size; ours also
deletes the uploaded object. boto3's managed copy (`client.copy`) copies in parts from the
transfer config's `multipart_threshold` (8 MiB by default) up.
"""


def render_size(result: dict[str, Any], mib: int) -> str:
    summary = summarize(result, mib)
    size = report.size_label(mib)

    def rows(names: tuple[str, ...]) -> list[list[Any]]:
        return [
            [
                name,
                report.num(s["wall"]),
                report.times(s["copy_ratio"]),
                report.num(s["cpu"]),
                report.mib(s["received"], 3),
                report.mib(s["sent"], 3),
                requests_label(s["requests"]),
            ]
            for name in names
            if (s := summary.get(name))
        ]

    headers = ["move", "wall s", "÷ copy_object", "CPU s"]
    headers += ["received MiB", "sent MiB", "S3 requests"]
    ours, plain = summary.get(OURS), summary.get(PLAIN)
    versus = ""
    if ours and plain:
        to_plain = report.times(ratio(ours["wall"], plain["wall"]))
        to_copy = report.times(ours["copy_ratio"])
        versus = (
            f"`S3OptimizedUploadStorage.save` takes **{to_plain}** the time of "
            f"`S3Boto3Storage.save` and **{to_copy}** the time of one `copy_object`; "
            f"{report.mib(ours['received'], 3)} MiB went through Python against "
            f"{report.mib(plain['received'], 1)} MiB.\n\n"
        )
    return f"""### A {size} object

{versus}{report.table(headers, rows(MAIN))}

Diagnosis: where the difference to one `copy_object` goes.

{report.table(headers, rows(DIAGNOSIS))}

"""
