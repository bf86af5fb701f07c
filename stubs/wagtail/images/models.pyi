from typing import Any, ClassVar

from django.db import models
from django.db.models.fields.files import ImageFieldFile

class WagtailImageFieldFile(ImageFieldFile):
    def get_image_dimensions(self) -> Any: ...

class AbstractImage(models.Model):
    file: WagtailImageFieldFile
    file_hash: str
    objects: ClassVar[models.Manager[Any]]
    def _set_file_hash(self) -> None: ...
    def get_upload_to(self, filename: str) -> str: ...

    class Meta:
        abstract = True
