"""Exports researchers load into their tools: ACLED CSV, UCDP-GED-style CSV, GeoJSON, Parquet,
and per-article JSONL results (the SCHEMA layout with ``link_id`` on each event).

ACLED and UCDP files hold *linked* events by default (one row per real event, sources joined),
or per-article events on request. Rows without a date are left out of ACLED/UCDP files (both
datasets require one) and GeoJSON leaves out rows without coordinates; the writers return how
many rows they wrote and skipped. Actor names and ACLED inter codes come from the packaged
actor lexicon when it exists, else from the actor id itself.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pycountry

from rasad.errors import InputError, LexiconError

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp")
ACLED_INT_COLUMNS = frozenset(("year", "time_precision", "inter1", "inter2", "interaction",
                               "iso", "geo_precision", "fatalities", "timestamp"))
ACLED_FLOAT_COLUMNS = frozenset(("latitude", "longitude"))
UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_name",
    "dyad_name", "side_a", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "country", "country_id", "region", "event_clarity",
    "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low")
FORMATS = ("acled", "ucdp", "geojson", "parquet", "jsonl")
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
GENERIC_INTER = {"civilians": 7, "protesters": 6, "rioters": 5, "tribal_militia": 4,
                 "unidentified_armed_group": 3, "unidentified_military": 8}
REGIONS = {
    "Middle East": "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "Northern Africa": "DZ EG EH LY MA SD TN",
    "Eastern Africa": "BI DJ ER ET KE KM MG MU RW SC SO SS TZ UG",
    "Western Africa": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SL SN TG",
    "Middle Africa": "AO CD CF CG CM GA GQ ST TD",
    "Southern Africa": "BW LS MW MZ NA SZ ZA ZM ZW",
    "South Asia": "AF BD BT IN LK MV NP PK",
    "Caucasus and Central Asia": "AM AZ GE KG KZ TJ TM UZ",
    "Europe": "BY CY GR MD RU UA",
}
_REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}
_COUNTRY_NAMES = {"PS": "Palestine", "CD": "Democratic Republic of Congo", "TR": "Turkey",
                  "RU": "Russia", "CG": "Republic of Congo", "CI": "Ivory Coast",
                  "SZ": "eSwatini", "KR": "South Korea", "KP": "North Korea"}


@functools.cache
def _actor_table() -> dict[str, tuple[str, int]]:
    """id -> (name, inter) from rasad/data/lexicons/actors.tsv; empty when not shipped."""
    from rasad.lexicon import lexicon_dir, load_table

    if not (lexicon_dir() / "actors.tsv").exists():
        return {}
    try:
        rows = load_table("actors")
    except LexiconError:
        return {}
    out = {}
    for row in rows:
        inter = row.get("inter", "")
        name = (row.get("name") or row["id"]).split(" (")[0].strip()
        out[row["id"]] = (name, int(inter) if inter.isdigit() else 0)
    return out


def actor_name(actor: str | None) -> str:
    if not actor:
        return ""
    if actor.startswith("other:"):
        return actor[6:].strip()
    known = _actor_table().get(actor)
    return known[0] if known else actor.replace("_", " ").title()


def actor_inter(actor: str | None) -> int:
    """ACLED inter code: 1 state, 2 rebels, 3 political militia, 4 identity militia,
    5 rioters, 6 protesters, 7 civilians, 8 external/other; 0 when there is no actor."""
    if not actor:
        return 0
    known = _actor_table().get(actor)
    if known and known[1]:
        return known[1]
    return GENERIC_INTER.get(actor, 0)


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's two-digit interaction code: the smaller code first; a lone actor gives 10·inter."""
    if not inter2 or not inter1:
        return 10 * (inter1 or inter2)
    low, high = sorted((inter1, inter2))
    return 10 * low + high


@functools.cache
def country_info(alpha2: str | None) -> tuple[str, str, int | None, str]:
    """(alpha-3, ACLED country name, ISO numeric, ACLED region) for an alpha-2 code."""
    if not alpha2:
        return "", "", None, ""
    found = pycountry.countries.get(alpha_2=alpha2.upper())
    if found is None:
        return alpha2.upper(), alpha2.upper(), None, ""
    name = _COUNTRY_NAMES.get(found.alpha_2) or getattr(found, "common_name", None) or found.name
    return found.alpha_3, name, int(found.numeric), _REGION_OF.get(found.alpha_2, "")


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _unix(value: Any) -> int:
    when = dt.datetime.fromisoformat(value) if value else dt.datetime(1970, 1, 1)
    return int(when.replace(tzinfo=dt.UTC).timestamp())


