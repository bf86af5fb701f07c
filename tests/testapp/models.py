from __future__ import annotations

from django.db import models


class Document(models.Model):
    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="documents/")

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    document = models.ForeignKey(Document, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/")


def scan_name(instance: Scan, filename: str) -> str:
    """A callable ``upload_to``: the folder is known only when the file is saved."""
    return f"scans/{filename}"


class Scan(models.Model):
    file = models.FileField(upload_to=scan_name)
