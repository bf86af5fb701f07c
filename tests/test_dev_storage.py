"""The dev storage (issue 20, items 1 and 4): nothing a visitor uploads is a page of the site,
before or after a form takes it, and what the dev endpoint stores is bounded in all.

Each test runs with ``DEBUG`` on and off (the endpoint on through ``S3FILE_DEV_ENDPOINT``).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from PIL import Image

from s3file import conf
from s3file.backends import local_backend
from tests.hardening import MiB, dev_post, lazy_multipart, new_key, render, send_stream, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def site(request, settings, dev_storage: Path) -> Path:
    """The hardening site, which serves MEDIA_ROOT at /media/ as a development site does,
    with DEBUG on and off; MEDIA_ROOT's path."""
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = "tests.hardening"
    settings.S3FILE_DEV_ENDPOINT = True
    return dev_storage


def files_under(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def s3_code(response) -> str:
    """The S3 error code of a refusal ("" for none)."""
    match = re.search(r"<Code>(.*?)</Code>", response.content.decode())
    return match.group(1) if match else ""


# 1. Nothing uploaded is a page of the site ---------------------------------------------------


def test_an_upload_is_not_served_by_the_site_before_a_form_takes_it(client, site):
    attrs = render(client)["doc"]
    response, key = dev_post(client, attrs, "notes.txt", b"pending", "text/plain")
    assert response.status_code == 201
    assert client.get(f"/media/{key}").status_code == 404
    assert files_under(site) == []  # it waits outside MEDIA_ROOT
    pending = local_backend().path(key)
    assert pending.read_bytes() == b"pending"
    assert not pending.is_relative_to(site)


def test_the_pending_folder_is_outside_media_root_by_default(settings, dev_storage):
    del settings.S3FILE_DEV_PENDING_ROOT
    root = local_backend().pending_root
    assert not root.is_relative_to(dev_storage) and not dev_storage.is_relative_to(root)
    settings.MEDIA_ROOT = str(dev_storage.parent / "other")
    assert local_backend().pending_root != root  # one folder per project


def test_a_pending_folder_inside_media_root_stores_nothing(client, site, settings, caplog):
    settings.S3FILE_DEV_PENDING_ROOT = str(site / "pending")
    response, key = dev_post(client, render(client)["doc"], "notes.txt", b"x", "text/plain")
    assert (response.status_code, s3_code(response)) == (403, "AccessDenied")
    assert "S3FILE_DEV_PENDING_ROOT lies inside MEDIA_ROOT" in response.content.decode()
    assert files_under(site) == []
    assert client.get(f"/media/pending/{key}").status_code == 404


def test_a_form_takes_the_upload_and_the_site_serves_it_from_then_on(client, site):
    attrs = render(client)["doc"]
    response, key = dev_post(client, attrs, "notes.txt", b"taken", "text/plain")
    assert response.status_code == 201
    saved = submit(client, "doc", [key], [attrs["data-s3f-signature"]]).json()["saved"]["doc"]
    served = client.get(f"/media/{saved}")
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"taken"


@pytest.mark.parametrize(
    ("field", "name", "claimed"),
    [
        ("doc", "evil.html", "text/html"),  # no accept list: anything but a page
        ("doc", "evil.xhtml", "application/xhtml+xml"),
        ("doc", "evil.xml", "text/xml"),
        ("doc", "evil.js", "text/javascript"),
        ("doc", "evil.svg", "image/svg+xml"),
        ("images", "evil.svg", "image/svg+xml"),  # image/*, what forms.ImageField renders
    ],
)
def test_an_active_document_is_refused_unless_the_field_names_its_type(
    client, site, caplog, field, name, claimed
):
    attrs = render(client)[field]
    response, key = dev_post(client, attrs, name, b"<script>alert(1)</script>", claimed)
    assert (response.status_code, s3_code(response)) == (403, "AccessDenied")
    assert "active document" in caplog.text
    # Nothing for a form to take, so nothing the site serves afterwards either.
    taken = submit(client, field, [key], [attrs["data-s3f-signature"]])
    assert "saved" not in taken.json()
    assert client.get(f"/media/saved/{field}/{name}").status_code == 404
    assert files_under(site) == []
    assert not local_backend().path(key).exists()


@pytest.mark.parametrize(
    ("accept", "name", "kind"),
    [(".svg", "logo.svg", "image/svg+xml"), ("text/html", "page.html", "text/html")],
)
def test_a_field_that_names_an_active_type_takes_it(client, site, accept, name, kind):
    url = f"/h/one/?accept={accept}"
    attrs = render(client, url)["file"]
    response, key = dev_post(client, attrs, name, b"<svg/>", kind)
    assert response.status_code == 201
    answer = submit(client, "file", [key], [attrs["data-s3f-signature"]], url=url)
    assert answer.json() == {"saved": name}


# 4. What the dev endpoint stores is bounded --------------------------------------------------


def test_the_default_size_limit_is_far_below_s3s(client, site):
    assert conf.get("S3FILE_DEV_MAX_SIZE") == 256 * MiB
    assert json.loads(render(client)["doc"]["data-s3f-max-size"]) == 256 * MiB


def test_a_post_over_the_dev_size_limit_is_refused_unread(client, site, settings):
    settings.S3FILE_DEV_MAX_SIZE = 1000
    attrs = render(client)["doc"]
    assert attrs["data-s3f-max-size"] == "1000"  # the browser refuses it first
    fields = {**json.loads(attrs["data-s3f-fields"]), "key": new_key(attrs, "big.bin")}
    body, content_type = lazy_multipart(fields, "big.bin", 100 * MiB)
    response = send_stream(client, "POST", attrs["data-s3f-url"], body, content_type)
    assert (response.status_code, s3_code(response)) == (400, "EntityTooLarge")
    assert body.position < MiB


def test_the_pending_uploads_stay_under_the_total_cap(client, site, settings, caplog):
    settings.S3FILE_DEV_MAX_TOTAL_SIZE = 100
    attrs = render(client)["doc"]
    first, first_key = dev_post(client, attrs, "a.bin", b"x" * 60)
    assert first.status_code == 201
    response, key = dev_post(client, render(client)["doc"], "b.bin", b"y" * 60)
    assert (response.status_code, s3_code(response)) == (403, "QuotaExceeded")
    assert "S3FILE_DEV_MAX_TOTAL_SIZE" in response.content.decode()  # what the user reads
    assert "full" in caplog.text
    assert not local_backend().path(key).exists()
    # Replacing a file (the same key again) frees its own room.
    again, _ = dev_post(client, attrs, "a.bin", b"z" * 60, key=first_key)
    assert again.status_code == 201


def test_uploads_the_lifecycle_rule_would_have_expired_make_room(client, site, settings):
    settings.S3FILE_DEV_MAX_TOTAL_SIZE = 100
    old, old_key = dev_post(client, render(client)["doc"], "a.bin", b"x" * 60)
    assert old.status_code == 201
    expired = time.time() - conf.get("S3FILE_EXPIRE_DAYS") * 86400 - 60
    os.utime(local_backend().path(old_key), (expired, expired))
    response, key = dev_post(client, render(client)["doc"], "b.bin", b"y" * 60)
    assert response.status_code == 201
    assert not local_backend().path(old_key).exists()
    assert local_backend().path(key).exists()


def test_one_grant_stores_at_most_as_many_files_as_a_form_may_post(client, site, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    attrs = render(client)["doc"]
    statuses = [dev_post(client, attrs, f"{n}.txt", b"x")[0].status_code for n in range(3)]
    assert statuses == [201, 201, 403]
    # Another rendering of the form has a grant of its own.
    assert dev_post(client, render(client)["doc"], "3.txt", b"x")[0].status_code == 201


def test_the_dev_endpoint_takes_no_parts(client, site):
    attrs = render(client)["doc"]
    assert json.loads(attrs["data-s3f-multipart"])["threshold"] == 0
    body = {"token": attrs["data-s3f-signature"], "key": new_key(attrs, "v.bin"), "size": 10}
    response = client.post(
        "/__s3file__/multipart/create/", json.dumps(body), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "action")
    part = client.put("/__s3file__/multipart/part/?partNumber=1", b"x")  # the old part URL
    assert 400 <= part.status_code < 500
    assert files_under(site.parent) == []


# Saving moves the upload out of the pending folder, as the copy storage does on S3 ----------


def test_a_save_moves_the_upload_so_a_second_submit_is_a_field_error(client, site):
    """As ``test_11_a_form_submitted_twice_saves_once_and_says_so_the_second_time`` on S3."""
    attrs = render(client)["doc"]
    body = os.urandom(3 * MiB)
    response, key = dev_post(client, attrs, "a.bin", body)
    assert response.status_code == 201
    pending = local_backend().path(key)
    token = attrs["data-s3f-signature"]
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.bin"}}
    assert not pending.exists()  # moved, not copied
    assert (site / "saved/doc/a.bin").read_bytes() == body
    response = submit(client, "doc", [key], [token])
    (message,) = [e["message"] for e in response.json()["errors"]["doc"]]
    assert "“a.bin” is no longer in storage" in message
    assert "this form was submitted already" in message
    assert files_under(site) == ["saved/doc/a.bin"]


def test_the_move_is_a_rename_the_saved_file_is_the_uploaded_one(client, site):
    attrs = render(client)["doc"]
    response, key = dev_post(client, attrs, "a.txt", b"renamed", "text/plain")
    inode = local_backend().path(key).stat().st_ino
    submit(client, "doc", [key], [attrs["data-s3f-signature"]])
    assert (site / "saved/doc/a.txt").stat().st_ino == inode


def test_one_upload_saved_to_two_model_fields_in_one_request(client, site):
    attrs = render(client, "/h/both/")["doc"]
    response, key = dev_post(client, attrs, "a.txt", b"twice", "text/plain")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/both/")
    assert response.json() == {"saved": ["documents/a.txt", "attachments/a.txt"]}
    assert (site / "documents/a.txt").read_bytes() == b"twice"
    assert (site / "attachments/a.txt").read_bytes() == b"twice"
    assert not local_backend().path(key).exists()
    # The second copy was made from where the first save moved the upload.
    assert not (site / "documents/a.txt").samefile(site / "attachments/a.txt")


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, "PNG")
    return out.getvalue()


def test_an_image_checked_by_pillow_before_the_save_is_moved(client, site):
    attrs = render(client, "/h/both/?picture")["picture"]
    body = tiny_png()
    response, key = dev_post(client, attrs, "p.png", body, "image/png")
    assert response.status_code == 201
    url = "/h/both/?picture"
    response = submit(client, "picture", [key], [attrs["data-s3f-signature"]], url=url)
    assert response.json() == {"saved": ["documents/p.png", "attachments/p.png"]}
    assert (site / "documents/p.png").read_bytes() == body
    assert not local_backend().path(key).exists()


def test_a_file_pillow_refuses_stays_pending_and_out_of_media_root(client, site):
    attrs = render(client, "/h/both/?picture")["picture"]
    response, key = dev_post(client, attrs, "p.png", b"not a picture", "image/png")
    url = "/h/both/?picture"
    response = submit(client, "picture", [key], [attrs["data-s3f-signature"]], url=url)
    assert "picture" in response.json()["errors"]
    assert files_under(site) == []
    assert local_backend().path(key).read_bytes() == b"not a picture"  # the form may keep it


def test_with_delete_temp_files_off_the_save_copies_and_the_upload_stays(client, site, settings):
    settings.S3FILE_DELETE_TEMP_FILES = False
    attrs = render(client)["doc"]
    response, key = dev_post(client, attrs, "a.txt", b"kept", "text/plain")
    token = attrs["data-s3f-signature"]
    assert submit(client, "doc", [key], [token]).json() == {"saved": {"doc": "saved/doc/a.txt"}}
    assert local_backend().path(key).read_bytes() == b"kept"
    assert (site / "saved/doc/a.txt").read_bytes() == b"kept"


# A pending upload gone between its check and its use (issue 20, the dev storage's race) ------


def test_a_pending_upload_gone_between_its_check_and_its_read_is_missing_not_a_500(
    client, site, caplog
):
    """Deleted, or moved by another request, after the HEAD and before the open: the same
    "no longer in storage" answer (a 400 with a warning) as a file gone before its check."""
    attrs = render(client, "/h/race/")["doc"]
    _, key = dev_post(client, attrs, "a.txt", b"soon gone", "text/plain")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/race/?at=read")
    assert response.status_code == 400
    assert "“a.txt” is no longer in storage" in response.content.decode()
    assert any("Answered 400" in r.getMessage() for r in caplog.records)


def test_a_pending_upload_gone_before_its_move_is_missing_not_a_500(client, site, caplog):
    """Gone between the check and ``FileSystemStorage``'s move (``file_move_safe`` then
    fails to open it): a 400 saying so, not the ``FileNotFoundError``'s 500."""
    attrs = render(client, "/h/race/")["doc"]
    _, key = dev_post(client, attrs, "a.txt", b"soon gone", "text/plain")
    response = submit(client, "doc", [key], [attrs["data-s3f-signature"]], url="/h/race/?at=move")
    assert response.status_code == 400
    assert "“a.txt” is no longer in storage" in response.content.decode()
    assert files_under(site / "saved") == []


def test_a_pending_upload_gone_before_its_open_is_a_validation_error(client, site):
    """What a form field shows: the read (or ImageField's path) raises the field's error."""
    from django.core.exceptions import ValidationError
    from django.core.files.storage import storages

    from s3file.files import S3UploadedFile

    attrs = render(client)["doc"]
    _, key = dev_post(client, attrs, "a.txt", b"soon gone", "text/plain")
    for use in ("read", "temporary_file_path"):
        upload = S3UploadedFile(storages["default"], key)
        assert upload.size == 9  # the check
        (local_backend().pending_root / key).rename(local_backend().pending_root / "aside")
        with pytest.raises(ValidationError, match="“a.txt” is no longer in storage") as error:
            getattr(upload, use)()
        assert error.value.code == "missing"
        (local_backend().pending_root / "aside").rename(local_backend().pending_root / key)


def test_an_upload_whose_path_validation_read_is_given_back_unless_it_was_moved(client, site):
    """``forms.ImageField`` reads a pending upload by its path while validating, which takes
    it (``consume``): at the end of a request that did not move it (the form came back with
    an error) it is given back, so the next submit saves it; once moved, it stays taken."""
    from django.core.exceptions import ValidationError
    from django.core.files.storage import storages
    from django.http import HttpResponse

    from s3file.after_response import collected, run_after_response
    from s3file.files import S3UploadedFile

    attrs = render(client)["doc"]
    _, key = dev_post(client, attrs, "a.txt", b"validated", "text/plain")
    with collected() as pending:
        checked = S3UploadedFile(storages["default"], key)
        assert checked.size == 9
        checked.temporary_file_path()  # as ImageField's check: taken
        other = S3UploadedFile(storages["default"], key)
        with pytest.raises(ValidationError, match="was saved already"):
            other.temporary_file_path()
        other.close()
        checked.close()
    run_after_response(pending, HttpResponse())  # the form came back: nothing moved it
    with collected() as pending:
        again = S3UploadedFile(storages["default"], key)
        saved = storages["default"].save("saved/a.txt", again)
        again.close()
    run_after_response(pending, HttpResponse())
    assert (site / saved).read_bytes() == b"validated"
    with pytest.raises(ValidationError, match="was saved already"):
        S3UploadedFile(storages["default"], key).consume()
