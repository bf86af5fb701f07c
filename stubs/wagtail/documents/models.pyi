from typing import Any, ClassVar

from django.db import models
from django.db.models.fields.files import FieldFile

class AbstractDocument(models.Model):
    file: FieldFile
    file_hash: str
    objects: ClassVar[models.Manager[Any]]
    def _set_file_hash(self) -> None: ...

    class Meta:
        abstract = True
