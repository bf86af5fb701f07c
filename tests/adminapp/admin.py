from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from s3file_admin.widgets import S3AdminFileWidget

from .models import Report, ReportAttachment


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 1


class AttachForm(forms.Form):
    """An admin action's intermediate form; its own widget, as ``formfield_overrides``
    do not reach forms the action builds itself."""

    file = forms.FileField(widget=S3AdminFileWidget)
    note = forms.CharField(required=False)


@admin.action(description="Attach a file")
def attach_file(modeladmin, request, queryset):
    form = AttachForm(request.POST if "apply" in request.POST else None, request.FILES or None)
    if form.is_valid():
        for report in queryset:
            report.attachments.create(**form.cleaned_data)
        modeladmin.message_user(request, f"Attached {form.cleaned_data['file'].name}.")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Attach a file",
        "opts": modeladmin.model._meta,
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "adminapp/attach_file.html", context)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "document", "cover"]
    inlines = [ReportAttachmentInline]
    actions = [attach_file]
