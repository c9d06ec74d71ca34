"""Models of travel/ (built by its own issue)."""
