"""The JSON API under ``/api/``: thin calls into the store, answers ``{"ok": true, ...}``.

Reads are open unless the app requires a login; every write needs a logged-in user and the
session's CSRF token in ``X-CSRF-Token``, and writes only JSON (``application/json``), so a
cross-site form can never reach them. Each write is one store call, which records the audit
entry (who, when, before, after, why) in the same transaction as the change.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rasad import export as exporter
from rasad.api import charts
from rasad.api.auth import Auth
from rasad.api.views import FILTER_KEYS, parse_filters
from rasad.store import Store

router = APIRouter(prefix="/api", tags=["api"])
Reason = Annotated[str | None, Field(max_length=2000)]


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _auth(request: Request) -> Auth:
    return request.app.state.auth  # type: ignore[no-any-return]


def reader(request: Request) -> Store:
    """Dependency of every read: checks read access, gives the store."""
    _auth(request).check_read(request)
    return _store(request)


def writer(request: Request) -> str:
    """Dependency of every write: JSON only, logged in, valid CSRF token; gives the user."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method != "DELETE" and kind != "application/json":
        raise HTTPException(415, "send the request body as application/json")
    return _auth(request).check_write(request)


class EventFilters(BaseModel):
    """Filters shared by event lists, statistics, charts and exports."""

    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO alpha-2")
    admin1: str | None = Field(None, max_length=200, description="e.g. Idlib")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_type: str | None = Field(None, max_length=200,
                                   description="ACLED event or sub-event type")
    actor: str | None = Field(None, max_length=200, description="actor id")
    bbox: str | None = Field(None, max_length=200,
                             description="min_lon,min_lat,max_lon,max_lat")
    reviewed: bool | None = Field(None, description="true: reviewed only; false: unreviewed")

    def store_kwargs(self) -> dict[str, Any]:
        values = {k: getattr(self, k) for k in FILTER_KEYS if getattr(self, k) is not None}
        if "bbox" in values:
            _, errors = parse_filters({"bbox": values["bbox"]})
            if errors:
                raise HTTPException(400, errors[0])
        return values


Filters = Annotated[EventFilters, Query()]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


# -- session -----------------------------------------------------------------------------
class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=120)
    password: str = Field(max_length=1000)


@router.post("/login", summary="Log in; sets the session cookie and returns the CSRF token")
def login(body: Login, request: Request) -> JSONResponse:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise HTTPException(415, "send the request body as application/json")
    auth = _auth(request)
    session = auth.login(body.name, body.password)
    if session is None:
        raise HTTPException(401, "wrong user name or password")
    response = JSONResponse({"ok": True, "user": session.user,
                             "csrf_token": auth.csrf_token(session)})
    auth.set_cookie(response, session)
    return response


@router.post("/logout", summary="End the session")
def logout(request: Request, user: Annotated[str, Depends(writer)]) -> JSONResponse:
    auth = _auth(request)
    auth.logout(auth.session(request))
    response = JSONResponse({"ok": True, "user": user})
    response.delete_cookie("rasad_session", path="/")
    return response


@router.get("/me", summary="Who is logged in (null when nobody)")
def me(request: Request) -> dict[str, Any]:
    auth = _auth(request)
    session = auth.session(request)
    if session is None or session.user is None:
        return {"ok": True, "user": None, "login_required": auth.login_required}
    return {"ok": True, "user": session.user, "csrf_token": auth.csrf_token(session),
            "login_required": auth.login_required}


