"""spcore.rag."""
