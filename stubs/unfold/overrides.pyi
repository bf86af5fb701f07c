from typing import Any

from django.db import models

# A model field's class -> the formfield() arguments Unfold's ModelAdmins and inlines use.
FORMFIELD_OVERRIDES: dict[type[models.Field[Any, Any]], dict[str, Any]]
FORMFIELD_OVERRIDES_INLINE: dict[type[models.Field[Any, Any]], dict[str, Any]]
