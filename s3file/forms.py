"""The file input that uploads straight to storage, and its installation into Django's own."""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.forms.widgets import ClearableFileInput, Media, Script
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from . import conf
from .backends import Backend, MultipartBackend, backend
from .compat import add_base
from .files import S3UploadedFile
from .middleware import (
    MARKER,
    REQUEST,
    SHA1_SUFFIX,
    SIGNATURE_SUFFIX,
    bytes_posted,
    middleware_installed,
)
from .rules import (
    Grant,
    binding,
    extension_types,
    new_grant,
    normal_accept,
    offered_at,
    sign_grant,
)

#: The template of a kept upload's block, rendered after the widget's own markup.
KEPT_TEMPLATE = "s3file/widgets/kept.html"

#: Marks ``FileField.formfield`` once ``install()`` has wrapped it.
INSTALLED = "s3file_installed"


def messages(max_size: int) -> dict[str, str]:
    """What the script tells the user, translated here; ``{name}`` is the file's name."""
    return {
        "too-large": gettext("“{name}” is too large: files may be at most %(limit)s.")
        % {"limit": filesizeformat(max_size)},
        "type": gettext("“{name}” is not a file type this field accepts."),
        "network": gettext(
            "“{name}” could not be uploaded: the storage server did not answer. "
            "Check your connection and submit again."
        ),
        "expired": gettext("This form has expired. Reload the page and choose “{name}” again."),
        "refused": gettext("The storage server refused “{name}”: {reason}"),
        "missing": gettext(
            "“{name}” was uploaded, but the server could not confirm it. Submit again."
        ),
    }


def final_folder(field: models.FileField | None) -> str:
    """The storage folder the model's file ``field`` saves into, when its ``upload_to`` is a
    string (formatted with today's date, as Django formats it when saving); "" otherwise."""
    if field is None or not isinstance(field.upload_to, str):
        return ""
    # A string upload_to never reads the instance.
    return posixpath.dirname(str(field.generate_filename(None, "file")))  # type: ignore[arg-type]


def claim_folder(store: Backend[Any], folder: str, storage: Any = None) -> str:
    """``folder`` if this input's files may go straight into it (``S3FILE_CLAIM``), else "".

    The files must be saved in the storage they are uploaded to (``storage``: the field's),
    and be tagged on the way: in a POST policy, or else by going in parts."""
    wanted = folder and conf.get("S3FILE_CLAIM") and store.claims
    tagged = conf.get("S3FILE_POST_TAGGING") or conf.get("S3FILE_MULTIPART_THRESHOLD")
    if not (wanted and tagged):
        return ""
    target = store if storage is None else backend(storage)
    same = target is not None and (target.bucket, target.location, target.endpoint_url) == (
        store.bucket,
        store.location,
        store.endpoint_url,
    )
    return folder if same else ""


def module_scripts(*paths: str) -> Media:
    """Media of ES modules: a ``<script type="module">`` for each static path."""
    scripts = [Script(path, type="module") for path in paths]
    # django-stubs types Media's js as strings; Django takes Script objects as well.
    return Media(js=scripts)  # type: ignore[arg-type]


if TYPE_CHECKING:  # what the mixin is installed into (``install()``)
    Widget = ClearableFileInput
else:
    Widget = object


