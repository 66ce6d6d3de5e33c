"""spcore: the Common Outcomes Framework for social prescribing, as a library."""

from spcore._version import __version__

__all__ = ["__version__"]
