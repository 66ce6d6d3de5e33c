"""spcore.validation."""
