"""Wagtail hooks: the upload scripts on every admin page, for forms and chooser modals."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks

from .widgets import DirectFileInput


@hooks.register("insert_global_admin_js")
def upload_scripts() -> SafeString | str:
    """s3file.js (under the URL the inputs' media use, so it loads once) and the admin's
    progress bars and errors; on every page, since chooser modals bring no media of theirs."""
    if not DirectFileInput().uploads_directly:
        return ""
    return format_html(
        '<script type="module" src="{}"></script><script type="module" src="{}"></script>',
        static("s3file/js/s3file.js"),
        static("wagtail_s3file/js/admin.js"),
    )
