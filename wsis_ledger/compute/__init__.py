"""compute layer."""
