from collections.abc import Callable
from typing import Any, TypeVar, overload

_F = TypeVar("_F", bound=Callable[..., Any])

@overload
def register(hook_name: str, fn: None = None, order: int = 0) -> Callable[[_F], _F]: ...
@overload
def register(hook_name: str, fn: _F, order: int = 0) -> _F: ...
