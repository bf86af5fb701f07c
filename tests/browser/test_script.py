"""What the script does in Chromium: submit semantics, checks, failures, late inputs, cancel."""

from __future__ import annotations

import pytest

from tests.browser.conftest import events, make_file, result

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("a small note")
    return path


def fill(page, live_server, small, title="T"):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", title)
    page.set_input_files("input[name=file]", small)


def error_text(page, name: str) -> str:
    return page.locator(
        f"input[name={name}] + .s3file-errors[role=alert] > ul.errorlist"
    ).text_content()


def test_formaction_and_the_clicked_button_are_kept(page, live_server, s3, small):
    fill(page, live_server, small)
    page.click("button[value=alt]")
    data = result(page)
    assert data["path"] == "/upload/alt/"
    assert data["post"]["action"] == ["alt"]
    assert data["files"]["file"][0]["name"] == "note.txt"


def test_native_validation_runs_before_any_upload(page, live_server, s3, small):
    fill(page, live_server, small, title="")
    page.click("button[value=save]")
    assert page.evaluate("document.querySelector('input[name=title]').validity.valueMissing")
    page.wait_for_timeout(300)
    assert events(page) == []
    assert s3.keys() == []


def test_formnovalidate_skips_validation_but_still_uploads(page, live_server, s3, small):
    fill(page, live_server, small, title="")
    page.click("button[value=skip]")
    page.wait_for_selector("ul.errorlist")  # Django's own error for the empty title
    assert page.url.endswith("/upload/")
    assert events(page, "done")
    assert len(s3.keys("tmp/s3file/")) == 1


def test_too_large_and_wrong_type_are_refused_before_upload(page, live_server, s3, tmp_path):
    page.goto(live_server.url + "/images/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=image]", make_file(tmp_path / "huge.png", 300_000))
    assert "“huge.png” is too large: files may be at most 195.3\xa0KB." in error_text(
        page, "image"
    )
    page.set_input_files("input[name=image]", make_file(tmp_path / "doc.pdf", 10))
    assert error_text(page, "image") == "“doc.pdf” is not a file type this field accepts."
    page.click("button[value=save]")
    assert not page.evaluate("document.querySelector('input[name=image]').validity.valid")
    assert [e["type"] for e in events(page)] == ["error", "error"]
    assert s3.keys() == []


def test_s3_enforces_the_limits_when_the_browser_check_is_bypassed(
    page, live_server, s3, tmp_path
):
    page.goto(live_server.url + "/images/")
    page.fill("input[name=title]", "Kept")
    page.evaluate("""() => {
        const input = document.querySelector("input[name=image]");
        delete input.dataset.s3fMaxSize;
        input.removeAttribute("accept");
    }""")
    page.set_input_files("input[name=image]", make_file(tmp_path / "huge.png", 300_000))
    page.click("button[value=save]")
    assert "too large" in error_text(page, "image")
    (error,) = events(page, "error")
    assert (error["code"], error["status"]) == ("too-large", 400)

    page.set_input_files("input[name=image]", make_file(tmp_path / "doc.pdf", 10))
    page.click("button[value=save]")
    page.wait_for_function("document.querySelectorAll('[data-s3f-errors]').length === 1")
    assert "refused" in error_text(page, "image")
    assert events(page, "error")[-1]["code"] == "refused"
    assert events(page, "error")[-1]["status"] == 403
    assert page.input_value("input[name=title]") == "Kept"
    assert s3.keys() == []


def test_a_network_failure_is_reported_and_a_retry_succeeds(page, live_server, s3, small):
    fill(page, live_server, small, title="Typed by the user")
    page.route(f"{s3.server.endpoint_url}/**", lambda route: route.abort("connectionreset"))
    page.click("button[value=save]")
    page.wait_for_selector("[data-s3f-errors]")
    assert "could not be uploaded: the storage server did not answer" in error_text(page, "file")
    (error,) = events(page, "error")
    assert (error["code"], error["status"]) == ("network", 0)
    assert page.input_value("input[name=title]") == "Typed by the user"
    assert page.evaluate("document.querySelector('form').getAttribute('aria-busy')") is None

    page.unroute(f"{s3.server.endpoint_url}/**")
    page.click("button[value=save]")
    assert result(page)["files"]["file"][0]["name"] == "note.txt"
    assert result(page)["post"]["title"] == ["Typed by the user"]