def _notes(rec: Mapping[str, Any]) -> str:
    place = rec["location"].get("name") or rec.get("admin1") or country_info(rec["country"])[1]
    who = actor_name(rec.get("actor1")) or "Unknown actor"
    against = f" against {actor_name(rec['actor2'])}" if rec.get("actor2") else ""
    text = (f"On {rec['date']}, {who}: {rec['sub_event_type'].lower()}{against} in {place}"
            f"{' (' + rec['admin1'] + ')' if rec.get('admin1') and rec['admin1'] != place else ''}."
            f" {rec['fatalities']} reported killed.")
    high = rec.get("fatalities_high")
    if high and high != rec["fatalities"]:
        text += f" Reports range {rec.get('fatalities_low') or rec['fatalities']}-{high}."
    if rec.get("n_sources"):
        text += f" {rec['n_sources']} source(s)."
    return text


def acled_row(rec: Mapping[str, Any]) -> dict[str, Any]:
    """One ACLED row from a linked event or a per-article event (store dicts)."""
    iso3, country, numeric, region = country_info(rec["country"])
    inter1, inter2 = actor_inter(rec.get("actor1")), actor_inter(rec.get("actor2"))
    linked = "n_sources" in rec
    if linked:
        precision = 1 if rec.get("date_low") == rec.get("date_high") else 2
        source = "; ".join(rec.get("sources") or [])
        stamp = rec.get("updated_at")
    else:
        precision = rec.get("date_precision") or 1
        source = rec.get("outlet") or ""
        stamp = rec.get("reviewed_at") or rec.get("extracted_at")
    tags = []
    if rec.get("fatalities_basis") == "estimated":
        tags.append("fatalities estimated from a vague figure")
    if linked and rec.get("fatalities_high") not in (None, rec["fatalities"]):
        tags.append(f"fatalities reported {rec['fatalities_low']}-{rec['fatalities_high']}")
    event_type = rec["event_type"]
    disorder = DISORDER.get(event_type, "")
    if rec["sub_event_type"] == "Excessive force against protesters":
        disorder = "Political violence; Demonstrations"
    return {
        "event_id_cnty": f"{iso3}{rec['id']}", "event_date": rec["date"],
        "year": _date(rec["date"]).year,  # type: ignore[union-attr]
        "time_precision": precision, "disorder_type": disorder, "event_type": event_type,
        "sub_event_type": rec["sub_event_type"], "actor1": actor_name(rec.get("actor1")),
        "assoc_actor_1": "; ".join(actor_name(a) for a in rec.get("assoc_actors") or []),
        "inter1": inter1, "actor2": actor_name(rec.get("actor2")), "assoc_actor_2": "",
        "inter2": inter2, "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if rec.get("actor2") == "civilians" else "",
        "iso": numeric, "region": region, "country": country, "admin1": rec.get("admin1") or "",
        "admin2": rec.get("admin2") or "", "admin3": "",
        "location": rec["location"].get("name") or rec.get("admin1") or country,
        "latitude": rec["location"].get("lat"), "longitude": rec["location"].get("lon"),
        "geo_precision": rec["location"].get("geo_precision") or 3, "source": source,
        "source_scale": "", "notes": _notes(rec), "fatalities": rec["fatalities"] or 0,
        "tags": "; ".join(tags), "timestamp": _unix(stamp),
    }


def _deaths(rec: Mapping[str, Any], side: str | None) -> int:
    from rasad.link import actor_key

    killed = rec.get("killed") or {}
    if side is None:
        return 0
    return sum(n for k, n in killed.items() if actor_key(k) == actor_key(side))


def ucdp_row(rec: Mapping[str, Any]) -> dict[str, Any]:
    """One UCDP-GED-style row: deaths by side, civilians and unknown; best/low/high."""
    iso3, country, numeric, region = country_info(rec["country"])
    one_sided = rec.get("actor2") == "civilians"
    state = 1 in (actor_inter(rec.get("actor1")), actor_inter(rec.get("actor2")))
    best = rec["fatalities"] or 0
    civilians = (rec.get("killed") or {}).get("civilians") or rec.get("civilians_killed") or 0
    side_b = None if one_sided else rec.get("actor2")
    deaths_a, deaths_b = _deaths(rec, rec.get("actor1")), _deaths(rec, side_b)
    lat, lon = rec["location"].get("lat"), rec["location"].get("lon")
    start = rec.get("date_low") or rec["date"]
    end = rec.get("date_high") or rec["date"]
    precision = {1: 1, 2: 3, 3: 4}.get(rec.get("date_precision") or 1, 1)
    if start != end:
        precision = 2
    sources = rec.get("sources") or [rec.get("outlet") or ""]
    side_a, side_b_name = actor_name(rec.get("actor1")), actor_name(rec.get("actor2"))
    return {
        "id": rec["id"], "relid": f"{iso3}-{rec['id']}", "year": _date(rec["date"]).year,  # type: ignore[union-attr]
        "active_year": 1, "code_status": "Clear",
        "type_of_violence": 3 if one_sided else 1 if state else 2,
        "conflict_name": (f"{country}: {side_a}" if state or one_sided
                          else f"{side_a} - {side_b_name}"),
        "dyad_name": f"{side_a} - {side_b_name}" if side_b_name else side_a,
        "side_a": side_a, "side_b": side_b_name, "number_of_sources": len(sources),
        "source_article": "; ".join(sources), "source_office": "; ".join(sources),
        "source_date": rec.get("first_reported") or rec.get("published") or "",
        "source_headline": rec.get("title") or "",
        "where_prec": {1: 1, 2: 2, 3: 4}.get(rec["location"].get("geo_precision") or 3, 4),
        "where_coordinates": rec["location"].get("name") or "", "adm_1": rec.get("admin1") or "",
        "adm_2": rec.get("admin2") or "", "latitude": lat, "longitude": lon,
        "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else "",
        "country": country, "country_id": numeric,
        "region": "Middle East" if region == "Middle East" else "Africa" if "Africa" in region
        else region, "event_clarity": 1, "date_prec": precision, "date_start": start,
        "date_end": end, "deaths_a": deaths_a, "deaths_b": deaths_b,
        "deaths_civilians": civilians,
        "deaths_unknown": max(0, best - deaths_a - deaths_b - civilians), "best": best,
        "high": max(best, rec.get("fatalities_high") or 0),
        "low": min(best, rec.get("fatalities_low") or best) if rec.get("fatalities_low") else best,
    }


