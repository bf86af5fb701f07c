from __future__ import annotations

from django.contrib import admin

from .models import Report, ReportAttachment


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 1


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "document", "cover"]
    inlines = [ReportAttachmentInline]
