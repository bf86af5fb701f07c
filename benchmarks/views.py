"""The views the benchmarks request: a form with one file, and an ordinary form without."""

from __future__ import annotations

from django import forms
from django.core.files.storage import default_storage
from django.forms import modelform_factory
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class UploadForm(forms.Form):
    title = forms.CharField(max_length=100)
    file = forms.FileField()


class PlainForm(forms.Form):
    title = forms.CharField(max_length=100)
    body = forms.CharField(widget=forms.Textarea, required=False)


def upload(request: HttpRequest) -> HttpResponse:
    """The form, and what a view does with it: validate, then save the file to storage.

    ``?read=N``: first read N bytes of the file (as a type sniffer would), then save.
    ``?save=0``: validate only (the browser benchmark measures the upload, not the move).
    The file is saved with ``default_storage.save``, what ``FieldFile.save`` does for a model.
    """
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "benchmarks/upload.html", {"form": form})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    upload = form.cleaned_data["file"]
    head = upload.read(int(request.GET["read"])) if "read" in request.GET else b""
    name = None
    if request.GET.get("save") != "0":
        name = default_storage.save(f"uploads/{upload.name}", upload)
    return JsonResponse({"name": name, "size": upload.size, "read": len(head)})


def uppy(request: HttpRequest) -> HttpResponse:
    """A page that uploads its chosen file with Uppy (the browser benchmark's peer)."""
    return render(request, "benchmarks/uppy.html")


def client(request: HttpRequest) -> HttpResponse:
    """A page with no form that uploads its chosen file with ``s3file/js/client.js``."""
    return render(request, "benchmarks/client.html")


class BenchUser:
    """The one user of the benchmark site, which has no database (``bench_user``)."""

    is_authenticated = True
    pk = 1

    class _meta:  # noqa: N801  (what user_binding() reads of a model)
        label_lower = "benchmarks.user"


def bench_user(request: HttpRequest) -> BenchUser:
    """``S3FILE_API_AUTHENTICATION`` of the benchmark site: every request is its user's (the
    benchmark measures uploads, not authentication)."""
    return BenchUser()


def plain(request: HttpRequest) -> HttpResponse:
    form = PlainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return JsonResponse(form.cleaned_data)
    return render(request, "benchmarks/plain.html", {"form": form})


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def model_form(request: HttpRequest, model: str) -> HttpResponse:
    """A model form of ``Doc`` or ``Dated`` (``claim.py``): saved, it answers the file's name."""
    from .models import Dated, Doc

    form_class = modelform_factory({"docs": Doc, "dated": Dated}[model], fields=["title", "file"])
    form = form_class(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "benchmarks/upload.html", {"form": form})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse({"name": form.save().file.name})