def test_a_retry_sends_only_the_files_not_yet_in_s3(page, live_server, s3, small, tmp_path):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=file]", small)
    page.set_input_files("input[name=others]", make_file(tmp_path / "other.bin", 1000))
    posts = []
    page.on(
        "request", lambda r: posts.append(r) if r.url.startswith(s3.server.endpoint_url) else 0
    )

    def fail_others(route):
        fields = route.request.post_data_buffer or b""
        if b"other.bin" in fields:
            route.abort("failed")
        else:
            route.continue_()

    page.route(f"{s3.server.endpoint_url}/**", fail_others)
    page.click("button[value=save]")
    page.wait_for_selector("[data-s3f-errors]")
    page.unroute(f"{s3.server.endpoint_url}/**")
    sent_before = len([r for r in posts if r.method == "POST"])
    page.click("button[value=save]")
    data = result(page)
    assert data["files"]["file"][0]["name"] == "note.txt"
    assert data["files"]["others"][0]["name"] == "other.bin"
    assert len([r for r in posts if r.method == "POST"]) == sent_before + 1


def test_inputs_added_after_load_upload_too(page, live_server, s3, small):
    page.goto(live_server.url + "/images/")  # a page without the document form
    page.evaluate("""async () => {
        const html = await (await fetch("/upload/")).text();
        const form = new DOMParser().parseFromString(html, "text/html").querySelector("form");
        form.setAttribute("action", "/upload/");
        document.body.replaceChildren(document.adoptNode(form));
    }""")
    page.fill("input[name=title]", "Swapped in")
    page.set_input_files("input[name=file]", small)
    page.click("button[value=save]")
    assert result(page)["files"]["file"][0]["name"] == "note.txt"


def test_ajax_submit_handlers_see_only_the_submit_with_keys(page, live_server, s3, small):
    fill(page, live_server, small)
    s3_posts = []
    page.on(
        "request",
        lambda r: (
            r.url.startswith(s3.server.endpoint_url) and r.method == "POST" and s3_posts.append(r)
        ),
    )
    page.evaluate("""() => {
        const form = document.querySelector("form");
        window.responses = [];
        form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const submitter = event.submitter;
            // Reads the form only after an await, as a confirm dialog or a queue would.
            await new Promise((resolve) => setTimeout(resolve, 100));
            const body = new FormData(form, submitter);
            const response = await fetch("/describe/", { method: "POST", body });
            window.responses.push(await response.json());
        });
    }""")
    page.click("button[value=save]")
    page.wait_for_function("window.responses.length === 1")
    page.click("button[value=alt]")
    page.wait_for_function("window.responses.length === 2")
    first, second = page.evaluate("window.responses")
    for data, action in ((first, "save"), (second, "alt")):
        assert data["files"]["file"] == [
            {"name": "note.txt", "size": 12, "content_type": "text/plain"}
        ]
        assert data["post"]["action"] == [action]
    assert len(s3_posts) == 1  # the second submit reused the key
    # The input still holds its file for the user.
    assert page.evaluate("document.querySelector('input[type=file]').files.length") == 1


def test_cancel_stops_the_uploads_and_the_submit(page, live_server, s3, tmp_path):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=file]", make_file(tmp_path / "big.bin", 200 * MB))
    # Hold the upload back so that it is still running when the user cancels.
    page.route(f"{s3.server.endpoint_url}/**", lambda route: None)
    page.click("button[value=save]")
    page.wait_for_function("document.querySelector('form').getAttribute('aria-busy')")
    page.evaluate("""document.querySelector("input[name=title]")
        .dispatchEvent(new CustomEvent("s3file:cancel", {bubbles: true}))""")
    page.wait_for_function("!document.querySelector('form').hasAttribute('aria-busy')")
    assert events(page, "cancelled")
    assert not events(page, "done")
    assert page.url.endswith("/upload/")
    assert page.locator("[data-s3f-errors]").count() == 0


