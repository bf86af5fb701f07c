"""The public demo page: an ordinary view; files come in ``request.FILES`` as always."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import UploadForm
from .models import Attachment, Report


def storage_description() -> str:
    """Where the default storage keeps files, in a few words for the page."""
    storage = storages["default"]
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = storage.endpoint_url or "AWS"
        location = storage.location.strip("/")
        return f"S3 bucket “{bucket}”{f' (prefix {location}/)' if location else ''} on {endpoint}"
    return f"{type(storage).__name__} in {storage.location}"


def received(request: HttpRequest) -> list[dict[str, Any]]:
    """What the view got in ``request.FILES``; read before saving moves the uploads."""
    return [
        {
            "field": field,
            "name": file.name,
            "size": file.size,
            "content_type": file.content_type,
            "class": f"{type(file).__module__}.{type(file).__qualname__}",
            # A direct upload knows where the browser put it; a file posted through
            # Django (the browser had no JavaScript) has no key.
            "key": getattr(file, "key", ""),
        }
        for field in request.FILES
        for file in request.FILES.getlist(field)
    ]


def saved(field: str, file: FieldFile) -> dict[str, Any]:
    return {"field": field, "name": file.name, "size": file.size, "url": file.url}


def upload(request: HttpRequest) -> HttpResponse:
    """Show the form; on a valid POST save a Report and show what came in and where it went."""
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"storage": storage_description()}
    if request.method == "POST" and form.is_valid():
        context["received"] = received(request)
        report = Report.objects.create(
            title=form.cleaned_data["title"],
            document=form.cleaned_data["document"],
            summary=form.cleaned_data["summary"] or "",
            excerpt=form.cleaned_data["excerpt"] or "",
        )
        attachments = [
            Attachment.objects.create(report=report, file=file)
            for file in form.cleaned_data["attachments"]
        ]
        context["report"] = report
        context["saved"] = [
            saved("document", report.document),
            *(
                saved(name, getattr(report, name))
                for name in ("summary", "excerpt")
                if getattr(report, name)
            ),
            *(saved("attachments", a.file) for a in attachments),
        ]
        form = UploadForm()  # a fresh form below the result, to upload again
    context["form"] = form
    return render(request, "demo/upload.html", context)