def geojson_feature(rec: Mapping[str, Any]) -> dict[str, Any] | None:
    lat, lon = rec["location"].get("lat"), rec["location"].get("lon")
    if lat is None or lon is None:
        return None
    properties = {k: v for k, v in rec.items() if k not in ("location", "evidence", "machine")}
    properties.update({f"location_{k}": v for k, v in rec["location"].items()})
    return {"type": "Feature", "id": rec["id"],
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": properties}


def iter_records(store: Any, linked: bool = True, page: int = 5000,
                 **filters: Any) -> Iterator[dict[str, Any]]:
    """Every event (or linked event) matching ``filters``, fetched page by page."""
    offset = 0
    while True:
        rows = store.events(linked=linked, limit=page, offset=offset, **filters)
        yield from rows
        if len(rows) < page:
            return
        offset += page


def write_csv(rows: Iterator[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in columns})
        count += 1
    return count


def acled_arrow_schema() -> Any:
    import pyarrow as pa

    def kind(column: str) -> Any:
        if column == "event_date":
            return pa.date32()
        if column in ACLED_INT_COLUMNS:
            return pa.int64()
        return pa.float64() if column in ACLED_FLOAT_COLUMNS else pa.string()

    return pa.schema([(c, kind(c)) for c in ACLED_COLUMNS])


def write_parquet(rows: Iterator[dict[str, Any]], path: str | Path) -> int:
    """ACLED columns with fixed types (event_date a date, codes integers, coordinates floats)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [dict(r, event_date=_date(r["event_date"])) for r in rows]
    schema = acled_arrow_schema()
    table = pa.Table.from_pylist(records, schema=schema) if records else schema.empty_table()
    pq.write_table(table, str(path))
    return len(records)


def export(store: Any, fmt: str, out: str | Path | IO[str], linked: bool = True,
           **filters: Any) -> dict[str, int]:
    """Write ``store``'s events in ``fmt`` to a path or text stream; returns written/skipped."""
    if fmt not in FORMATS:
        raise InputError(f"export format {fmt!r} unknown; choose one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        results = store.results(country=filters.get("country"),
                                date_from=filters.get("date_from"),
                                date_to=filters.get("date_to"))
        return _write_text(out, lambda fh: _jsonl(results, fh))
    records = list(iter_records(store, linked, **filters))
    dated = [r for r in records if r.get("date")]
    skipped = len(records) - len(dated)
    if fmt == "parquet":
        if not isinstance(out, str | Path) or str(out) == "-":
            raise InputError("parquet export needs an output file (-o FILE.parquet)")
        return {"written": write_parquet((acled_row(r) for r in dated), out), "skipped": skipped}
    if fmt == "acled":
        written = _write_text(out, lambda fh: write_csv((acled_row(r) for r in dated),
                                                        ACLED_COLUMNS, fh))
    elif fmt == "ucdp":
        violent = [r for r in dated if r["event_type"] in VIOLENT_TYPES and r["fatalities"]]
        skipped += len(dated) - len(violent)
        written = _write_text(out, lambda fh: write_csv((ucdp_row(r) for r in violent),
                                                        UCDP_COLUMNS, fh))
    else:
        features = [f for f in (geojson_feature(r) for r in records) if f]
        skipped = len(records) - len(features)
        written = _write_text(out, lambda fh: _geojson(features, fh))
    return {"written": written["written"], "skipped": skipped}


def _jsonl(results: Iterator[dict[str, Any]], fh: IO[str]) -> int:
    count = 0
    for result in results:
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
    return count


def _geojson(features: list[dict[str, Any]], fh: IO[str]) -> int:
    json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    fh.write("\n")
    return len(features)


def _write_text(out: str | Path | IO[str], write: Any) -> dict[str, int]:
    if isinstance(out, io.TextIOBase) or hasattr(out, "write"):
        return {"written": write(out), "skipped": 0}
    with open(out, "w", encoding="utf-8", newline="") as fh:
        return {"written": write(fh), "skipped": 0}