def test_a_second_submit_while_uploading_is_ignored(page, live_server, s3, small):
    fill(page, live_server, small)
    page.evaluate("""() => {
        const form = document.querySelector("form");
        form.requestSubmit(form.querySelector("button[value=save]"));
        form.requestSubmit(form.querySelector("button[value=save]"));
    }""")
    result(page)
    assert len(events(page, "start")) == 1
    assert len(s3.keys()) == 1  # the copy of the one upload, temp object deleted


def test_inputs_sharing_a_folder_keep_same_named_files_apart(page, live_server, s3, tmp_path):
    """Admin "Add another" rows are clones of one rendered input: one folder for several
    (and one field: a grant is valid only for the field it was rendered for)."""
    page.goto(live_server.url + "/upload/")
    page.evaluate("""() => {
        const others = document.querySelector("input[name=others]");
        others.after(Object.assign(others.cloneNode(), { id: "clone" }));
    }""")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "scan.pdf").write_bytes(b"first scan")
    (tmp_path / "b" / "scan.pdf").write_bytes(b"second scan")
    (tmp_path / "doc.txt").write_bytes(b"the document")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=file]", tmp_path / "doc.txt")
    page.set_input_files("input[name=others]:not(#clone)", tmp_path / "a" / "scan.pdf")
    page.set_input_files("#clone", tmp_path / "b" / "scan.pdf")
    page.click("button[value=save]")
    saved = result(page)["saved"]
    contents = sorted(s3.read(name) for name in saved)
    assert contents == [b"first scan", b"second scan", b"the document"]


def test_every_input_that_failed_shows_its_error(page, live_server, s3, small, tmp_path):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=file]", small)
    page.set_input_files("input[name=others]", make_file(tmp_path / "other.bin", 1000))
    page.route(f"{s3.server.endpoint_url}/**", lambda route: route.abort("connectionreset"))
    page.click("button[value=alt]")
    page.wait_for_function("document.querySelectorAll('[data-s3f-errors]').length === 2")
    assert {e["target"] for e in events(page, "error")} == {"file", "others"}
    (start,) = events(page, "start")
    assert start["submitter"] == {}  # a DOM element: present, but not serialisable
    assert (
        page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener("s3file:start", (e) => resolve(e.detail.submitter.value));
        document.querySelector("button[value=alt]").click();
    })""")
        == "alt"
    )


def test_an_accepted_extension_is_stored_with_the_servers_type(page, live_server, s3, tmp_path):
    """Windows browsers call a .csv application/vnd.ms-excel; the policy says text/csv."""
    page.goto(live_server.url + "/images/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=image]", make_file(tmp_path / "tiny.png", 100))
    page.set_input_files(
        "input[name=sheet]",
        {"name": "data.csv", "mimeType": "application/vnd.ms-excel", "buffer": b"a,b\n1,2\n"},
    )
    page.click("button[value=save]")
    assert result(page)["files"]["sheet"] == [
        {"name": "data.csv", "size": 8, "content_type": "text/csv"}
    ]


def test_choosing_another_file_mid_upload_stops_the_old_one(page, live_server, s3, tmp_path):
    page.goto(live_server.url + "/upload/")
    page.fill("input[name=title]", "T")
    page.set_input_files("input[name=file]", make_file(tmp_path / "wrong.bin", 1000))
    page.route(f"{s3.server.endpoint_url}/**", lambda route: None)  # the upload hangs
    page.click("button[value=save]")
    page.wait_for_function("document.querySelector('form').getAttribute('aria-busy')")
    (tmp_path / "right.txt").write_text("the right one")
    page.set_input_files("input[name=file]", tmp_path / "right.txt")
    page.wait_for_function("!document.querySelector('form').hasAttribute('aria-busy')")
    assert events(page, "cancelled")
    page.unroute(f"{s3.server.endpoint_url}/**")
    page.click("button[value=save]")
    assert result(page)["files"]["file"][0]["name"] == "right.txt"


def test_a_button_the_page_disabled_while_waiting_keeps_its_meaning(page, live_server, s3, small):
    """Wagtail disables the clicked "Publish" a tick after the click."""
    fill(page, live_server, small)
    page.evaluate("""() => document.addEventListener("click", (event) => {
        const button = event.target.closest("button");
        if (button) setTimeout(() => { button.disabled = true; });
    })""")
    page.click("button[value=alt]")
    data = result(page)
    assert (data["path"], data["post"]["action"]) == ("/upload/alt/", ["alt"])
