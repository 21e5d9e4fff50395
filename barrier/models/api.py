"""Models of the api area (filled in by that area's issue)."""
