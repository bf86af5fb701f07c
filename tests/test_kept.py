"""A form rendered again keeps the direct uploads it received (dev storage, test client)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.storage import storages

from s3file.backends import local_backend
from s3file.rules import unsign_grant
from tests import conftest
from tests.conftest import bound_client, sign_folder
from tests.testapp.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dev_storage")]

FOLDER = "tmp/s3file/4567"


class Page(HTMLParser):
    """The file inputs, the kept blocks and the hidden inputs they post, of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.file_inputs: dict[str, dict] = {}
        self.blocks: list[dict] = []
        self.posted: list[tuple[str, str, str]] = []  # (role, name, value)
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "file":
            self.file_inputs[found["id"].removeprefix("id_")] = found
        elif "data-s3f-kept-for" in found:
            self.blocks.append(found)
        if tag == "input" and "data-s3f-kept-post" in found:
            self.posted.append((found["data-s3f-kept-post"], found["name"], found["value"]))

    def post_data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for _, name, value in self.posted:
            data.setdefault(name, []).append(value)
        return data


def store(name: str, body: bytes, folder: str = FOLDER) -> str:
    """Put a file where the dev endpoint keeps an upload; its key."""
    key = f"{folder}/ab12/{name}"
    path = local_backend().path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return key


def posted(field: str, keys: list[str], folder: str = FOLDER) -> dict:
    """What the script posts for ``keys`` uploaded under a grant for ``field``."""
    signature = sign_folder(folder, field=field)
    return {"s3file": field, field: keys, f"{field}-s3f-signature": signature}


def first_submit(client, url: str = "/kept/model/", **fields) -> Page:
    """Upload report.pdf and submit with a title that is taken: the form comes back."""
    Document.objects.create(title="Taken", file="documents/old.pdf")
    key = store("report.pdf", b"%PDF-1.7 kept")
    response = client.post(url, {"title": "Taken", **posted("file", [key]), **fields})
    assert response.status_code == 200
    assert "A document with this title exists already." in response.content.decode()
    return Page(response.content.decode())


def test_a_form_rendered_again_shows_its_upload_as_kept(client):
    page = first_submit(client)

    [block] = page.blocks
    files = json.loads(block["data-s3f-kept-files"])
    assert [(f["name"], f["size"]) for f in files] == [("report.pdf", 13)]
    # The input hides behind the block, which names it by the key; it is no longer required.
    file_input = page.file_inputs["file"]
    assert file_input["data-s3f-kept"] == block["data-s3f-kept-for"] == files[0]["key"]
    assert "hidden" in file_input and "required" not in file_input
    assert "data-s3f-required" in file_input
    # Nameless: the hidden inputs post the field (with nothing chosen it would post "").
    assert file_input["name"] == ""
    assert [role for role, _, _ in page.posted] == ["marker", "signature", "key"]


def test_the_kept_upload_is_signed_like_a_fresh_grant_for_its_field_and_browser(client):
    page = first_submit(client)
    [(_, name, signature)] = [p for p in page.posted if p[0] == "signature"]
    grant = unsign_grant(signature)
    assert name == "file-s3f-signature"
    assert (grant.folder, grant.field, grant.binding) == (FOLDER, "file", conftest.test_binding())
    # The same limits as the fresh grant the input carries.
    fresh = unsign_grant(page.file_inputs["file"]["data-s3f-signature"])
    assert (grant.max_size, grant.accept) == (fresh.max_size, fresh.accept)


def test_posting_the_kept_upload_again_saves_it(client):
    page = first_submit(client)
    response = client.post("/kept/model/", {"title": "New", **page.post_data()})
    assert response.status_code == 200
    path = storages["default"].path(Document.objects.get(title="New").file.name)
    assert Path(path).read_bytes() == b"%PDF-1.7 kept"


def test_a_kept_upload_posts_again_the_sha1_the_browser_stated(client):
    digest = "0123456789abcdef0123456789abcdef01234567"
    page = first_submit(client, **{"file-s3f-sha1": f"{digest}:{FOLDER}/ab12/report.pdf"})

    assert [(role, name) for role, name, _ in page.posted][-1] == ("sha1", "file-s3f-sha1")
    assert page.post_data()["file-s3f-sha1"] == [f"{digest}:{FOLDER}/ab12/report.pdf"]


def test_a_kept_upload_without_a_stated_sha1_posts_none(client):
    page = first_submit(client)
    assert "file-s3f-sha1" not in page.post_data()


