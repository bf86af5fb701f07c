"""Where ``wagtail_s3file`` touches Wagtail, and what it does when a Wagtail release moved it.

Wagtail moves its internals between releases. ``tests/wagtail/test_compat.py`` lists every
Wagtail name this app imports, wraps or calls, each attribute it reads off Wagtail's form
fields, and each Wagtail template it extends or relies on, with what depends on each, and
checks them against the installed Wagtail (the CI matrix runs it on 7.4 LTS and 8.x). At run
time only the parts that would otherwise stop start-up look before they leap: a method this
Wagtail lacks is left unwrapped (``wrap``), a base form that moved leaves Wagtail's own forms
in place (``set_default_form_bases``); either way Wagtail does that part itself.

Only public, documented names where Wagtail offers one: ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
``WAGTAILDOCS_DOCUMENT_FORM_BASE``, ``register_form_field_override``, the
``insert_global_admin_js`` hook, ``check_image_pixel_size`` and ``get_image_dimensions``
(which Wagtail made a method "to make it easier to override"). The two private ones are
``_set_file_hash`` of images and documents: Wagtail offers no other place to give it a hash.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from typing import Any

from django.conf import settings

#: Marks a method of Wagtail's that ``wrap()`` has wrapped (so a second call does nothing).
WRAPPED = "wagtail_s3file"

#: Wagtail's settings that say which form its images and documents use, and our default for
#: each: set at start-up (``set_default_form_bases()``) only where the project sets none.
FORM_BASES = {
    "WAGTAILIMAGES_IMAGE_FORM_BASE": "wagtail_s3file.forms.S3ImageForm",
    "WAGTAILDOCS_DOCUMENT_FORM_BASE": "wagtail_s3file.forms.S3DocumentForm",
}

#: Wagtail's settings we read as Wagtail does (its defaults live in Wagtail's code).
SETTINGS_READ = ("WAGTAILDOCS_EXTENSIONS",)


def wagtail_setting(name: str) -> Any:
    """One of ``SETTINGS_READ``, as Wagtail reads it (None when unset)."""
    return getattr(settings, name, None)


def find(module: str, attribute: str) -> Any:
    """Wagtail's ``module.attribute`` (a dotted path in the module), or None if this Wagtail
    has no such name."""
    try:
        found: Any = importlib.import_module(module)
    except ImportError:
        return None
    for part in attribute.split("."):
        found = inspect.getattr_static(found, part, None)
        if found is None:
            return None
    return found


def set_default_form_bases() -> None:
    """Make our forms Wagtail's image and document base forms, so that adding the app is
    enough; a project's own value of either setting (even ``""``, Wagtail's own form) wins,
    and the check ``wagtail_s3file.W001``/``W002`` says if its form lacks our mixin."""
    try:
        from . import forms  # noqa: F401  (it subclasses Wagtail's base forms)
    except ImportError:
        return  # a Wagtail release moved them: Wagtail's own forms stay
    for setting, form in FORM_BASES.items():
        if not hasattr(settings, setting):
            setattr(settings, setting, form)


def wrap(module: str, attribute: str, wrapper: Callable[..., Any]) -> bool:
    """Replace Wagtail's method ``module.Class.method`` with one calling
    ``wrapper(original, self, *args)``.

    False (and nothing wrapped) if this Wagtail has no such method; wrapping again does
    nothing, so the original below stays Wagtail's own.
    """
    owner_path, _, method = attribute.rpartition(".")
    owner = find(module, owner_path)
    original = inspect.getattr_static(owner, method, None) if isinstance(owner, type) else None
    if not inspect.isfunction(original):
        return False
    if getattr(original, WRAPPED, False):
        return True

    @functools.wraps(original)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        return wrapper(original, self, *args, **kwargs)

    setattr(wrapped, WRAPPED, True)
    setattr(owner, method, wrapped)
    return True
