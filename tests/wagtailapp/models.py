"""A page with an image, a document and rich text: the fields whose choosers upload."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    image = models.ForeignKey(
        "wagtailimages.Image", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("image"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
