"""django-s3file 7.x's JavaScript surface, kept for templates written for it: the `s3file`
class on the input and the `progress` event on the form and on the input."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import make_file, result

pytestmark = [pytest.mark.browser, pytest.mark.s3, pytest.mark.django_db(transaction=True)]

# What a 7.x template did: find the inputs by their class, follow `progress` on the form
# (the whole upload) and on each input (its files), and draw a Bootstrap-like bar.
LEGACY_TEMPLATE_SCRIPT = """() => {
  window.legacy = [];
  const form = document.querySelector("form");
  const bar = Object.assign(document.createElement("div"), { className: "progress-bar" });
  form.append(bar);
  const record = (where) => (event) => {
    const d = event.detail;
    window.legacy.push({
      where, bubbles: event.bubbles, progress: d.progress, loaded: d.loaded, total: d.total,
      currentFileName: d.currentFileName, currentFileSize: d.currentFile.size,
      currentFileProgress: d.currentFileProgress, original: d.originalEvent.type,
    });
    if (where === "form") bar.style.width = `${Math.round(d.progress * 100)}%`;
  };
  form.addEventListener("progress", record("form"));
  for (const input of document.querySelectorAll("input.s3file")) {
    input.addEventListener("progress", record(input.name));
  }
}"""


def test_the_7x_progress_event_and_class_keep_a_template_bar_working(
    page, live_server, s3, tmp_path
):
    page.goto(live_server.url + "/upload/")
    assert "s3file" in page.get_attribute("input[name=file]", "class").split()
    page.evaluate(LEGACY_TEMPLATE_SCRIPT)
    page.fill("input[name=title]", "Legacy")
    page.set_input_files("input[name=file]", make_file(tmp_path / "big.bin", 3_000_000))
    page.set_input_files(
        "input[name=others]",
        [make_file(tmp_path / "a.txt", 1000, seed=1), make_file(tmp_path / "b.txt", 2000, seed=2)],
    )
    # Keep the bar's last width: the page is left for the result once the keys are posted.
    page.evaluate("""() => document.querySelector("form").addEventListener("s3file:done", () => {
        const width = document.querySelector(".progress-bar").style.width;
        sessionStorage.setItem("legacy", JSON.stringify({ events: window.legacy, width }));
    })""")
    page.click("button[value=save]")
    assert result(page)["files"]["file"][0]["name"] == "big.bin"
    recorded = json.loads(page.evaluate("sessionStorage.getItem('legacy')"))
    events, width = recorded["events"], recorded["width"]

    total = 3_000_000 + 1000 + 2000
    on_form = [e for e in events if e["where"] == "form"]
    on_file = [e for e in events if e["where"] == "file"]
    on_others = [e for e in events if e["where"] == "others"]
    assert on_form and on_file and on_others
    assert all(e["bubbles"] is False for e in events)  # as 7.x: one event per listener
    assert {e["total"] for e in on_form} == {total}
    assert {e["total"] for e in on_file} == {3_000_000}
    assert {e["total"] for e in on_others} == {3000}
    for e in events:
        assert 0 <= e["progress"] <= 1
        assert 0 <= e["loaded"] <= e["total"]
        assert 0 <= e["currentFileProgress"] <= 1
        assert e["original"] == "progress"
    assert {e["currentFileName"] for e in on_others} == {"a.txt", "b.txt"}
    assert on_form[-1]["progress"] == 1 and on_form[-1]["loaded"] == total
    assert on_file[-1]["progress"] == 1 and on_others[-1]["progress"] == 1
    assert width == "100%"
