"""Models of assets/ (built by its own issue)."""
