"""The file input that uploads straight to storage, and its installation into Django's own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.forms.widgets import ClearableFileInput, Media, Script
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix
from django.utils.translation import gettext

from . import conf
from .backends import backend
from .compat import add_base
from .files import S3UploadedFile
from .middleware import REQUEST, middleware_installed
from .rules import Grant, binding, extension_types, new_grant, normal_accept, sign_grant


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

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        direct_upload: bool | None = None,
        max_size: int | None = None,
        checksum: bool | None = None,
    ) -> None:
        options = {"direct_upload": direct_upload, "max_size": max_size, "checksum": checksum}
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
        if self.uploads_directly:  # (the stubs miss that Media takes Script objects)
            media += Media(js=[Script("s3file/js/s3file.js", type="module")])  # type: ignore[list-item]
        return media

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.uploads_directly:
            attrs = context["widget"]["attrs"]
            attrs.update(self.upload_attrs(attrs, name))
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        for upload in value if isinstance(value, list) else [value]:
            if not isinstance(upload, S3UploadedFile):
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

    def upload_attrs(self, attrs: dict[str, Any], name: str = "") -> dict[str, Any]:
        """The data attributes the script reads: where to POST, what to sign and check.

        The grant is for field ``name`` only (the name the browser posts the keys under), and
        for the browser that asked for this page: bound to its CSRF secret, which
        ``get_token()`` makes sure it has (as ``{% csrf_token %}`` does). Rendered outside a
        request handled by ``S3FileMiddleware``, it is bound to no browser, and refused.
        """
        store = backend()
        if store is None:
            raise ImproperlyConfigured("s3file: the default storage takes no direct uploads")
        max_size = self.max_size or conf.get("S3FILE_MAX_SIZE")
        request = REQUEST.get()
        if request is not None:
            get_token(request)
        accept = attrs.get("accept", "")
        grant = new_grant(store.upload_prefix(), max_size, accept, name, binding(request))
        policy = upload_policy(grant, max_size, accept, self.checksum)
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


def upload_policy(grant: Grant, max_size: int, accept: str, checksum: bool) -> dict[str, Any]:
    """What the script needs to upload under ``grant`` (a rendered input carries it in its
    data attributes, the API hands it out as JSON): where to POST, what to sign and check."""
    store = backend()
    if store is None:
        raise ImproperlyConfigured("s3file: the default storage takes no direct uploads")
    url, fields = store.presign_post(grant)
    multipart = {  # what the script needs to upload large files in parts (threshold 0: never)
        "url": get_script_prefix() + conf.get("S3FILE_ENDPOINT_PATH") + "multipart/",
        "threshold": conf.get("S3FILE_MULTIPART_THRESHOLD"),
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
    """Put ``S3FileInputMixin`` into ``ClearableFileInput``'s bases; a second call does nothing."""
    add_base(ClearableFileInput, S3FileInputMixin)
