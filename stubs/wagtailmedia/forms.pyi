from typing import Any

from django import forms

class BaseMediaForm(forms.ModelForm[Any]): ...
