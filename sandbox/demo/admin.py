"""Nothing special: s3file's input appears in the admin because the app and middleware are on.

Two fields have limits (a type, a size) given to their widgets, to see the admin refuse a file.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from s3file_admin.widgets import S3AdminFileWidget

from .models import Attachment, Report


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 1


class ReportAdminForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = "__all__"
        widgets = {
            "summary": S3AdminFileWidget(attrs={"accept": ".pdf"}),
            "excerpt": S3AdminFileWidget(max_size=1024**2),
        }


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    form = ReportAdminForm
    list_display = ["title", "document", "cover", "created"]
    inlines = [AttachmentInline]
