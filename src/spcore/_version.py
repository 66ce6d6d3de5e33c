"""The package version (also the version of the published standard's schemas)."""

__version__ = "0.1.0"
