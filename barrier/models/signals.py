"""Models of the signals area (filled in by that area's issue)."""
