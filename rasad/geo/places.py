"""The geocoder's values: a gazetteer place and a place mention found in a text.

Both are frozen so that they can be cached, shared between threads and pickled to worker
processes unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

FEATURES = ("settlement", "admin1", "admin2", "admin3", "country", "sublocation")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``admin1``/``admin2`` are GeoNames-style English names."""

    id: str
    name: str
    name_ar: str
    country: str
    admin1: str | None
    admin2: str | None
    lat: float | None              # None for a settlement named but not in the gazetteer
    lon: float | None
    feature: str
    population: int


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class PlaceMention:
    """A place named in a text; ``start``/``end`` index the normalised text.

    ``precision`` follows ACLED: 1 the settlement itself, 2 near it or part of a district,
    3 only the governorate (or country) is known.
    """

    start: int
    end: int
    text: str
    place: Place | None
    precision: int
    sublocation_ar: str | None = None
    cue: str | None = None
    direction: str | None = None
    candidates: int = 1
