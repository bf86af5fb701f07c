"""A small site for the hardening tests (issue 13), and a client that speaks the script's
wire protocol: render a form, read its input's data attributes, upload as the browser would
(a POST to ``data-s3f-url``, or the multipart JSON endpoints), then submit the keys.

Everything goes through HTTP, so the tests do not depend on how the core is laid out.
"""

from __future__ import annotations

import io
import json
import threading
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests
from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.move import file_move_safe
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.static import serve

from s3file.forms import S3FileInput
from tests.testapp.models import Document

MiB = 1024**2

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hardening</title>{{ form.media }}</head>
<body><form method="post" enctype="multipart/form-data" id="form">{% csrf_token %}
{{ form.as_div }}<button type="submit" name="action" value="save">Save</button></form>
</body></html>"""


def file_field(accept: str = "", max_size: int | None = None) -> forms.FileField:
    attrs = {"accept": accept} if accept else {}
    return forms.FileField(required=False, widget=S3FileInput(attrs=attrs, max_size=max_size))


class HardeningForm(forms.Form):
    """One field per accept list the issue names, a tiny one, and two untyped ones."""

    title = forms.CharField(required=False)
    png = file_field("image/png")
    pdfpng = file_field(".pdf,.png")
    pics = file_field("image/png,image/jpeg")
    texts = file_field("text/plain,text/csv")
    small = file_field(max_size=10)
    doc = file_field()
    other = file_field()
    images = file_field("image/*")


def page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: what was saved (name and stored Content-Type), or the errors
    with the other input the user typed, as a re-rendered form would keep it."""
    form = HardeningForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": form}, request))
    if not form.is_valid():
        kept = {name: form.data.getlist(name) for name in form.data}
        return JsonResponse({"errors": form.errors.get_json_data(), "kept": kept})
    if BARRIER is not None:
        BARRIER.wait(timeout=30)
    saved = {}
    for name, value in form.cleaned_data.items():
        if hasattr(value, "read"):
            stored = default_storage.save(f"saved/{name}/{value.name}", value)
            saved[name] = stored
    return JsonResponse({"saved": saved})


class PictureForm(forms.Form):
    """An image Django's ImageField checks (Pillow reads it) before it is saved."""

    picture = forms.ImageField(widget=S3FileInput(attrs={"accept": "image/*"}))


def both(request: HttpRequest) -> HttpResponse:
    """The hardening form's ``doc`` saved to two model fields in one request (a document and
    its attachment), or the ``picture`` of a ``PictureForm`` (``?picture``); the names."""
    form_class = PictureForm if "picture" in request.GET else HardeningForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": form}, request))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()})
    upload = form.cleaned_data.get("picture") or form.cleaned_data["doc"]
    document = Document.objects.create(title="both", file=upload)
    attachment = document.attachments.create(file=upload)
    return JsonResponse({"saved": [document.file.name, attachment.file.name]})


def one_field(request: HttpRequest) -> HttpResponse:
    """A form of one ``file`` field with the ``accept`` and ``max`` of the query string."""
    accept, max_size = request.GET.get("accept", ""), request.GET.get("max")
    form_class = type(
        "OneFieldForm",
        (forms.Form,),
        {"file": file_field(accept, int(max_size) if max_size else None)},
    )
    form = form_class(request.POST or None, request.FILES or None)
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": form}, request))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()})
    return JsonResponse({"saved": form.cleaned_data["file"].name})


