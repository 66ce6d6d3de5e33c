"""The package version, and the version of the standard its schemas publish."""

__version__ = "0.2.0"

#: Version of the standard (the schemas' ``$id``s and ``standard_version``):
#: major.minor of the package. A breaking schema change bumps it.
STANDARD_VERSION = "0.2"
