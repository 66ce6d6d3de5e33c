"""spcore.framework."""
