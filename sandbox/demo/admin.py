"""Nothing special: s3file's input appears in the admin because the app and middleware are on."""

from __future__ import annotations

from django.contrib import admin

from .models import Attachment, Report


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 1


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "document", "cover", "created"]
    inlines = [AttachmentInline]
