"""A page with a wagtailmedia video: the field whose chooser uploads."""

from __future__ import annotations

from django.db import models
from wagtail.models import Page
from wagtailmedia.edit_handlers import MediaChooserPanel


class VideoPage(Page):
    video = models.ForeignKey(
        "wagtailmedia.Media", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    content_panels = [*Page.content_panels, MediaChooserPanel("video", media_type="video")]
