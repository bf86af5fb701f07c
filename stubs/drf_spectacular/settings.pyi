from typing import Any

spectacular_settings: Any
