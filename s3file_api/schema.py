"""drf-spectacular's description of ``drf.S3UploadField``: a request sends the upload's
value (a string), a response holds the file's URL (described apart with drf-spectacular's
``COMPONENT_SPLIT_REQUEST``, which its documentation advises for files)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.settings import spectacular_settings

from s3file import conf

DESCRIPTION = (
    "The value of a direct upload: ask `{grant}` for a grant for API field `{target}`, "
    "upload the file to storage with it, then send `<token>/<key>`."
)


class S3UploadFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "s3file_api.drf.S3UploadField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        # One component for both directions unless COMPONENT_SPLIT_REQUEST is on.
        split = spectacular_settings.COMPONENT_SPLIT_REQUEST
        if direction == "response" and split:
            return {"type": "string", "format": "uri"}
        grant = "/" + conf.get("S3FILE_ENDPOINT_PATH") + "grant/"
        field = self.target
        text = DESCRIPTION.format(grant=grant, target=field.target or "")
        if not split:
            text += " Read, it is the file's URL."
        schema: dict[str, Any] = {"type": "string", "description": text}
        if field.raw_allowed():
            schema = {"oneOf": [schema, {"type": "string", "format": "binary"}]}
        return schema
