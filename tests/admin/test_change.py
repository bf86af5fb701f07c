"""Changing an object in the admin gives what the admin gives without direct uploads."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.admin.conftest import png
from tests.adminapp.models import Report
from tests.conftest import s3_storage_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.s3,
    pytest.mark.django_db(transaction=True),
]

NEW_TEXT = b"the new document"


def existing_report() -> Report:
    return Report.objects.create(
        title="Annual",
        document=ContentFile(b"old text", name="old.txt"),
        cover=ContentFile(png(), name="old.png"),
    )


def outcome(report: Report, keys: list[str], read) -> dict:
    report.refresh_from_db()
    entry = LogEntry.objects.filter(object_id=str(report.pk)).latest("action_time")
    return {
        "title": report.title,
        "document": report.document.name,
        "document bytes": read(report.document.name),
        "cover": report.cover.name,
        "log": entry.get_change_message(),
        "keys": keys,
    }


def change_without_direct_upload(settings, s3, admin_user) -> dict:
    """The admin as it is without this package: the browser posts the bytes to Django."""
    bucket = f"t-{uuid.uuid4().hex[:16]}"
    s3.server.create_bucket(bucket)
    settings.STORAGES = s3_storage_settings(s3.server, bucket)
    settings.S3FILE_REPLACE_WIDGETS = False
    report = existing_report()
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/adminapp/report/{report.pk}/change/"
    assert b"data-s3f-url" not in client.get(url).content
    response = client.post(
        url,
        {
            "title": "Annual",
            "document": SimpleUploadedFile("new.txt", NEW_TEXT, "text/plain"),
            "cover-clear": "on",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    client_ = s3.server.client()
    listing = client_.list_objects_v2(Bucket=bucket).get("Contents", [])
    return outcome(
        report,
        sorted(o["Key"] for o in listing),
        lambda key: client_.get_object(Bucket=bucket, Key=key)["Body"].read(),
    )


def test_replace_one_file_and_clear_the_other_as_the_plain_admin_does(
    admin_page, s3, s3_calls, settings, admin_user, tmp_path
):
    bucket_default = settings.STORAGES
    expected = change_without_direct_upload(settings, s3, admin_user)
    assert "PutObject" in {call.operation for call in s3_calls}  # Django carried the bytes
    settings.STORAGES = bucket_default
    del settings.S3FILE_REPLACE_WIDGETS

    page = admin_page
    report = existing_report()
    s3_calls.clear()
    new = tmp_path / "new.txt"
    new.write_bytes(NEW_TEXT)
    page.goto(page.admin_url + f"adminapp/report/{report.pk}/change/")
    page.set_input_files("#id_document", new)
    page.check("#cover-clear_id")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    django_calls = {call.operation for call in s3_calls}

    assert page.url.endswith("/admin/adminapp/report/")
    assert outcome(report, s3.keys(), s3.read) == expected
    assert expected["document"] == "reports/documents/new.txt"
    assert expected["cover"] == ""
    assert expected["log"] == "Changed Document and Cover."
    assert "PutObject" not in django_calls and "GetObject" not in django_calls
    assert "CopyObject" in django_calls
