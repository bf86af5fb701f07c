from typing import Any

from django import forms

class BaseDocumentForm(forms.ModelForm[Any]): ...
