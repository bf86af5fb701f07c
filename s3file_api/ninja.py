"""django-ninja: the schema type of a direct upload's value, and the check that turns one
into the file a model field saves::

    class DocumentIn(Schema):
        title: str
        file: UploadValue

    @api.post("/documents")
    def create(request, payload: DocumentIn):
        file = upload(payload.file, "library.Document.file", request, "file")
        return Document.objects.create(title=payload.title, file=file)
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja.errors import ValidationError
from pydantic import Field

from s3file.api import uploaded_file
from s3file.files import S3UploadedFile

#: A direct upload's value, as the clients return it: ``<token>/<key>``.
UploadValue = Annotated[
    str,
    Field(
        description="The value of a direct upload: ask the grant endpoint for a grant for "
        "this API field, upload the file to storage with it, then send `<token>/<key>`.",
        examples=["eyJ...:1wXyz:AbC.../tmp/s3file/4f2a.../9c1d.../report.pdf"],
        min_length=1,
        max_length=4096,
    ),
]


def upload(value: str, field: str, request: HttpRequest, name: str = "file") -> S3UploadedFile:
    """The upload ``value`` names for API field ``field`` and the request's user (what
    ninja's authentication returned, if a user, else ``request.user``), checked as a form
    checks a posted key; else django-ninja's ``ValidationError`` (a 422 naming the body's
    field ``name``, with the reason's code as its type)."""
    user = getattr(request, "auth", None)
    if not hasattr(user, "is_authenticated"):
        user = getattr(request, "user", None)
    try:
        return uploaded_file(value, field, user, request)
    except DjangoValidationError as e:
        error = {"loc": ["body", "payload", name], "msg": " ".join(e.messages), "type": e.code}
        raise ValidationError([error]) from e
