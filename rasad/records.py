"""Typed records mirroring shared/schema/SCHEMA.md.

Frozen where they are values (spans, evidence); the event record stays mutable because the
assembler fills it in stages. ``to_dict`` gives exactly the SCHEMA JSON: optional fields that
are unset are left out, so the output stays small and the scorer reads it unchanged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class Evidence:
    """Character offsets into the original article text that support one coded field."""

    field: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Article:
    """One input article. ``published`` anchors every relative date in the text."""

    id: str
    text: str
    published: dt.datetime | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None

    @property
    def published_date(self) -> dt.date | None:
        return self.published.date() if self.published else None


@dataclass(slots=True)
class Location:
    name: str | None = None
    name_ar: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int = 3
    sublocation_ar: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "name_ar": self.name_ar,
                               "lat": self.lat, "lon": self.lon,
                               "geo_precision": self.geo_precision}
        if self.sublocation_ar:
            out["sublocation_ar"] = self.sublocation_ar
        return out


@dataclass(slots=True)
class Event:
    """One incident, coded as ACLED codes it: one day, place, sub-event type and dyad."""

    event_type: str
    sub_event_type: str
    date: str | None = None
    date_precision: int | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: Location = field(default_factory=Location)
    actor1: str | None = None
    actor2: str | None = None
    assoc_actors: list[str] = field(default_factory=list)
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    fatalities_basis: str | None = None
    killed: dict[str, int] = field(default_factory=dict)
    civilians_killed: int | None = None
    women_killed: int | None = None
    children_killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    background: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float | None = None
    link_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "event_type": self.event_type, "sub_event_type": self.sub_event_type,
            "date": self.date, "date_precision": self.date_precision,
            "country": self.country, "admin1": self.admin1, "admin2": self.admin2,
            "location": self.location.to_dict(), "actor1": self.actor1,
            "actor2": self.actor2, "assoc_actors": list(self.assoc_actors),
            "fatalities": self.fatalities,
        }
        optional = {
            "fatalities_low": self.fatalities_low, "fatalities_high": self.fatalities_high,
            "fatalities_basis": self.fatalities_basis,
            "killed": dict(self.killed) or None,
            "civilians_killed": self.civilians_killed, "women_killed": self.women_killed,
            "children_killed": self.children_killed,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        out["injured"] = self.injured
        out["arrested"] = self.arrested
        if self.background:
            out["background"] = True
        out["evidence"] = [e.to_dict() for e in self.evidence]
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        if self.link_id is not None:
            out["link_id"] = self.link_id
        return out


@dataclass(slots=True)
class Statistic:
    """A cumulative tally the article reports; never an incident."""

    metric: str
    value: int
    period_start: str | None = None
    period_end: str | None = None
    country: str | None = None
    region: str | None = None
    perpetrator: str | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    source_org: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"metric": self.metric, "value": self.value,
                               "period_start": self.period_start,
                               "period_end": self.period_end}
        for key in ("country", "region", "perpetrator", "source_org"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.breakdown:
            out["breakdown"] = dict(self.breakdown)
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(slots=True)
class Result:
    """Everything extracted from one article."""

    id: str
    events: list[Event] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    text: str | None = None

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id,
                               "events": [e.to_dict() for e in self.events],
                               "statistics": [s.to_dict() for s in self.statistics]}
        if include_text and self.text is not None:
            out["text"] = self.text
        return out


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or ISO text ("2023-03-10", "2023-03-10T08:00");
    None for nothing. Raises ValueError on other text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
