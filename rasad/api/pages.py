"""Server-rendered review pages: event list with filters, counts and charts; map; event page
with highlighted evidence, linked reports and the review form; linked event page; history.

Pages call the same store methods as the JSON API. Forms post back here with the session's
CSRF token in a hidden field and redirect (303) after a change, so a reload never repeats it.
Templates are Jinja2 with autoescaping on; the only markup not escaped by a template is the
highlighted article and the SVG charts, both built by escaping every piece of text first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rasad.api import charts, views
from rasad.api.auth import Auth
from rasad.api.i18n import LANGUAGES, pick_language, translator
from rasad.api.review_forms import form_changes, parse_ids
from rasad.store import ReviewError, Store
from rasad.store.query import Filters, events_select
from rasad.store.rows import EVENT_TYPES
from rasad.store.schema import events as events_table

router = APIRouter(include_in_schema=False)
LANG_COOKIE = "rasad_lang"
QUEUE_LIMIT = 5000
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _auth(request: Request) -> Auth:
    return request.app.state.auth  # type: ignore[no-any-return]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a template with the language, the user and (for forms) a CSRF token.

    A visitor without a session gets an anonymous one here, so the login form has a token.
    """
    auth = _auth(request)
    session = auth.session(request)
    fresh = session is None
    if session is None:
        session = auth.new_session(None)
    lang = pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    other = "ar" if lang == "en" else "en"
    query = dict(request.query_params)
    query["lang"] = other
    settings = request.app.state.settings
    html = _ENV.get_template(name).render(
        t=translator(lang), lang=lang, dir="rtl" if lang == "ar" else "ltr",
        user=session.user, csrf=auth.csrf_token(session), path=request.url.path,
        lang_url=f"{request.url.path}?{urlencode(query)}", languages=LANGUAGES,
        login_required=auth.login_required, tile_url=settings.tile_url or "",
        tile_attribution=settings.tile_attribution, **context)
    response = HTMLResponse(html, status_code=status)
    if fresh:
        auth.set_cookie(response, session)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True,
                            samesite="strict", path="/")
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?{urlencode({'next': local_path(str(request.url))})}", 303)
    return render(request, "error.html", {"status": status, "message": message}, status)


def local_path(url: str) -> str:
    """Only same-site paths are followed after login or a review (no open redirect)."""
    parts = urlsplit(url)
    path = parts.path if not parts.query else f"{parts.path}?{parts.query}"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _read(request: Request) -> Store:
    _auth(request).check_read(request)
    return _store(request)


def _page_filters(request: Request) -> tuple[dict[str, Any], list[str], bool, int, int]:
    filters, errors = views.parse_filters(request.query_params)
    linked = request.query_params.get("view") == "linked"
    size = request.app.state.settings.page_size
    try:
        offset = max(0, int(request.query_params.get("offset") or 0))
    except ValueError:
        offset, errors = 0, [*errors, "offset: not a number"]
    return filters, errors, linked, size, offset


@router.get("/", response_class=HTMLResponse)
def event_list(request: Request) -> Response:
    store = _read(request)
    filters, errors, linked, size, offset = _page_filters(request)
    rows = store.events(linked=linked, limit=size, offset=offset, **filters)
    total = store.count_events(linked=linked, **filters)
    counts = {"total": total}
    if not linked:
        counts["reviewed"] = store.count_events(**{**filters, "reviewed": True})
        counts["unreviewed"] = store.count_events(**{**filters, "reviewed": False})
    data = charts.weekly(store, filters, linked)
    by_type = {name: sum(v["events"]) for name, v in data["by_type"].items()}
    keep = views.filter_query(filters) | ({"view": "linked"} if linked else {})
    return render(request, "list.html", {
        "rows": rows, "counts": counts, "by_type": by_type, "errors": errors,
        "filters": views.filter_query(filters), "linked": linked, "offset": offset,
        "size": size, "keep": urlencode(keep), "charts": charts.charts(data, translator(
            pick_language(request.query_params.get("lang"),
                          request.cookies.get(LANG_COOKIE)))),
        "event_types": EVENT_TYPES, "prev_offset": max(offset - size, 0),
        "queue": urlencode(views.filter_query(filters))})


@router.get("/map", response_class=HTMLResponse)
def event_map(request: Request) -> Response:
    _read(request)
    filters, errors, linked, _, _ = _page_filters(request)
    keep = views.filter_query(filters) | ({"linked": "true"} if linked else {})
    return render(request, "map.html", {
        "errors": errors, "filters": views.filter_query(filters), "linked": linked,
        "geojson_url": f"/api/geojson?{urlencode(keep)}", "event_types": EVENT_TYPES})


def _queue(store: Store, filters: dict[str, Any], event_id: str) -> tuple[str | None, str | None]:
    """The previous and next event ids around ``event_id`` in the filtered list (j/k)."""
    select = events_select(Filters(**filters), QUEUE_LIMIT).with_only_columns(events_table.c.id)
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(select)]
    if event_id not in ids:
        return None, ids[0] if ids else None
    n = ids.index(event_id)
    return (ids[n - 1] if n else None), (ids[n + 1] if n + 1 < len(ids) else None)


