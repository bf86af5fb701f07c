"""The models of the final-POST benchmark (``claim.py``): a file field whose ``upload_to`` is
a folder, and one whose ``upload_to`` is a function."""

from __future__ import annotations

from django.db import models


class Doc(models.Model):
    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="docs/")


def dated_name(instance: Dated, filename: str) -> str:
    """A callable ``upload_to``: the page cannot know the folder, so the upload is copied."""
    return f"dated/{filename}"


class Dated(models.Model):
    title = models.CharField(max_length=100)
    file = models.FileField(upload_to=dated_name)
