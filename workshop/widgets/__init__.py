"""Self-contained widgets."""
