"""Types of the compiled module built from ``_check.c`` (see :mod:`spcore.schemas.program`)."""

from collections.abc import Callable
from typing import Any

class Check:
    """``check(document)``: True when the walk proves it valid, else ``otherwise(document)``."""

    def __init__(
        self, program: tuple[Any, ...], otherwise: Callable[[Any], bool] | None = None
    ) -> None: ...
    def __call__(self, document: Any, /) -> bool: ...
