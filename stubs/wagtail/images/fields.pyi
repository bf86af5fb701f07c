from typing import Any

from django import forms

class WagtailImageField(forms.ImageField):
    max_upload_size: int | None
    def check_image_pixel_size(self, f: Any) -> None: ...
