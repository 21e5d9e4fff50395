"""Models of the inspections area (filled in by that area's issue)."""
