"""Conversions between SCHEMA records and store rows, and the stable event key.

An event's key is ``<article id>:<signature>``, the signature a short hash of what identifies
the incident in that article (type, date, country, place, the two sides). Re-extracting an
article that yields the same incident gives the same key, so reviews keyed by it reattach; the
ordinal (position in the article) is kept only for display order.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from rasad.errors import StoreError
from rasad.records import Article, Event, Statistic, as_date

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
LOCATION_COLUMNS = {"name": "location_name", "name_ar": "location_name_ar", "lat": "lat",
                    "lon": "lon", "geo_precision": "geo_precision",
                    "sublocation_ar": "sublocation_ar"}
EVENT_VALUE_COLUMNS = (
    "event_type", "sub_event_type", "date", "date_precision", "country", "admin1", "admin2",
    "location_name", "location_name_ar", "sublocation_ar", "lat", "lon", "geo_precision",
    "actor1", "actor2", "assoc_actors", "fatalities", "fatalities_low", "fatalities_high",
    "fatalities_basis", "killed", "civilians_killed", "women_killed", "children_killed",
    "injured", "arrested", "background", "confidence", "evidence")


def utcnow() -> dt.datetime:
    """Naive UTC now: both back ends store timestamps without a zone, always in UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_date(value: Any, what: str = "date") -> dt.date | None:
    try:
        return as_date(value)
    except ValueError as exc:
        raise StoreError(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def iso(value: Any) -> Any:
    """Dates and datetimes as ISO text, everything else unchanged (JSON-ready dicts)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def actors_text(actor1: str | None, actor2: str | None, assoc: Any) -> str:
    """'|a|b|c|': every actor of an event, so one LIKE '%|x|%' finds it on both back ends."""
    names = [a for a in (actor1, actor2, *(assoc or ())) if a]
    return "|" + "|".join(dict.fromkeys(names)) + "|" if names else ""


def event_signature(row: Mapping[Any, Any]) -> str:
    parts = [row.get("event_type"), row.get("sub_event_type"), iso(row.get("date")),
             row.get("country"), row.get("location_name") or row.get("admin1"),
             row.get("actor1"), row.get("actor2")]
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def event_values(event: Event) -> dict[str, Any]:
    """The value columns of one extracted event (no key, article or review columns)."""
    loc = event.location
    return {
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "date": to_date(event.date, "event date"), "date_precision": event.date_precision,
        "country": event.country, "admin1": event.admin1, "admin2": event.admin2,
        "location_name": loc.name, "location_name_ar": loc.name_ar,
        "sublocation_ar": loc.sublocation_ar, "lat": loc.lat, "lon": loc.lon,
        "geo_precision": loc.geo_precision, "actor1": event.actor1, "actor2": event.actor2,
        "assoc_actors": list(event.assoc_actors), "fatalities": int(event.fatalities or 0),
        "fatalities_low": event.fatalities_low, "fatalities_high": event.fatalities_high,
        "fatalities_basis": event.fatalities_basis, "killed": dict(event.killed) or None,
        "civilians_killed": event.civilians_killed, "women_killed": event.women_killed,
        "children_killed": event.children_killed, "injured": event.injured,
        "arrested": event.arrested, "background": bool(event.background),
        "confidence": event.confidence, "evidence": [e.to_dict() for e in event.evidence],
    }


def event_rows(article_id: str, events: list[Event]) -> list[dict[str, Any]]:
    """Rows for an article's events, each with a stable key unique within the article."""
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for ordinal, event in enumerate(events):
        values = event_values(event)
        signature = event_signature(values)
        seen[signature] = seen.get(signature, 0) + 1
        suffix = "" if seen[signature] == 1 else f"-{seen[signature]}"
        machine = {k: iso(v) for k, v in values.items()}
        rows.append({"id": f"{article_id}:{signature}{suffix}", "article_id": article_id,
                     "ordinal": ordinal, **values, "machine": machine,
                     "actors": actors_text(values["actor1"], values["actor2"],
                                           values["assoc_actors"])})
    return rows


def statistic_rows(article_id: str, statistics: list[Statistic]) -> list[dict[str, Any]]:
    return [{"id": f"{article_id}:s{n}", "article_id": article_id, "ordinal": n,
             "metric": s.metric, "value": int(s.value),
             "period_start": to_date(s.period_start, "period_start"),
             "period_end": to_date(s.period_end, "period_end"), "country": s.country,
             "region": s.region, "perpetrator": s.perpetrator,
             "breakdown": dict(s.breakdown) or None, "source_org": s.source_org,
             "evidence": [e.to_dict() for e in s.evidence]} for n, s in enumerate(statistics)]


def article_row(article: Article, n_events: int, n_statistics: int) -> dict[str, Any]:
    if not article.id:
        raise StoreError("article has an empty id")
    return {"id": article.id, "url": article.url, "outlet": article.outlet,
            "title": article.title, "published": article.published, "text": article.text,
            "content_hash": content_hash(article.text), "n_events": n_events,
            "n_statistics": n_statistics, "extracted_at": utcnow()}


def _location(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {"name": row["location_name"], "name_ar": row["location_name_ar"],
            "lat": row["lat"], "lon": row["lon"], "geo_precision": row["geo_precision"]}


def event_dict(row: Mapping[Any, Any], schema_only: bool = False) -> dict[str, Any]:
    """A SCHEMA event from a row (``link_id`` included); with store metadata unless schema_only."""
    out: dict[str, Any] = {
        "event_type": row["event_type"], "sub_event_type": row["sub_event_type"],
        "date": iso(row["date"]), "date_precision": row["date_precision"],
        "country": row["country"], "admin1": row["admin1"], "admin2": row["admin2"],
        "location": _location(row), "actor1": row["actor1"], "actor2": row["actor2"],
        "assoc_actors": list(row["assoc_actors"] or []), "fatalities": row["fatalities"],
    }
    if row["sublocation_ar"]:
        out["location"]["sublocation_ar"] = row["sublocation_ar"]
    for key in ("fatalities_low", "fatalities_high", "fatalities_basis", "killed",
                "civilians_killed", "women_killed", "children_killed"):
        if row[key] is not None:
            out[key] = row[key]
    out["injured"], out["arrested"] = row["injured"], row["arrested"]
    if row["background"]:
        out["background"] = True
    out["evidence"] = list(row["evidence"] or [])
    if row["confidence"] is not None:
        out["confidence"] = round(row["confidence"], 3)
    out["link_id"] = row["link_id"]
    if not schema_only:
        out.update({"id": row["id"], "article_id": row["article_id"], "ordinal": row["ordinal"],
                    "review_status": row["review_status"], "reviewed_by": row["reviewed_by"],
                    "reviewed_at": iso(row["reviewed_at"])})
        for key in ("outlet", "published", "url", "title", "extracted_at"):
            if key in row:
                out[key] = iso(row[key])
    return out


def statistic_dict(row: Mapping[Any, Any], schema_only: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"metric": row["metric"], "value": row["value"],
                           "period_start": iso(row["period_start"]),
                           "period_end": iso(row["period_end"])}
    for key in ("country", "region", "perpetrator", "source_org"):
        if row[key] is not None:
            out[key] = row[key]
    if row["breakdown"]:
        out["breakdown"] = dict(row["breakdown"])
    out["evidence"] = list(row["evidence"] or [])
    if not schema_only:
        out.update({"id": row["id"], "article_id": row["article_id"]})
    return out


def linked_dict(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A linked event in the same layout as an event, plus its sources and figures' spread."""
    return {
        "id": row["id"], "link_id": row["id"], "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"], "date": iso(row["date"]),
        "date_low": iso(row["date_low"]), "date_high": iso(row["date_high"]),
        "country": row["country"], "admin1": row["admin1"], "admin2": row["admin2"],
        "location": _location(row), "actor1": row["actor1"], "actor2": row["actor2"],
        "assoc_actors": list(row["assoc_actors"] or []), "fatalities": row["fatalities"],
        "fatalities_low": row["fatalities_low"], "fatalities_high": row["fatalities_high"],
        "killed": row["killed"], "injured": row["injured"], "arrested": row["arrested"],
        "n_reports": row["n_reports"], "n_sources": row["n_sources"],
        "sources": list(row["sources"] or []), "first_reported": iso(row["first_reported"]),
        "last_reported": iso(row["last_reported"]), "status": row["status"],
        "updated_at": iso(row["updated_at"]),
    }
