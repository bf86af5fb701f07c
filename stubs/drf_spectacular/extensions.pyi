from typing import Any, ClassVar

class OpenApiSerializerFieldExtension:
    target_class: ClassVar[str | type[Any]]
    match_subclasses: ClassVar[bool]
    target: Any
    def __init__(self, target: Any) -> None: ...
    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any: ...
