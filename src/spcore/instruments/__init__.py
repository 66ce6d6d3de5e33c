"""spcore.instruments."""