def raw(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: what a view without a form reads of ``request.FILES`` itself."""
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": HardeningForm()}, request))
    files = {name: len(file.read()) for name, file in request.FILES.items()}
    return JsonResponse({"read": files})


class PlainForm(forms.Form):
    """A field of the same name as the direct-upload one, with a plain input of its own."""

    doc = forms.FileField(required=False, widget=forms.FileInput)


def plain(request: HttpRequest) -> HttpResponse:
    """A form whose file input uploads through Django; what it saved, or its errors."""
    form = PlainForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()})
    doc = form.cleaned_data["doc"]
    return JsonResponse({"saved": default_storage.save(f"saved/plain/{doc.name}", doc)})


def declaring(request: HttpRequest) -> HttpResponse:
    """The hardening form, whose ``doc`` input declares that its form posts to /h/other/."""
    form = HardeningForm()
    form.fields["doc"].widget.posts_to = ["/h/other/"]
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form}, request))


#: Set by a test: each request of ``model_page`` waits here between validating its form and
#: saving it, so two requests at once both validate before either saves.
BARRIER: threading.Barrier | None = None


class DocumentForm(forms.ModelForm):
    """A model's form: its save is the model's (``pre_save``), whatever the storage."""

    class Meta:
        model = Document
        fields = ["title", "file"]
        widgets = {"file": S3FileInput}


def model_page(request: HttpRequest) -> HttpResponse:
    """GET: a Document's form. POST: the name of the file saved, or the form's errors."""
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": form}, request))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()})
    if BARRIER is not None:
        BARRIER.wait(timeout=30)
    return JsonResponse({"saved": form.save().file.name})


def raw_model(request: HttpRequest) -> HttpResponse:
    """GET: the hardening form. POST: its ``doc`` saved as a Document without a form."""
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": HardeningForm()}, request))
    document = Document.objects.create(title="raw", file=request.FILES["doc"])
    return JsonResponse({"saved": document.file.name})


def race(request: HttpRequest) -> HttpResponse:
    """GET: the hardening form. POST: its ``doc``, a pending upload of the dev storage, taken
    away (as by another request) after its check: before it is read (``?at=read``), or
    before ``FileSystemStorage`` moves it (``?at=move``, as ``_save`` does)."""
    if request.method != "POST":
        template = engines["django"].from_string(PAGE)
        return HttpResponse(template.render({"form": HardeningForm()}, request))
    upload = request.FILES["doc"]
    assert upload.size  # the check: the file is there
    if request.GET["at"] == "read":
        upload.backend.delete(upload.key)
        return JsonResponse({"read": len(upload.read())})
    pending = upload.temporary_file_path()
    upload.backend.delete(upload.key)
    target = Path(settings.MEDIA_ROOT) / "saved" / upload.name
    target.parent.mkdir(parents=True, exist_ok=True)
    file_move_safe(pending, str(target))
    return JsonResponse({"saved": str(target)})


def log_in(request: HttpRequest) -> HttpResponse:
    """Django's own login (which rotates the CSRF secret), without a template."""
    form = AuthenticationForm(request, request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    login(request, form.get_user())
    return JsonResponse({"user": request.user.get_username()})


def media(request: HttpRequest, path: str) -> HttpResponse:
    """``MEDIA_ROOT`` served as a development site serves it (``static()`` in its URLconf):
    each file as its name says."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("h/", page),
    path("h/one/", one_field),
    path("h/raw/", raw),
    path("h/both/", both),
    path("h/other/", page),
    path("h/plain/", plain),
    path("h/declaring/", declaring),
    path("h/login/", log_in),
    path("h/model/", model_page),
    path("h/raw-model/", raw_model),
    path("h/race/", race),
    path("media/<path:path>", media),
]


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag != "input" or values.get("type") != "file" or "name" not in values:
            return
        # Of two inputs of one name (Wagtail's uploader and its policy), the direct one.
        if values["name"] not in self.inputs or "data-s3f-url" in values:
            self.inputs[values["name"]] = values


def file_inputs(html: str) -> dict[str, dict[str, str]]:
    """The page's file inputs by name, with their attributes."""
    parser = _Inputs()
    parser.feed(html)
    return parser.inputs


def render(client: Any, url: str = "/h/") -> dict[str, dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    return file_inputs(response.content.decode())


def new_key(attrs: dict[str, str], filename: str) -> str:
    """The key the script would choose: ``<folder>/<random>/<name>``."""
    fields = json.loads(attrs["data-s3f-fields"])
    return fields["key"].replace("${filename}", f"{uuid.uuid4().hex[:16]}/{filename}")


def dev_post(
    client: Any,
    attrs: dict[str, str],
    filename: str,
    body: bytes = b"data",
    content_type: str = "application/octet-stream",
    key: str = "",
) -> tuple[Any, str]:
    """POST a file to the dev endpoint as the script does (at ``key``, or the key the
    script would choose); (response, key)."""
    key = key or new_key(attrs, filename)
    fields = {**json.loads(attrs["data-s3f-fields"]), "key": key, "Content-Type": content_type}
    response = client.post(
        attrs["data-s3f-url"], {**fields, "file": SimpleUploadedFile(filename, body)}
    )
    return response, key


def s3_post(
    attrs: dict[str, str],
    filename: str,
    body: bytes = b"data",
    content_type: str = "application/octet-stream",
) -> tuple[int, str]:
    """POST a file to S3 with the input's presigned policy; (status, key)."""
    key = new_key(attrs, filename)
    fields = {**json.loads(attrs["data-s3f-fields"]), "key": key, "Content-Type": content_type}
    response = requests.post(
        attrs["data-s3f-url"], data=fields, files={"file": (filename, body)}, timeout=30
    )
    return response.status_code, key


def submit(
    client: Any,
    field: str,
    keys: list[str],
    tokens: list[str],
    url: str = "/h/",
    **others: Any,
) -> Any:
    """Submit the form with ``keys`` in ``field``, as the script does after uploading."""
    data = {"s3file": field, field: keys, f"{field}-s3f-signature": tokens, **others}
    return client.post(url, data)


def multipart(client: Any, attrs: dict[str, str], action: str, body: Any) -> Any:
    """Call one of the multipart JSON endpoints the input points at."""
    base = json.loads(attrs["data-s3f-multipart"])["url"]
    return client.post(f"{base}{action}/", json.dumps(body), content_type="application/json")


class LazyBody(io.RawIOBase):
    """A request body of ``size`` bytes, made as it is read, that counts what was read."""

    def __init__(self, head: bytes, size: int, tail: bytes = b"") -> None:
        self.head, self.tail, self.size = head, tail, size
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.size - self.position)
        if n <= 0:
            return 0
        start, end = self.position, self.position + n
        out = bytearray(n)
        if start < len(self.head):
            head = self.head[start:end]
            out[: len(head)] = head
        tail_start = self.size - len(self.tail)
        if end > tail_start:
            at = max(start, tail_start)
            tail = self.tail[at - tail_start : end - tail_start]
            out[at - start : at - start + len(tail)] = tail
        buffer[:n] = out
        self.position = end
        return n


def send_stream(client: Any, method: str, url: str, body: LazyBody, content_type: str) -> Any:
    """Send ``body`` with a Content-Length of its full size; the server reads what it wants."""
    return client.generic(
        method,
        url,
        b"",
        **{
            "wsgi.input": io.BufferedReader(body, 64 * 1024),
            "CONTENT_LENGTH": str(body.size),
            "CONTENT_TYPE": content_type,
        },
    )


def lazy_multipart(fields: dict[str, str], filename: str, size: int) -> tuple[LazyBody, str]:
    """A multipart/form-data body of ``size`` bytes in all whose file is zeros; (body,
    its Content-Type)."""
    boundary = "----s3fileHardening" + uuid.uuid4().hex
    part = '--{}\r\nContent-Disposition: form-data; name="{}"\r\n\r\n{}\r\n'
    head = b"".join(part.format(boundary, n, v).encode() for n, v in fields.items())
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return LazyBody(head, size, tail), f"multipart/form-data; boundary={boundary}"
