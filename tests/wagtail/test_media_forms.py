"""wagtailmedia's media form uploads its file and thumbnail directly; the check; the
optional import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from wagtailmedia.forms import BaseMediaForm, get_media_base_form, get_media_form
from wagtailmedia.models import Media
from wagtailmedia.settings import wagtailmedia_settings

from s3file.forms import S3FileInput
from tests.wagtail.test_forms import attributes
from wagtail_s3file import media
from wagtail_s3file.media import S3MediaForm, S3MediaFormMixin, check_media_form_base
from wagtail_s3file.widgets import DirectFileInput

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


class PlainMediaForm(BaseMediaForm):
    """A project's own base form that forgot the mixin."""


class ProjectMediaForm(S3MediaFormMixin, BaseMediaForm):
    """A project's own base form, done right."""


class LimitedMediaForm(S3MediaFormMixin, BaseMediaForm):
    """A project's own base form with a widget of its own for the file."""

    class Meta(BaseMediaForm.Meta):
        widgets = {**BaseMediaForm.Meta.widgets, "file": S3FileInput(max_size=123)}


def media_form(media_type: str = "video", **kwargs):
    return get_media_form(Media)(instance=Media(type=media_type), **kwargs)


def test_installing_wagtailmedia_makes_our_form_its_base_form():
    assert django_settings.WAGTAILMEDIA["MEDIA_FORM_BASE"] == media.FORM_BASE
    assert get_media_base_form() is S3MediaForm


def test_video_file_uploads_directly_with_wagtailmedias_accept_list():
    form = media_form("video")
    attrs = attributes(str(form["file"]))

    assert isinstance(form.fields["file"].widget, DirectFileInput)
    assert attrs["accept"] == ",".join(f".{ext}" for ext in wagtailmedia_settings.VIDEO_EXTENSIONS)
    assert "data-s3f-url" in attrs
    # The browser does not read the whole video to hash it.
    assert attrs["data-s3f-checksum"] == "0"
    # The dev storage takes one POST of any size it allows: parts only go to S3.
    assert json.loads(attrs["data-s3f-multipart"])["threshold"] == 0


def test_audio_form_keeps_wagtailmedias_fields():
    form = media_form("audio")
    attrs = attributes(str(form["file"]))

    assert "width" not in form.fields and "height" not in form.fields
    assert attrs["accept"].split(",") == [
        f".{ext}" for ext in wagtailmedia_settings.AUDIO_EXTENSIONS
    ]
    assert "data-s3f-url" in attrs


def test_thumbnail_stays_clearable_and_uploads_directly_whatever_the_setting(settings):
    settings.S3FILE_REPLACE_WIDGETS = False
    form = media_form("video")
    widget = form.fields["thumbnail"].widget

    assert widget.direct_upload is True
    assert widget.uploads_directly
    assert "data-s3f-url" in attributes(str(form["thumbnail"]))
    # The form class's widget is untouched: the next form starts from wagtailmedia's own.
    assert type(form).base_fields["thumbnail"].widget.direct_upload is None


def test_chooser_upload_forms_upload_directly():
    form = media_form("video", prefix="media-chooser-upload")
    attrs = attributes(str(form["file"]))
    assert attrs["name"] == "media-chooser-upload-file"
    assert "data-s3f-url" in attrs


def test_a_projects_direct_upload_widget_is_kept(settings):
    settings.WAGTAILMEDIA = {"MEDIA_FORM_BASE": f"{__name__}.LimitedMediaForm"}
    form = media_form()
    assert type(form.fields["file"].widget) is S3FileInput
    assert attributes(str(form["file"]))["data-s3f-max-size"] == "123"


def test_a_projects_own_form_base_wins_and_the_check_says_it_lacks_the_mixin(settings):
    path = f"{__name__}.PlainMediaForm"
    settings.WAGTAILMEDIA = {"MEDIA_FORM_BASE": path}
    media.install()  # as at start-up: the project's setting is left alone

    assert {"MEDIA_FORM_BASE": path} == settings.WAGTAILMEDIA
    assert get_media_base_form() is PlainMediaForm
    (warning,) = check_media_form_base()
    assert warning.id == "wagtail_s3file.W101"
    assert path in warning.msg
    assert "S3MediaFormMixin" in warning.hint


def test_a_projects_form_base_with_the_mixin_passes_the_check(settings):
    settings.WAGTAILMEDIA = {"MEDIA_FORM_BASE": f"{__name__}.ProjectMediaForm"}
    assert check_media_form_base() == []
    assert get_media_base_form() is ProjectMediaForm
    assert "data-s3f-url" in attributes(str(media_form()["file"]))


def test_our_form_passes_the_check():
    assert check_media_form_base() == []


def test_install_keeps_the_projects_other_wagtailmedia_settings_and_reloads_them(settings):
    settings.WAGTAILMEDIA = {"VIDEO_EXTENSIONS": ["mp4"]}
    assert wagtailmedia_settings.MEDIA_FORM_BASE == ""  # wagtailmedia has read (and cached) it

    media.install()

    assert settings.WAGTAILMEDIA == {
        "VIDEO_EXTENSIONS": ["mp4"],
        "MEDIA_FORM_BASE": media.FORM_BASE,
    }
    assert get_media_base_form() is S3MediaForm
    assert attributes(str(media_form()["file"]))["accept"] == ".mp4"


def test_without_wagtailmedia_nothing_imports_it(tmp_path):
    (tmp_path / "settings_without_media.py").write_text(
        textwrap.dedent(
            """
            from tests.settings import *

            INSTALLED_APPS = [
                app for app in INSTALLED_APPS if app not in {"wagtailmedia", "tests.mediaapp"}
            ]
            """
        )
    )
    script = textwrap.dedent(
        """
        import sys
        import django
        from django.core.management import call_command

        django.setup()
        call_command("check", fail_level="WARNING")  # loads the URLs and the admin's hooks
        from django.conf import settings
        print([m for m in sys.modules if m.startswith(("wagtailmedia", "wagtail_s3file.media"))])
        print(hasattr(settings, "WAGTAILMEDIA"))
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings_without_media",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    *_, modules, has_setting = run.stdout.strip().splitlines()
    assert (modules, has_setting) == ("[]", "False")