class S3FileInputMixin(Widget):
    """Make a file input upload its files to storage from the browser.

    ``install()`` (run by the app's ``ready()``) puts this into ``ClearableFileInput``'s
    bases, so every clearable file input (model forms, the admin, third-party widgets) gains
    it. Whether an input uploads directly is decided each time it renders: the default
    storage must be django-storages' S3 backend or ``FileSystemStorage`` (the dev endpoint,
    see ``S3FILE_DEV_ENDPOINT``), and ``direct_upload`` must be true, or left ``None`` while
    ``S3FILE_REPLACE_WIDGETS`` is true. Otherwise it is a plain file input.
    """

    #: True: always upload directly; False: never; None: follow ``S3FILE_REPLACE_WIDGETS``.
    direct_upload: bool | None = None
    #: Largest file in bytes; None: ``S3FILE_MAX_SIZE``.
    max_size: int | None = None
    #: Have the browser send each file's SHA-1, which S3 verifies and keeps (see
    #: ``S3UploadedFile.sha1``), for files up to ``S3FILE_CHECKSUM_MAX_SIZE``.
    checksum: bool = False
    #: Refuse (as a form error) a file over ``max_size`` or of a type ``accept`` excludes;
    #: False for fields that check both themselves, with their own messages.
    check_limits: bool = True
    #: Where else than the view rendering it the page posts this input's form: URL paths
    #: or URL names (a ``formaction``, a script posting the form, a modal whose form goes to
    #: another view). Keys posted anywhere else are refused (``rules.offered_at()``).
    posts_to: Sequence[str] = ()
    #: The storage folder this input's files are saved in, when a form knows it and the
    #: model's ``upload_to`` does not say it (Wagtail's images); with ``S3FILE_CLAIM`` the
    #: browser uploads into it and saving copies nothing. "": ``model_field``'s.
    upload_folder: str = ""
    #: The model's file field this input is the form field's widget of (``install()`` sets
    #: it on the fields of model forms): a string ``upload_to`` names the folder.
    model_field: models.FileField | None = None
    #: The field name and the direct uploads ``value_from_datadict()`` last read.
    received: tuple[str, list[S3UploadedFile]] = ("", [])

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        direct_upload: bool | None = None,
        max_size: int | None = None,
        checksum: bool | None = None,
        posts_to: Sequence[str] | None = None,
    ) -> None:
        options = {
            "direct_upload": direct_upload,
            "max_size": max_size,
            "checksum": checksum,
            "posts_to": posts_to,
        }
        vars(self).update({name: value for name, value in options.items() if value is not None})
        super().__init__(attrs)

    @property
    def uploads_directly(self) -> bool:
        wanted = self.direct_upload
        wanted = conf.get("S3FILE_REPLACE_WIDGETS") if wanted is None else wanted
        # Without the middleware the posted keys would be ignored and the files lost.
        return bool(wanted) and backend() is not None and middleware_installed()

    @property
    def media(self) -> Media:
        media = super().media
        if self.uploads_directly:
            media += module_scripts("s3file/js/s3file.js")
        return media

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.uploads_directly:
            attrs = context["widget"]["attrs"]
            field = self.model_field
            folder = self.upload_folder or final_folder(field)
            storage = None if field is None else field.storage
            attrs.update(self.upload_attrs(attrs, name, folder, storage))
            kept = self.kept(name, attrs)
            context["widget"]["s3file_kept"] = kept
            if kept is not None and kept["files"]:
                # The hidden inputs post the field: an input with nothing chosen would add an
                # empty value (Django parses an empty file name as a field). The script names
                # it again when the user replaces or removes the kept files.
                context["widget"]["name"] = ""
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        """The widget's own markup, then (in a form rendered again) its kept upload's."""
        context = self.get_context(name, value, attrs)
        renderer = renderer or get_default_renderer()
        html = renderer.render(self.template_name, context)
        kept = context["widget"].get("s3file_kept")
        if kept is not None:
            html += renderer.render(KEPT_TEMPLATE, {"kept": kept})
        return mark_safe(html)

    def kept(self, name: str, attrs: dict[str, Any]) -> dict[str, Any] | None:
        """What a form rendered again shows of the direct uploads it received, or None.

        A bound form that failed validation is rendered again after reading the uploads its
        field ``name`` got (``received``). Those that pass their checks and will outlive the
        form are kept: the input is hidden behind their names and sizes, with "Replace" and
        "Remove" buttons, and the form posts their keys again (hidden inputs, signed like a
        fresh grant for this field and browser) without the browser uploading a byte.

        An upload the field refused is not kept (its error says why, and the input is marked
        ``aria-invalid``), nor one gone from storage or past its lifetime: then ``errors``
        says why (``S3UploadedFile.keep_error()``), and ``files`` is empty.
        """
        received_name, received = self.received
        uploads = [u for u in received if u.temporary and u.folder and received_name == name]
        store = backend()
        if not uploads or store is None or attrs.get("aria-invalid") in (True, "true"):
            return None
        errors = [e for e in map(S3UploadedFile.keep_error, uploads) if e is not None]
        if errors:
            return {"errors": [message for error in errors for message in error], "files": []}
        grant = self.grant(store, attrs, name)
        folders = dict.fromkeys(upload.folder for upload in uploads)
        files = [{"key": u.key, "name": u.name, "size": u.size} for u in uploads]
        if attrs.pop("required", False):  # the kept files are the value; "Remove" restores it
            attrs["data-s3f-required"] = ""
        attrs["hidden"] = True
        attrs["data-s3f-kept"] = uploads[0].key  # as its block's data-s3f-kept-for
        return {
            "errors": [],
            "for": uploads[0].key,
            "files": files,
            "json": json.dumps(files),
            "name": name,
            "marker": MARKER,
            "signature_name": name + SIGNATURE_SUFFIX,
            "signatures": [sign_grant(grant._replace(folder=folder)) for folder in folders],
            # The SHA-1s the browser stated, posted again, so the next submit reads no byte.
            "sha1_name": name + SHA1_SUFFIX,
            "sha1s": [f"{u.stated_sha1}:{u.key}" for u in uploads if u.stated_sha1],
        }

    def grant(
        self, store: Backend[Any], attrs: dict[str, Any], name: str, final: str = ""
    ) -> Grant:
        """A fresh grant into ``store`` for field ``name`` of an input with these ``attrs``:
        into the upload folder, or a new subfolder of ``final``, a folder files are saved in
        (``claim_folder()``).

        It is for field ``name`` only (the name the browser posts the keys under), posted to
        this request's view or one of ``posts_to``, and for the browser that asked for this
        page: bound to its CSRF secret, which ``get_token()`` makes sure it has (as
        ``{% csrf_token %}`` does). Rendered outside a request handled by
        ``S3FileMiddleware``, it is bound to no browser nor view, and refused.
        """
        # No more than the storage takes: the dev storage's limit is far below S3's.
        max_size = min(self.max_size or conf.get("S3FILE_MAX_SIZE"), store.max_size)
        request = REQUEST.get()
        if request is not None:
            get_token(request)
        prefix = store.upload_prefix(final)
        accept = attrs.get("accept", "")
        paths = offered_at(request, self.posts_to)
        return new_grant(
            prefix, max_size, accept, name, binding(request), paths, final=bool(final)
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        values = value if isinstance(value, list) else [value]
        uploads = [upload for upload in values if isinstance(upload, S3UploadedFile)]
        # For kept(): a bound form renders a file field with its initial value only
        # (FileField.bound_data), but reads the field's data (here) just before.
        self.received = (name, uploads)
        for upload in values:
            if not isinstance(upload, S3UploadedFile):
                if isinstance(upload, UploadedFile) and self.uploads_directly:
                    bytes_posted(name, str(upload.name))
                continue
            upload.checksum_wanted = upload.checksum_wanted or self.checksum
            # A grant from any page's input lets its holder upload; what this field takes is
            # decided here, whichever grant the file came with.
            if self.check_limits:
                upload.add_limit(
                    self.max_size or conf.get("S3FILE_MAX_SIZE"),
                    normal_accept(self.attrs.get("accept", "")),
                )
        return value

    def upload_attrs(
        self, attrs: dict[str, Any], name: str = "", folder: str = "", storage: Any = None
    ) -> dict[str, Any]:
        """The data attributes the script reads: where to POST, what to sign and check.

        The grant is fresh (``grant()``) for field ``name``. ``folder``: the storage folder
        the files are saved in (in ``storage``, the field's), if known; with ``S3FILE_CLAIM``
        they are uploaded into a new subfolder of it and claimed there when saved
        (``S3OptimizedUploadStorage``), else into the upload folder.
        """
        store = backend()
        if store is None:
            raise ImproperlyConfigured("s3file: the default storage takes no direct uploads")
        final = claim_folder(store, folder, storage)
        grant = self.grant(store, attrs, name, final)
        max_size = grant.max_size
        accept = attrs.get("accept", "")
        policy = upload_policy(grant, max_size, accept, self.checksum, final)
        return {
            "data-s3f-url": policy["url"],
            "data-s3f-fields": json.dumps(policy["fields"]),
            "data-s3f-signature": policy["token"],
            "data-s3f-max-size": max_size,
            "data-s3f-concurrency": policy["concurrency"],
            "data-s3f-messages": json.dumps(policy["messages"]),
            "data-s3f-checksum": policy["checksum"],
            "data-s3f-multipart": json.dumps(policy["multipart"]),
            "data-s3f-types": json.dumps(policy["types"]),
            # django-s3file 7.x marked its inputs so; templates written for it select them by it.
            "class": " ".join(dict.fromkeys([*str(attrs.get("class", "")).split(), "s3file"])),
        }


def upload_policy(
    grant: Grant, max_size: int, accept: str, checksum: bool, final: str = ""
) -> dict[str, Any]:
    """What the script needs to upload under ``grant`` (a rendered input carries it in its
    data attributes, the API hands it out as JSON): where to POST, what to sign and check.
    ``final``: the folder the files are claimed in (``S3FILE_CLAIM``), if any."""
    store = backend()
    if store is None:
        raise ImproperlyConfigured("s3file: the default storage takes no direct uploads")
    url, fields = store.presign_post(grant)
    threshold = conf.get("S3FILE_MULTIPART_THRESHOLD")
    if final and not conf.get("S3FILE_POST_TAGGING"):
        threshold = 1  # parts carry the pending tag, a POST could not (S3Backend)
    if not isinstance(store, MultipartBackend):
        threshold = 0  # the dev storage takes one POST of any size it allows, no parts
    multipart = {  # what the script needs to upload large files in parts (threshold 0: never)
        "url": get_script_prefix() + conf.get("S3FILE_ENDPOINT_PATH") + "multipart/",
        "threshold": threshold,
        "concurrency": conf.get("S3FILE_MULTIPART_CONCURRENCY"),
        "retries": conf.get("S3FILE_MULTIPART_RETRIES"),
    }
    return {
        "url": url,
        "fields": fields,
        "token": sign_grant(grant),
        "maxSize": max_size,
        "concurrency": conf.get("S3FILE_CONCURRENCY"),
        "messages": messages(max_size),
        "checksum": conf.get("S3FILE_CHECKSUM_MAX_SIZE") if checksum else 0,
        "multipart": multipart,
        "types": extension_types(accept),
    }


class S3FileInput(ClearableFileInput):
    """A clearable file input that always uploads directly, whatever the setting says.

    Use it on chosen fields with ``S3FILE_REPLACE_WIDGETS = False``. Its behaviour comes from
    ``S3FileInputMixin``, which ``install()`` below puts into ``ClearableFileInput``.
    """

    direct_upload = True


def install() -> None:
    """Put ``S3FileInputMixin`` into ``ClearableFileInput``'s bases, and have model file
    fields tell their inputs about themselves (``model_field``); a second call does nothing."""
    add_base(ClearableFileInput, S3FileInputMixin)
    formfield = models.FileField.formfield
    if getattr(formfield, INSTALLED, False):
        return

    @functools.wraps(formfield)
    def formfield_with_model_field(self: models.FileField, **kwargs: Any) -> Any:
        field = formfield(self, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, S3FileInputMixin) and widget.model_field is None:
            widget.model_field = self
        return field

    setattr(formfield_with_model_field, INSTALLED, True)
    setattr(models.FileField, "formfield", formfield_with_model_field)  # noqa: B010
