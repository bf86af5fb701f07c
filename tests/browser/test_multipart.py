"""Large files in Chromium: parts, integrity, retries through a fault proxy, cancel, resume."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.browser.conftest import events, make_file, result
from tests.conftest import s3_storage_settings
from tests.faultproxy import FaultProxy
from tests.testapp.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MiB = 1024 * 1024


def sha256(path_or_bytes) -> str:
    if isinstance(path_or_bytes, bytes):
        return hashlib.sha256(path_or_bytes).hexdigest()
    digest = hashlib.sha256()
    with open(path_or_bytes, "rb") as f:
        while chunk := f.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


def part_puts(page) -> list:
    requests = []
    page.on(
        "request", lambda r: r.method == "PUT" and "partNumber=" in r.url and requests.append(r)
    )
    return requests


def complete_posts(page) -> list:
    """The bodies the script posts to the multipart ``complete`` endpoint."""
    posts = []
    page.on(
        "request",
        lambda r: r.url.endswith("/multipart/complete/") and posts.append(r.post_data_json),
    )
    return posts


def part_md5s(path, part_size: int) -> list[str]:
    """Each part's MD5, base64, as the script must post them to ``complete``."""
    with open(path, "rb") as f:
        return [
            base64.b64encode(hashlib.md5(chunk).digest()).decode()
            for chunk in iter(lambda: f.read(part_size), b"")
        ]


def submit(page, live_server, path):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "Large")
    page.set_input_files("input[name=file]", path)
    page.click("button[value=save]")


@pytest.fixture
def small_parts(settings):
    settings.S3FILE_MULTIPART_THRESHOLD = 10 * MiB
    settings.S3FILE_MULTIPART_PART_SIZE = 5 * MiB


@pytest.mark.s3
def test_a_300_mb_file_goes_up_in_parts_and_arrives_intact(page, live_server, s3, tmp_path):
    big = make_file(tmp_path / "film.mov", 300 * MiB)
    puts = part_puts(page)
    completes = complete_posts(page)
    workers = []
    page.on("worker", lambda worker: workers.append(worker))
    submit(page, live_server, big)
    data = result(page)

    assert data["files"]["file"][0]["size"] == 300 * MiB
    assert len(puts) == 19  # 16 MiB parts
    # Every part's MD5, for the server to check against S3's ETags; hashing does not hold
    # a part back (no Content-MD5 to wait for).
    assert completes == [{"upload": completes[0]["upload"], "md5": part_md5s(big, 16 * MiB)}]
    assert not any(r.headers.get("content-md5") for r in puts)
    assert any(w.url.endswith("/md5-worker.js") for w in workers)  # hashed off the page
    document = Document.objects.get()
    assert document.file.name == "documents/film.mov"
    assert sha256(s3.read("documents/film.mov")) == sha256(big)
    assert s3.keys() == ["documents/film.mov"]
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []
    loaded = [e["loaded"] for e in events(page, "progress")]
    assert loaded == sorted(loaded) and loaded[-1] == 300 * MiB
    assert events(page, "progress")[-1]["fraction"] == 1
    assert not events(page, "retry")


