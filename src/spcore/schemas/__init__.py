"""spcore.schemas."""
