"""Issue 20, item 2 in Wagtail's admin: forms that Wagtail posts to another view than the one
that rendered their file input take its keys there, declared automatically
(``wagtail_s3file.widgets.admin_targets``): a snippet chooser's "create" tab, and the page
editor's preview panel. Through HTTP as the script speaks it, on the dev storage."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.hardening import dev_post, file_inputs
from tests.wagtailapp.models import BrochurePage, Leaflet

pytestmark = pytest.mark.django_db

CHOOSER = "/cms/snippets/choose/wagtailapp/leaflet/"


@pytest.fixture
def editor_client(client, editor, dev_storage, settings):
    settings.S3FILE_DEV_ENDPOINT = True
    client.force_login(editor)
    return client


def refusals(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "s3file" and r.levelno >= logging.WARNING and "Refused" in r.getMessage()
    ]


class FormFields(HTMLParser):
    """What a browser posts of a page's form: its named inputs (not files, and checkboxes
    only when checked), textareas and selected options."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("file", "submit", "button"):
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self.data.setdefault(name, []).append(found.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.data.setdefault(self._select, []).append(found.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def test_a_snippet_choosers_create_tab_saves_the_uploaded_file(editor_client, caplog):
    answer = editor_client.get(CHOOSER)
    assert answer.status_code == 200
    attrs = file_inputs(answer.json()["html"])["file"]
    response, key = dev_post(editor_client, attrs, "leaflet.pdf", b"%PDF-1.7 leaflet")
    assert response.status_code == 201

    created = editor_client.post(
        f"{CHOOSER}create/",
        {
            "title": "Leaflet",
            "s3file": "file",
            "file": key,
            "file-s3f-signature": attrs["data-s3f-signature"],
        },
    )

    assert created.status_code == 200
    assert created.json()["step"] == "chosen"
    leaflet = Leaflet.objects.get()
    assert leaflet.file.name == "leaflets/leaflet.pdf"
    assert leaflet.file.read() == b"%PDF-1.7 leaflet"
    assert refusals(caplog) == []


def test_the_snippet_chooser_refuses_a_key_of_another_views_input(
    editor_client, wagtail_site, caplog
):
    """Only the chooser's own "create" view is declared: a key of the page editor's input is
    still refused there."""
    page = editor_client.get(f"/cms/pages/add/wagtailapp/brochurepage/{wagtail_site.pk}/")
    assert page.status_code == 200
    attrs = file_inputs(page.content.decode())["attachment"]
    _, key = dev_post(editor_client, attrs, "leaflet.pdf", b"%PDF-1.7 elsewhere")
    data = {"title": "Leaflet", "s3file": "attachment", "attachment": key}
    data["attachment-s3f-signature"] = attrs["data-s3f-signature"]

    created = editor_client.post(f"{CHOOSER}create/", data)

    assert created.status_code == 400
    assert Leaflet.objects.count() == 0
    assert any("posted to" in message for message in refusals(caplog))


def test_the_page_editors_preview_takes_the_keys_of_its_form(editor_client, wagtail_site, caplog):
    """Wagtail's preview panel posts the edit form, with the keys of a kept upload, to the
    preview view: the keys are taken there (Wagtail's preview reads no file) and the
    preview answers as without them."""
    brochure = wagtail_site.add_child(instance=BrochurePage(title="Brochure", slug="brochure"))
    edit = f"/cms/pages/{brochure.pk}/edit/"
    html = editor_client.get(edit).content.decode()
    attrs = file_inputs(html)["attachment"]
    _, key = dev_post(editor_client, attrs, "brochure.pdf", b"%PDF-1.7 brochure")
    data: dict[str, Any] = FormFields(html).data
    data.update({"s3file": ["attachment"], "attachment": [key]})
    data["attachment-s3f-signature"] = [attrs["data-s3f-signature"]]

    preview = editor_client.post(f"{edit}preview/", data)

    assert preview.status_code == 200
    assert preview.json() == {"is_valid": True, "is_available": True}
    assert refusals(caplog) == []
    # And the editor's own save takes the same key.
    data["action-publish"] = ["action-publish"]
    saved = editor_client.post(edit, data)
    assert saved.status_code == 302
    assert BrochurePage.objects.get().attachment.name == "brochures/brochure.pdf"