# -- reading -----------------------------------------------------------------------------
@router.get("/articles", summary="Articles (metadata, newest first)")
def list_articles(store: Annotated[Store, Depends(reader)], limit: Limit = 50,
                  offset: Offset = 0,
                  outlet: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    rows = store.articles(limit=limit, offset=offset, outlet=outlet)
    return {"ok": True, "limit": limit, "offset": offset, "articles": rows}


@router.get("/articles/{article_id:path}", summary="One article: text, events and statistics")
def get_article(article_id: str, store: Annotated[Store, Depends(reader)]) -> dict[str, Any]:
    return {"ok": True, "article": store.get_article(article_id)}


def _event_page(store: Store, filters: EventFilters, limit: int, offset: int,
                linked: bool) -> JSONResponse:
    """A page of events. Answered as a JSONResponse: the store already gives JSON-ready
    dicts, and skipping FastAPI's re-encoding makes the busiest endpoint much cheaper."""
    kwargs = filters.store_kwargs()
    rows = store.events(linked=linked, limit=limit, offset=offset, **kwargs)
    total = store.count_events(linked=linked, **kwargs)
    return JSONResponse({"ok": True, "total": total, "limit": limit, "offset": offset,
                         "filters": {k: str(v) for k, v in kwargs.items()},
                         "linked_events" if linked else "events": rows})


@router.get("/events", summary="Per-article events, filtered, newest first")
def list_events(store: Annotated[Store, Depends(reader)], filters: Filters,
                limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return _event_page(store, filters, limit, offset, linked=False)


@router.get("/events/{event_id:path}", summary="One event with its extraction and audit history")
def get_event(event_id: str, store: Annotated[Store, Depends(reader)]) -> dict[str, Any]:
    event = store.get_event(event_id)
    history = store.audit_log(target_type="event", target_id=event_id, limit=None)
    return {"ok": True, "event": event, "history": history}


@router.get("/linked-events", summary="Linked events (one per real event), filtered")
def list_linked(store: Annotated[Store, Depends(reader)], filters: Filters,
                limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return _event_page(store, filters, limit, offset, linked=True)


@router.get("/linked-events/{link_id}", summary="A linked event, its reports and history")
def get_linked(link_id: str, store: Annotated[Store, Depends(reader)]) -> dict[str, Any]:
    from rasad.api.views import compare_reports

    linked = store.get_linked_event(link_id)
    linked["comparison"] = compare_reports(linked["reports"])
    audit = store.audit_log(target_type="linked_event", target_id=link_id, limit=None)
    return {"ok": True, "linked_event": linked, "audit": audit}


@router.get("/statistics", summary="Reported tallies (never linked into events)")
def list_statistics(store: Annotated[Store, Depends(reader)],
                    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
                    date_from: dt.date | None = None, date_to: dt.date | None = None,
                    metric: Annotated[str | None, Query(max_length=40)] = None,
                    limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows = store.statistics(country=country, date_from=date_from, date_to=date_to,
                            metric=metric, limit=limit, offset=offset)
    return {"ok": True, "limit": limit, "offset": offset, "statistics": rows}


@router.get("/summary", summary="Events and fatalities per week by type and governorate")
def summary(store: Annotated[Store, Depends(reader)], filters: Filters,
            linked: bool = False) -> dict[str, Any]:
    kwargs = filters.store_kwargs()
    data = charts.weekly(store, kwargs, linked)
    counts = {"total": store.count_events(linked=linked, **kwargs)}
    if not linked and "reviewed" not in kwargs:
        counts["reviewed"] = store.count_events(reviewed=True, **kwargs)
        counts["unreviewed"] = counts["total"] - counts["reviewed"]
    return {"ok": True, "counts": counts, **data}


@router.get("/audit", summary="Audit entries, newest first")
def audit_log(store: Annotated[Store, Depends(reader)],
              target_type: Literal["event", "linked_event", "user"] | None = None,
              target_id: Annotated[str | None, Query(max_length=240)] = None,
              user: Annotated[str | None, Query(max_length=120)] = None,
              limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows = store.audit_log(target_type=target_type, target_id=target_id, user=user,
                           limit=limit, offset=offset)
    return {"ok": True, "limit": limit, "offset": offset, "audit": rows}


EXPORT_TYPES = {"acled": ("text/csv", "csv"), "ucdp": ("text/csv", "csv"),
                "geojson": ("application/geo+json", "geojson"),
                "jsonl": ("application/x-ndjson", "jsonl"),
                "parquet": ("application/vnd.apache.parquet", "parquet")}


@router.get("/export", summary="Download events as ACLED CSV, UCDP CSV, GeoJSON, JSONL, Parquet")
def download(store: Annotated[Store, Depends(reader)], filters: Filters,
             format: Literal["acled", "ucdp", "geojson", "jsonl", "parquet"] = "acled",
             linked: bool = True) -> Response:
    kwargs = filters.store_kwargs()
    media, suffix = EXPORT_TYPES[format]
    if format == "parquet":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.parquet"
            exporter.export(store, format, path, linked, **kwargs)
            body: bytes | str = path.read_bytes()
    else:
        buffer = io.StringIO()
        exporter.export(store, format, buffer, linked, **kwargs)
        body = buffer.getvalue()
    name = f"rasad-{'linked' if linked else 'events'}-{format}.{suffix}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/geojson", summary="Events with coordinates as GeoJSON (for the map)")
def geojson(store: Annotated[Store, Depends(reader)], filters: Filters,
            linked: bool = False, limit: Annotated[int, Query(ge=1, le=20000)] = 5000
            ) -> Response:
    rows = store.events(linked=linked, limit=limit, **filters.store_kwargs())
    features = [f for f in (exporter.geojson_feature(r) for r in rows) if f]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return Response(body, media_type="application/geo+json")


# -- review actions ----------------------------------------------------------------------
class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason = None


class PatchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    changes: dict[str, Any] = Field(description="SCHEMA field names -> new values, e.g. "
                                                '{"fatalities": 7}')
    reason: str = Field(min_length=1, max_length=2000, description="why (required)")


class MergeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[Annotated[str, Field(max_length=40)]] = Field(min_length=2, max_length=50)
    reason: Reason = None


class SplitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_ids: list[Annotated[str, Field(max_length=240)]] = Field(min_length=1,
                                                                   max_length=200)
    reason: Reason = None


User = Annotated[str, Depends(writer)]


@router.patch("/events/{event_id:path}", summary="Correct fields of an event (with a reason)")
def patch_event(event_id: str, body: PatchBody, request: Request, user: User) -> dict[str, Any]:
    if not body.reason.strip():
        raise HTTPException(422, "a correction needs a reason")
    event = _store(request).patch_event(event_id, body.changes, user, body.reason.strip())
    return {"ok": True, "event": event}


@router.post("/events/{event_id:path}/accept", summary="Accept an event as extracted")
def accept_event(event_id: str, body: ReasonBody, request: Request,
                 user: User) -> dict[str, Any]:
    return {"ok": True, "event": _store(request).accept_event(event_id, user, body.reason)}


@router.post("/events/{event_id:path}/reject", summary="Reject an event (not a real event)")
def reject_event(event_id: str, body: ReasonBody, request: Request,
                 user: User) -> dict[str, Any]:
    return {"ok": True, "event": _store(request).reject_event(event_id, user, body.reason)}


@router.post("/events/{event_id:path}/reset", summary="Undo every review of an event")
def reset_event(event_id: str, body: ReasonBody, request: Request,
                user: User) -> dict[str, Any]:
    return {"ok": True, "event": _store(request).reset_event(event_id, user, body.reason)}


@router.post("/linked-events/merge", summary="Merge linked events into one")
def merge_linked(body: MergeBody, request: Request, user: User) -> dict[str, Any]:
    merged = _store(request).merge_linked(body.ids, user, body.reason)
    return {"ok": True, "linked_event": merged}


@router.post("/linked-events/{link_id}/split", summary="Split reports off a linked event")
def split_linked(link_id: str, body: SplitBody, request: Request, user: User) -> dict[str, Any]:
    result = _store(request).split_linked(link_id, body.event_ids, user, body.reason)
    return {"ok": True, **result}
