from __future__ import annotations

from django.db import models


class Report(models.Model):
    title = models.CharField(max_length=100)
    document = models.FileField(upload_to="reports/documents/")
    cover = models.ImageField(upload_to="reports/covers/", blank=True)

    def __str__(self) -> str:
        return self.title


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/attachments/")
    note = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.file.name
