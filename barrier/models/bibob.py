"""Models of the bibob area (filled in by that area's issue)."""
