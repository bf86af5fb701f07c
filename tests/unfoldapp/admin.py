from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from .models import Dossier, Enclosure


class EnclosureInline(TabularInline):
    model = Enclosure
    extra = 1


@admin.register(Dossier)
class DossierAdmin(ModelAdmin):
    list_display = ["title", "document", "photo"]
    inlines = [EnclosureInline]
