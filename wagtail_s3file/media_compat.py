"""Every name of wagtailmedia's that ``wagtail_s3file.media`` uses, in one place.

Imported only when ``"wagtailmedia"`` is installed. Written against wagtailmedia 0.19;
when a release moves one of these, this is the file to change.

Documented by wagtailmedia:

- the ``WAGTAILMEDIA`` setting and its ``MEDIA_FORM_BASE`` key: the base form its add, edit
  and chooser upload views build their form on (``wagtailmedia.forms.get_media_form``);
- ``wagtailmedia.forms.BaseMediaForm``: the base form of its own, which such a form extends;
- the model's file fields, ``file`` (the audio or video) and ``thumbnail``.

Internal (not documented as public):

- ``wagtailmedia.settings.wagtailmedia_settings.reload()``: wagtailmedia caches its settings
  on first read; ``reload()`` is what its own ``setting_changed`` receiver calls.
"""

from __future__ import annotations

from wagtailmedia.forms import BaseMediaForm

__all__ = ["BaseMediaForm", "FILE_FIELDS", "FORM_BASE_KEY", "SETTING", "reload_settings"]

#: The project setting wagtailmedia reads, a dict.
SETTING = "WAGTAILMEDIA"
#: Its key naming the media form's base class (dotted path).
FORM_BASE_KEY = "MEDIA_FORM_BASE"
#: The media model's file fields, as wagtailmedia's forms name them.
FILE_FIELDS = ("file", "thumbnail")


def reload_settings() -> None:
    """Have wagtailmedia read ``settings.WAGTAILMEDIA`` again (it caches what it read)."""
    from wagtailmedia.settings import wagtailmedia_settings

    wagtailmedia_settings.reload()
