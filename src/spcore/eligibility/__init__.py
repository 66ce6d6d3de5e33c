"""spcore.eligibility."""