@pytest.fixture
def proxy(s3, settings):
    """A FaultProxy in front of S3, which the storage (and so every part URL) goes through."""
    proxy = FaultProxy(s3.server.s3_port)
    settings.STORAGES = s3_storage_settings(s3.server, s3.name, endpoint_url=proxy.url)
    yield proxy
    proxy.close()


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_dropped_connections_and_500s_are_retried(page, live_server, s3, proxy, tmp_path):
    proxy.faults = {2: ["500"], 3: ["drop"], 5: ["500", "drop"]}
    big = make_file(tmp_path / "flaky.bin", 38 * MiB, seed=7)
    submit(page, live_server, big)
    data = result(page)

    assert data["files"]["file"][0]["size"] == 38 * MiB
    assert sha256(s3.read("documents/flaky.bin")) == sha256(big)
    retries = [(e["part"], e["attempt"]) for e in events(page, "retry")]
    assert sorted(retries) == [(2, 1), (3, 1), (5, 1), (5, 2)]
    assert {n: proxy.attempts[n] for n in (1, 2, 3, 5)} == {1: 1, 2: 2, 3: 2, 5: 3}
    assert all(e["file"] == "flaky.bin" and e["reason"] for e in events(page, "retry"))


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_cancel_aborts_the_multipart_upload_in_s3(page, live_server, s3, tmp_path):
    page.route("**/*partNumber=*", lambda route: None)  # parts hang until cancelled
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "Cancelled")
    page.set_input_files("input[name=file]", make_file(tmp_path / "big.bin", 30 * MiB))
    page.click("button[value=save]")
    page.wait_for_function("document.querySelector('form').getAttribute('aria-busy')")
    for _ in range(100):
        if s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads"):
            break
        page.wait_for_timeout(50)
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads")
    page.evaluate("""document.querySelector("form")
        .dispatchEvent(new CustomEvent("s3file:cancel"))""")
    page.wait_for_function("!document.querySelector('form').hasAttribute('aria-busy')")
    assert events(page, "cancelled")
    for _ in range(100):  # the abort request may still be on its way
        if not s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads"):
            break
        page.wait_for_timeout(50)
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('s3file'))") == []
    assert not Document.objects.exists()


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_after_a_reload_only_the_missing_parts_are_sent(page, live_server, s3, settings, tmp_path):
    settings.S3FILE_MULTIPART_RETRIES = 1
    # Every part starts at once, so all but part 6 are in S3 when it fails for good (after a
    # failure no new part starts; with fewer than 8 at a time, a late part would be missing).
    settings.S3FILE_MULTIPART_CONCURRENCY = 8
    big = make_file(tmp_path / "resume.bin", 38 * MiB, seed=3)  # 8 parts
    page.route("**/*partNumber=6&*", lambda route: route.abort("connectionreset"))
    submit(page, live_server, big)
    page.wait_for_selector("[data-s3f-errors]")
    assert events(page, "error")[-1]["code"] == "network"
    assert len(events(page, "retry")) == 1

    page.unroute("**/*partNumber=6&*")
    puts = part_puts(page)
    page.reload()
    submit(page, live_server, big)
    data = result(page)
    assert [r.url.split("partNumber=")[1].split("&")[0] for r in puts] == ["6"]
    assert data["files"]["file"][0]["size"] == 38 * MiB
    assert sha256(s3.read("documents/resume.bin")) == sha256(big)
    assert s3.client.list_multipart_uploads(Bucket=s3.name).get("Uploads", []) == []


@pytest.mark.usefixtures("small_parts")
def test_the_dev_endpoint_takes_a_large_file_in_one_post(page, live_server, dev_storage, tmp_path):
    """Above the multipart threshold too: the dev storage takes no parts, the script asks for
    none."""
    big = make_file(tmp_path / "local.bin", 23 * MiB, seed=5)
    puts = part_puts(page)
    posts = []
    page.on("request", lambda r: "/multipart/" in r.url and posts.append(r.url))
    submit(page, live_server, big)
    data = result(page)
    assert data["files"]["file"][0]["size"] == 23 * MiB
    assert puts == [] and posts == []
    assert sha256(dev_storage / Document.objects.get().file.name) == sha256(big)


