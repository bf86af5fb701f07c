from typing import Any

class WagtailMediaSettings:
    def __getattr__(self, name: str) -> Any: ...
    def reload(self) -> None: ...

wagtailmedia_settings: WagtailMediaSettings
