"""Signal catalogue and Drenthe meldroute (domain.md §4, §5)."""