def test_a_kept_upload_is_refused_in_another_browser(client):
    page = first_submit(client)
    other = bound_client()
    other.cookies["csrftoken"] = "anotherBrowsersCsrfSecret0000000"
    response = other.post("/kept/model/", {"title": "New", **page.post_data()})
    assert response.status_code == 400
    assert "Your session changed since “report.pdf” was uploaded" in response.content.decode()
    assert not Document.objects.filter(title="New").exists()


def test_several_files_of_one_field_are_kept_together(client):
    others = [store("a.txt", b"first", "tmp/s3file/89ab"), store("b.txt", b"second!", FOLDER)]
    data = {
        "s3file": ["file", "others"],
        "file": [store("report.pdf", b"%PDF")],
        "file-s3f-signature": sign_folder(FOLDER, field="file"),
        "others": others,
        "others-s3f-signature": [
            sign_folder("tmp/s3file/89ab", field="others"),
            sign_folder(FOLDER, field="others"),
        ],
    }
    Document.objects.create(title="Taken", file="documents/old.pdf")
    page = Page(client.post("/kept/model/", {"title": "Taken", **data}).content.decode())

    files = [json.loads(block["data-s3f-kept-files"]) for block in page.blocks]
    assert [[(f["name"], f["size"]) for f in kept] for kept in files] == [
        [("report.pdf", 4)],
        [("a.txt", 5), ("b.txt", 7)],
    ]
    signatures = page.post_data()["others-s3f-signature"]
    assert {unsign_grant(s).folder for s in signatures} == {"tmp/s3file/89ab", FOLDER}
    client.post("/kept/model/", {"title": "New", **page.post_data()})
    document = Document.objects.get(title="New")
    saved = [storages["default"].path(a.file.name) for a in document.attachments.all()]
    assert sorted(Path(path).read_bytes() for path in saved) == [b"first", b"second!"]


def test_an_upload_the_field_refuses_is_not_kept_and_its_error_says_why(client):
    Document.objects.create(title="Taken", file="documents/old.pdf")
    data = {
        "title": "Taken",
        "s3file": ["file", "picture"],
        "file": [store("report.pdf", b"%PDF")],
        "file-s3f-signature": sign_folder(FOLDER, field="file"),
        "picture": [store("photo.png", b"not an image")],
        "picture-s3f-signature": sign_folder(FOLDER, field="picture"),
    }
    response = client.post("/kept/", data)
    html = response.content.decode()
    page = Page(html)

    assert "Upload a valid image." in html
    assert [b["data-s3f-kept-for"] for b in page.blocks] == [data["file"][0]]
    assert page.file_inputs["picture"]["aria-invalid"] == "true"
    assert "hidden" not in page.file_inputs["picture"]


def test_an_upload_gone_from_storage_is_not_kept(client):
    Document.objects.create(title="Taken", file="documents/old.pdf")
    data = {"title": "Taken", **posted("file", [f"{FOLDER}/ab12/gone.pdf"])}
    html = client.post("/kept/", data).content.decode()
    assert "The uploaded file “gone.pdf” is no longer in storage" in html
    assert Page(html).blocks == []
    assert "required" in Page(html).file_inputs["file"]


def test_an_upload_past_its_lifetime_is_not_kept_and_the_field_says_why(client, settings):
    # The lifecycle rule may remove it before a form rendered now could come back.
    settings.S3FILE_EXPIRE_DAYS = 1
    settings.S3FILE_EXPIRES = 12 * 3600
    Document.objects.create(title="Taken", file="documents/old.pdf")
    data = {"title": "Taken", **posted("file", [store("report.pdf", b"%PDF")])}
    html = client.post("/kept/", data).content.decode()
    page = Page(html)

    assert "“report.pdf” was uploaded too long ago to be kept" in html
    assert page.blocks == [] and page.posted == []
    assert "hidden" not in page.file_inputs["file"]


def test_a_form_not_rendered_again_keeps_nothing(client):
    # An unbound form has received nothing.
    html = client.get("/kept/").content.decode()
    assert Page(html).blocks == []


def test_the_kept_block_and_its_reasons_are_translated(client, settings):
    settings.LANGUAGE_CODE = "de"
    Document.objects.create(title="Taken", file="documents/old.pdf")
    data = {"title": "Taken", **posted("file", [store("report.pdf", b"%PDF")])}
    html = client.post("/kept/", data).content.decode()
    assert "Hochgeladen:" in html and "Ersetzen" in html and "Entfernen" in html

    settings.S3FILE_EXPIRE_DAYS = 0
    html = client.post("/kept/", data).content.decode()
    assert "Die hochgeladene Datei „report.pdf“ wurde vor zu langer Zeit hochgeladen" in html
