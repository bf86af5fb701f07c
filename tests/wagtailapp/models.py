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


class BrochurePage(Page):
    """A page with a file field of its own: its input renders in the page editor, whose
    preview panel posts the form to the preview view."""

    attachment = models.FileField(upload_to="brochures/", blank=True)
    #: A snippet chooser whose "create" tab has a file field.
    leaflet = models.ForeignKey(
        "wagtailapp.Leaflet", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("attachment"), FieldPanel("leaflet")]


class Leaflet(models.Model):
    """A snippet with a file field, whose chooser has a "create" tab (``wagtail_hooks``)."""

    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="leaflets/")

    def __str__(self) -> str:
        return self.title
