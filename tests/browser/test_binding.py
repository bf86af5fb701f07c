"""Issue 13, finding 2, in Chromium: two browsers (two contexts, so two cookie jars). What
one uploads cannot be submitted by the other; the one that uploaded still can."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fields the script added to the form for its submit: the keys and their grants.
HIDDEN = "[...document.querySelectorAll('[data-s3f-hidden]')].map((i) => [i.name, i.value])"
# Post the victim's fields from the thief's own page, with the thief's own CSRF token.
PLANT = """(pairs) => {
  const form = document.getElementById("form");
  for (const input of form.querySelectorAll("input[type=file]")) input.removeAttribute("name");
  for (const [name, value] of pairs) {
    form.append(Object.assign(document.createElement("input"), {type: "hidden", name, value}));
  }
  form.querySelector("input[name=title]").value = "the thief's title";
  setTimeout(() => form.submit());
}"""


@pytest.fixture(params=["dev", "s3"])
def storage(request, settings):
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    if request.param == "s3":
        bucket = request.getfixturevalue("s3")
        return lambda key: bucket.keys(key) == [key]
    pending = request.getfixturevalue("dev_pending")
    return lambda key: (pending / key).is_file()


@pytest.fixture
def two_browsers(browser):
    """Two pages with cookie jars of their own; closed with the test, so that no request
    of theirs outlives the live server."""
    contexts = [browser.new_context(), browser.new_context()]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_2_an_upload_cannot_be_submitted_from_another_browser(
    two_browsers, live_server, storage, tmp_path
):
    victim, thief = two_browsers
    for page in (victim, thief):
        page.set_default_timeout(30_000)
        page.goto(live_server.url + "/h/")

    # The victim uploads; the form's own submission is held back (a 204 keeps the page).
    chosen = tmp_path / "contract.txt"
    chosen.write_bytes(b"the victim's contract")
    held = []
    victim.route(
        "**/h/",
        lambda route: (
            (held.append(1), route.fulfill(status=204))
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    victim.fill("input[name=title]", "mine")
    victim.set_input_files("input[name=doc]", chosen)
    victim.click("button[value=save]")
    victim.wait_for_function("document.querySelector('[data-s3f-hidden]')")
    pairs = victim.evaluate(HIDDEN)
    key = dict(pairs)["doc"]
    assert storage(key)

    # The thief, with the key and its grant, submits them from its own browser.
    with thief.expect_navigation() as navigation:
        thief.evaluate(PLANT, pairs)
    response = navigation.value
    assert response.status == 400
    answer = json.loads(thief.locator("body").text_content())
    assert "doc" in answer["errors"]  # a clear error on the field
    assert answer["kept"]["title"] == ["the thief's title"]  # the rest of the form kept
    assert storage(key)  # still where the victim put it

    # The victim's own submission goes through, without uploading again.
    victim.unroute("**/h/")
    with victim.expect_navigation():
        victim.click("button[value=save]")
    saved = json.loads(victim.locator("body").text_content())
    assert saved == {"saved": {"doc": "saved/doc/contract.txt"}}
