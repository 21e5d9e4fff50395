"""Distances and a small grid index for grouping nearby locations on one inspection day."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

EARTH_RADIUS_KM = 6371.0088
#: One degree of latitude in km; longitude degrees shrink with cos(latitude).
KM_PER_DEGREE_LAT = 111.32


def approx_km(lat1: float, lon1: float, lat2: float, lon2: float, cos_lat: float) -> float:
    """Equirectangular distance: within a few tens of km it ranks like haversine, without trigonometry."""
    dy = (lat2 - lat1) * KM_PER_DEGREE_LAT
    dx = (lon2 - lon1) * KM_PER_DEGREE_LAT * cos_lat
    return math.sqrt(dx * dx + dy * dy)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; plenty accurate for the few tens of km inside a region."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex:
    """Buckets points in square cells of about *cell_km*; neighbours are looked up in the 3x3 cells around.

    A removal is O(1), so the planner can take locations out as it assigns them. Lookups are
    approximate on purpose (cells, not a true radius); the caller filters by real distance.
    """

    def __init__(self, cell_km: float, reference_lat: float = 52.8) -> None:
        if cell_km <= 0:
            raise ValueError("cell_km must be positive")
        self.cell_km = cell_km
        self._dlat = cell_km / KM_PER_DEGREE_LAT
        self._dlon = cell_km / (KM_PER_DEGREE_LAT * max(0.1, math.cos(math.radians(reference_lat))))
        self._cells: defaultdict[tuple[int, int], set[int]] = defaultdict(set)
        self._where: dict[int, tuple[int, int]] = {}

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self._dlat), math.floor(lon / self._dlon))

    def add(self, key: int, lat: float, lon: float) -> None:
        cell = self._cell(lat, lon)
        self._cells[cell].add(key)
        self._where[key] = cell

    def add_all(self, items: Iterable[tuple[int, float, float]]) -> None:
        for key, lat, lon in items:
            self.add(key, lat, lon)

    def discard(self, key: int) -> None:
        cell = self._where.pop(key, None)
        if cell is not None:
            bucket = self._cells[cell]
            bucket.discard(key)
            if not bucket:
                del self._cells[cell]

    def near(self, lat: float, lon: float) -> Iterator[int]:
        """Keys in the cell of (lat, lon) and its eight neighbours."""
        ci, cj = self._cell(lat, lon)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                bucket = self._cells.get((ci + di, cj + dj))
                if bucket:
                    yield from bucket

    def ring(self, lat: float, lon: float, r: int) -> Iterator[int]:
        """Keys in the cells at Chebyshev distance exactly *r* (in cells) from the cell of (lat, lon)."""
        ci, cj = self._cell(lat, lon)
        if r == 0:
            yield from self._cells.get((ci, cj), ())
            return
        for dj in range(-r, r + 1):
            yield from self._cells.get((ci - r, cj + dj), ())
            yield from self._cells.get((ci + r, cj + dj), ())
        for di in range(-r + 1, r):
            yield from self._cells.get((ci + di, cj - r), ())
            yield from self._cells.get((ci + di, cj + r), ())

    def __len__(self) -> int:
        return len(self._where)