def _event_context(request: Request, event_id: str) -> dict[str, Any]:
    store = _read(request)
    event = store.get_event(event_id)
    article = store.get_article(event["article_id"])
    filters, _ = views.parse_filters(request.query_params)
    queue = urlencode(views.filter_query(filters))
    previous, following = _queue(store, filters, event_id)
    linked = store.get_linked_event(event["link_id"]) if event.get("link_id") else None
    reports = linked["reports"] if linked else []
    return {
        "event": event, "article": article,
        "article_html": views.highlight(article["text"], event.get("evidence") or []),
        "rows": views.evidence_rows(event, article["text"]), "linked": linked,
        "comparison": views.compare_reports(reports) if len(reports) > 1 else [],
        "reports": reports,
        "history": store.audit_log(target_type="event", target_id=event_id, limit=None),
        "queue": queue, "previous": previous, "following": following,
        "event_types": EVENT_TYPES, "form_error": None,
        "others": [e for e in article["events"] if e["id"] != event_id]}


@router.get("/events/{event_id:path}", response_class=HTMLResponse)
def event_page(event_id: str, request: Request) -> Response:
    return render(request, "event.html", _event_context(request, event_id))


@router.post("/events/{event_id:path}/review")
async def review_event(event_id: str, request: Request) -> Response:
    form = dict((await request.form()).items())
    return await run_in_threadpool(_review_event, request, event_id, form)


def _review_event(request: Request, event_id: str, form: dict[str, Any]) -> Response:
    user = _auth(request).check_write(request, str(form.get("csrf_token") or ""))
    action = str(form.get("action") or "")
    reason = str(form.get("reason") or "").strip()[:2000] or None
    store = _store(request)
    try:
        if action == "accept":
            store.accept_event(event_id, user, reason)
        elif action == "reject":
            store.reject_event(event_id, user, reason)
        elif action == "reset":
            store.reset_event(event_id, user, reason)
        elif action == "correct":
            if not reason:
                raise ReviewError("a correction needs a reason")
            changes = form_changes(store.get_event(event_id), form)
            if not changes:
                raise ReviewError("nothing was changed")
            store.patch_event(event_id, changes, user, reason)
        else:
            raise HTTPException(400, f"unknown review action {action!r}")
    except ReviewError as exc:
        context = _event_context(request, event_id)
        context["form_error"] = str(exc)
        return render(request, "event.html", context, 422)
    target = local_path(str(form.get("next") or f"/events/{quote(event_id, safe='')}"))
    return RedirectResponse(target, 303)


@router.get("/linked/{link_id}", response_class=HTMLResponse)
def linked_page(link_id: str, request: Request) -> Response:
    return render(request, "linked.html", _linked_context(_read(request), link_id, None))


@router.post("/linked/{link_id}/{action}")
async def linked_action(link_id: str, action: str, request: Request) -> Response:
    form = await request.form()
    values = {"csrf_token": str(form.get("csrf_token") or ""),
              "reason": str(form.get("reason") or ""), "others": str(form.get("others") or ""),
              "event_ids": [str(v) for v in form.getlist("event_ids")]}
    return await run_in_threadpool(_linked_action, request, link_id, action, values)


def _linked_context(store: Store, link_id: str, error: str | None) -> dict[str, Any]:
    linked = store.get_linked_event(link_id)
    return {"linked": linked, "reports": linked["reports"],
            "comparison": views.compare_reports(linked["reports"]),
            "audit": store.audit_log(target_type="linked_event", target_id=link_id, limit=None),
            "form_error": error}


def _linked_action(request: Request, link_id: str, action: str,
                   form: dict[str, Any]) -> Response:
    user = _auth(request).check_write(request, form["csrf_token"])
    reason = form["reason"].strip()[:2000] or None
    store = _store(request)
    try:
        if action == "merge":
            others = parse_ids(form["others"])
            target = store.merge_linked([link_id, *others], user, reason)["id"]
        elif action == "split":
            result = store.split_linked(link_id, form["event_ids"], user, reason)
            target = result["moved"]["linked_event"]
        else:
            raise HTTPException(404, f"unknown action {action!r}")
    except ReviewError as exc:
        return render(request, "linked.html", _linked_context(store, link_id, str(exc)), 422)
    return RedirectResponse(f"/linked/{quote(target, safe='')}", 303)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request) -> Response:
    store = _read(request)
    return render(request, "history.html", {"entries": store.audit_log(limit=200)})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html", {"next": local_path(request.query_params.get("next")
                                                          or "/"), "failed": False})


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await request.form()
    auth = _auth(request)
    auth.check_csrf(auth.session(request), str(form.get("csrf_token") or ""))
    session = await run_in_threadpool(auth.login, str(form.get("name") or "")[:120],
                                      str(form.get("password") or ""))
    target = local_path(str(form.get("next") or "/"))
    if session is None:
        return render(request, "login.html", {"next": target, "failed": True}, 401)
    response = RedirectResponse(target, 303)
    auth.set_cookie(response, session)
    return response


@router.post("/logout")
async def logout_submit(request: Request) -> Response:
    form = await request.form()
    auth = _auth(request)
    session = auth.session(request)
    auth.check_csrf(session, str(form.get("csrf_token") or ""))
    auth.logout(session)
    response = RedirectResponse("/", 303)
    response.delete_cookie("rasad_session", path="/")
    return response

