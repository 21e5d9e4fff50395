"""Models of the register area (filled in by that area's issue)."""
