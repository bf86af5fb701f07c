"""A model with files for the Django admin, and a Wagtail page with an image, a document and
a video (wagtailmedia)."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtailmedia.edit_handlers import MediaChooserPanel


class Report(models.Model):
    """Plain model fields: each gets s3file's input in the admin and in any model form."""

    title = models.CharField(max_length=200)
    document = models.FileField(upload_to="reports/")
    cover = models.ImageField(upload_to="covers/", blank=True)
    # Limited in the admin and on the demo form (their widgets), to see refusals.
    summary = models.FileField(
        upload_to="summaries/",
        blank=True,
        help_text="PDF only: a file of another type is refused.",
    )
    excerpt = models.FileField(
        upload_to="excerpts/", blank=True, help_text="At most 1 MB: a larger file is refused."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """Edited inline on its report, so new rows (and their inputs) appear after page load."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/")
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.file.name


class DemoPage(Page):
    """A page with an image, a document and a video chooser, and rich text (which embeds the
    first two)."""

    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video = models.ForeignKey(
        "wagtailmedia.Media", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("image"),
        FieldPanel("document"),
        MediaChooserPanel("video", media_type="video"),
        FieldPanel("body"),
    ]
