"""WTForms form classes, one module per area. Imports nothing of ``barrier`` (DESIGN.md layers)."""