def test_md5_matches_python(page, live_server, dev_storage):
    page.goto(live_server.url + "/upload/")
    lengths = [0, 1, 55, 56, 57, 63, 64, 65, 127, 128, 1000, 1_000_003]
    digests = page.evaluate(
        """async (lengths) => {
            const { md5 } = await import("/static/s3file/js/md5.js");
            return lengths.map((n) => md5(Uint8Array.from({ length: n }, (_, i) => i * 7 % 256)
                .buffer));
        }""",
        lengths,
    )
    import base64

    expected = [
        base64.b64encode(hashlib.md5(bytes(i * 7 % 256 for i in range(n))).digest()).decode()
        for n in lengths
    ]
    assert digests == expected
    assert json.dumps(digests)


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_without_workers_the_page_hashes_the_parts(page, live_server, s3, tmp_path):
    page.add_init_script("window.Worker = function () { throw new Error('refused by CSP'); };")
    big = make_file(tmp_path / "nocsp.bin", 12 * MiB, seed=9)
    puts = part_puts(page)
    completes = complete_posts(page)
    submit(page, live_server, big)
    assert result(page)["files"]["file"][0]["size"] == 12 * MiB
    assert len(puts) == 3 and completes[-1]["md5"] == part_md5s(big, 5 * MiB)
    assert sha256(s3.read("documents/nocsp.bin")) == sha256(big)


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_a_part_corrupted_on_the_way_is_sent_again(page, live_server, s3, proxy, tmp_path):
    """S3 stores what it got; its ETag differs from the browser's MD5, so complete names the
    part and the script sends it again: the object is the file, byte for byte."""
    proxy.faults = {3: ["corrupt"]}
    big = make_file(tmp_path / "garbled.bin", 23 * MiB, seed=11)
    submit(page, live_server, big)
    data = result(page)

    assert data["files"]["file"][0]["size"] == 23 * MiB
    assert sha256(s3.read("documents/garbled.bin")) == sha256(big)
    assert [(e["part"], e["attempt"]) for e in events(page, "retry")] == [(3, 1)]
    assert proxy.attempts[3] == 2 and all(proxy.attempts[n] == 1 for n in (1, 2, 4, 5))


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_with_content_md5_s3_checks_each_part_on_arrival(
    page, live_server, s3, settings, tmp_path
):
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True  # for SSE-KMS, whose ETags are no MD5s
    big = make_file(tmp_path / "kms.bin", 12 * MiB, seed=13)
    puts = part_puts(page)
    completes = complete_posts(page)
    submit(page, live_server, big)
    assert result(page)["files"]["file"][0]["size"] == 12 * MiB
    sent = {
        int(r.url.split("partNumber=")[1].split("&")[0]): r.headers["content-md5"] for r in puts
    }
    assert [sent[n] for n in sorted(sent)] == part_md5s(big, 5 * MiB)
    assert "md5" not in completes[-1]  # S3 checked each part: nothing hashed twice
    assert sha256(s3.read("documents/kms.bin")) == sha256(big)


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
def test_a_part_corrupted_before_a_reload_is_found_and_sent_again(
    page, live_server, s3, settings, proxy, tmp_path
):
    """After a reload only the missing part is sent; complete then finds the part that S3
    holds corrupted from the first try, and the script signs and sends that one again."""
    settings.S3FILE_MULTIPART_RETRIES = 1
    settings.S3FILE_MULTIPART_CONCURRENCY = 8  # as above: all but part 6 reach S3
    proxy.faults = {2: ["corrupt"]}
    big = make_file(tmp_path / "garbled-resume.bin", 38 * MiB, seed=17)  # 8 parts
    page.route("**/*partNumber=6&*", lambda route: route.abort("connectionreset"))
    submit(page, live_server, big)
    page.wait_for_selector("[data-s3f-errors]")

    page.unroute("**/*partNumber=6&*")
    puts = part_puts(page)
    page.reload()
    submit(page, live_server, big)
    data = result(page)
    assert [int(r.url.split("partNumber=")[1].split("&")[0]) for r in puts] == [6, 2]
    assert data["files"]["file"][0]["size"] == 38 * MiB
    assert sha256(s3.read("documents/garbled-resume.bin")) == sha256(big)
    # The first page's retry of part 6 (events are kept across the reload), then part 2's.
    assert [(e["part"], e["attempt"]) for e in events(page, "retry")] == [(6, 1), (2, 1)]


@pytest.mark.s3
@pytest.mark.usefixtures("small_parts")
@pytest.mark.parametrize("workers", [True, False], ids=["in-workers", "on-the-page"])
def test_a_file_changed_after_it_was_chosen_fails_instead_of_hanging(
    page, live_server, s3, settings, tmp_path, workers
):
    """Chromium refuses to read a file changed on disk since it was chosen; the worker (or
    the page) that hashes its parts says so, and the upload fails as a network error would."""
    if not workers:
        page.add_init_script("window.Worker = function () { throw new Error('refused'); };")
    settings.S3FILE_MULTIPART_CONTENT_MD5 = True  # every part waits for its hash
    big = make_file(tmp_path / "changing.bin", 12 * MiB, seed=19)
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "Changing")
    page.set_input_files("input[name=file]", big)
    big.write_bytes(b"changed" * MiB)
    page.click("button[value=save]")
    page.wait_for_selector("[data-s3f-errors]")
    assert events(page, "error")[-1]["code"] == "network"
    assert not Document.objects.exists()
