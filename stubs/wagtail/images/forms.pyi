from typing import Any

from django import forms

# Wagtail's BaseCollectionMemberForm is a WagtailAdminModelForm, a ModelForm.
class BaseImageForm(forms.ModelForm[Any]): ...
