from __future__ import annotations

from django.db import models


class Record(models.Model):
    """What the API tests create: a file and an image, both uploaded directly."""

    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="records/")
    image = models.ImageField(upload_to="records/images/", blank=True)
