from __future__ import annotations

from django.db import models


class Dossier(models.Model):
    title = models.CharField(max_length=100)
    document = models.FileField(upload_to="dossiers/documents/")
    photo = models.ImageField(upload_to="dossiers/photos/", blank=True)

    def __str__(self) -> str:
        return self.title


class Enclosure(models.Model):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="enclosures")
    file = models.FileField(upload_to="dossiers/enclosures/")
    scan = models.ImageField(upload_to="dossiers/scans/", blank=True)
    note = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.file.name
