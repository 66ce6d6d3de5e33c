"""The optional libraries of the evaluation report, and the message when one is missing."""

from __future__ import annotations

import importlib
from typing import Any


class MissingExtraError(ImportError):
    """A library of ``spcore[report]`` is not installed."""


def require(module: str) -> Any:
    """Import ``module`` (pandas, matplotlib), or raise :class:`MissingExtraError` saying how."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{module} is needed for this and is not installed; install the report extra: "
            "pip install 'spcore[report]'"
        ) from None
