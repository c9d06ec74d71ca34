"""Models of attendance/ (built by its own issue)."""
