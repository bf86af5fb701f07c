from __future__ import annotations

import hashlib

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .forms import DocumentForm, ImagesForm, KeptDocumentForm, ReportForm, ReportFormSet, ScanForm
from .models import Attachment, Document


def describe(request: HttpRequest) -> dict:
    return {
        "files": {
            field: [
                {"name": f.name, "size": f.size, "content_type": f.content_type}
                for f in request.FILES.getlist(field)
            ]
            for field in request.FILES
        },
        "post": {key: request.POST.getlist(key) for key in request.POST},
        "path": request.path,
    }


def upload(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.save()
        for file in form.cleaned_data["others"]:
            Attachment.objects.create(document=document, file=file)
        result = describe(request)
        result["saved"] = [document.file.name, *(a.file.name for a in document.attachments.all())]
        return render(request, "testapp/result.html", {"result": result})
    return render(request, "testapp/form.html", {"form": form})


def scans(request: HttpRequest) -> HttpResponse:
    """A model form whose file field has a callable ``upload_to``."""
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        scan = form.save()
        return render(request, "testapp/result.html", {"result": {"saved": [scan.file.name]}})
    return render(request, "testapp/form.html", {"form": form})


def kept_model_form(request: HttpRequest) -> HttpResponse:
    """The ModelForm of ``upload`` whose title must be new: it can fail after the upload."""
    form = KeptDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.save()
        for file in form.cleaned_data["others"]:
            Attachment.objects.create(document=document, file=file)
        saved = [document.file.name, *(a.file.name for a in document.attachments.all())]
        return render(request, "testapp/result.html", {"result": {"saved": saved}})
    return render(request, "testapp/form.html", {"form": form})


def kept_form(request: HttpRequest) -> HttpResponse:
    """A plain form whose title must be new; saves a Document itself."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = Document.objects.create(title=data["title"], file=data["file"])
        return render(request, "testapp/result.html", {"result": {"saved": [document.file.name]}})
    return render(request, "testapp/form.html", {"form": form})


def kept_formset(request: HttpRequest) -> HttpResponse:
    """Two rows of ``ReportForm``: one row's title can fail while the other's file is fine."""
    formset = ReportFormSet(request.POST or None, request.FILES or None, prefix="rows")
    if request.method == "POST" and formset.is_valid():
        saved = [
            Document.objects.create(title=row["title"], file=row["file"]).file.name
            for row in formset.cleaned_data
            if row
        ]
        return render(request, "testapp/result.html", {"result": {"saved": saved}})
    return render(request, "testapp/formset.html", {"formset": formset})


def images(request: HttpRequest) -> HttpResponse:
    form = ImagesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return render(request, "testapp/result.html", {"result": describe(request)})
    return render(request, "testapp/form.html", {"form": form})


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    """Reads the raw body of whatever is posted, like a payment provider's webhook."""
    body = request.body
    return JsonResponse({"length": len(body), "sha256": hashlib.sha256(body).hexdigest()})


@csrf_exempt
def temporary_files(request: HttpRequest) -> HttpResponse:
    """Chooses its own upload handlers before touching request.FILES."""
    request.upload_handlers = [TemporaryFileUploadHandler(request)]
    return JsonResponse(
        {name: hasattr(f, "temporary_file_path") for name, f in request.FILES.items()}
    )


@csrf_exempt
def describe_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse(describe(request))


async def describe_async(request: HttpRequest) -> HttpResponse:
    from asgiref.sync import sync_to_async

    return JsonResponse(await sync_to_async(describe)(request))


class StoreForm(forms.Form):
    file = forms.FileField()


def store(request: HttpRequest) -> HttpResponse:
    """Save the posted file to the default storage, as a form view of a real site would."""
    form = StoreForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    upload = form.cleaned_data["file"]
    return JsonResponse({"saved": default_storage.save(f"stored/{upload.name}", upload)})


@csrf_exempt
def keys(request: HttpRequest) -> HttpResponse:
    """The S3 keys behind request.FILES, without touching storage."""
    return JsonResponse(
        {field: [f.key for f in request.FILES.getlist(field)] for field in request.FILES}
    )


def store_then_fail(request: HttpRequest) -> HttpResponse:
    """Saves the file, then fails, as a view whose database write fails after the copy."""
    default_storage.save("stored/first-try.pdf", request.FILES["file"])
    raise RuntimeError("the database went away")
