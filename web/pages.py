"""The HTML pages: the map, the incident table, one incident, ingest, sign-in.

Views gather data and hand it to templates that only render. The map page is a shell: its
data comes from /api/incidents (web/static/map.js), so it stays small and fast.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from gazetteer.place import Place
from mapper.errors import ArticleError, FilterError, GazetteerError

from . import auth, params
from .families import families, type_suggestions
from .forms import CorrectForm, IngestForm, LoginForm, MergeForm, SaveArticleForm
from .services import services

bp = Blueprint("pages", __name__)

# Table columns: (key, label, sortable). Sorting happens on Incident attributes.
COLUMNS = (
    ("event_date", "Date", True),
    ("location", "Place", True),
    ("country", "Country", True),
    ("event_type", "Type", True),
    ("sub_event_type", "Sub-type", True),
    ("actor1", "Actor", True),
    ("fatalities", "Killed", True),
    ("injured", "Injured", True),
    ("source", "Source", True),
)
SORTABLE = {key for key, _, sortable in COLUMNS if sortable}


def filter_state() -> tuple[dict[str, str], dict[str, str], str | None]:
    """(filter params, page params, error message) from the query string."""
    filter_params, page_params = params.split(request.args)
    error = None
    try:
        params.parse_filters(filter_params)
    except FilterError as err:
        error = str(err)
    return filter_params, page_params, error


@bp.get("/")
def map_page():
    filter_params, page_params, error = filter_state()
    config = {
        "api": url_for("api.incidents"),
        "incidentUrl": url_for("pages.incident", incident_id="__ID__"),
        "tableUrl": url_for("pages.table"),
        "basemapUrl": url_for("api.basemap_countries"),
        "regionsUrl": url_for("api.regions"),
        "fullMapUrl": url_for("pages.full_map"),
        "exportUrls": {"geojson": url_for("api.export_geojson"), "csv": url_for("api.export_csv")},
        "families": families(),
        "filters": filter_params,
        "focus": page_params.get("focus"),
        "limit": current_app.config["API_DEFAULT_LIMIT"],
    }
    return render_template("map.html", config=config, filters=filter_params, error=error), 400 if error else 200


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on pages without an icon link (the folium map); answer rather than 404.
    return current_app.send_static_file("favicon.svg")


@bp.get("/map.html")
def full_map():
    """The full analysis map of `mapper.maps.build` (heat map, regions, timeline) for the same filters.

    ``?download=1`` returns it standalone, every asset inlined, to save and hand on.
    """
    from mapper.maps.build import build_map, to_html

    filter_params, page_params = params.split(request.args)
    filters = params.without_paging(params.parse_filters(filter_params))
    download = page_params.get("download") == "1"
    svc = services()
    key = (tuple(sorted(filter_params.items())), download, svc.store.version())

    def build() -> str:
        m = build_map(svc.store.query(filters), gazetteer=svc.gazetteer,
                      incident_url=url_for("pages.incident", incident_id="ID").replace("ID", "{id}"))
        return to_html(m, assets_url=None if download else current_app.config["ASSETS_URL"])

    response = current_app.response_class(svc.rendered_map(key, build), mimetype="text/html")
    # folium's output is inline script by design (its data escaped by mapper.maps.layers); allow that here only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: https://*.tile.openstreetmap.org; "
        "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; font-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    if download:
        response.headers["Content-Disposition"] = 'attachment; filename="incident-map.html"'
    return response


@bp.get("/incidents")
def table():
    filter_params, page_params, error = filter_state()
    sort = page_params.get("sort", "event_date")
    if sort not in SORTABLE:
        sort = "event_date"
    descending = page_params.get("dir", "desc" if sort in ("event_date", "fatalities", "injured") else "asc") == "desc"
    try:
        page = max(1, int(page_params.get("page", "1")))
    except ValueError:
        page = 1
    size = current_app.config["TABLE_PAGE_SIZE"]
    rows: list[Any] = []
    total = 0
    if error is None:
        store = services().store
        filters = params.without_paging(params.parse_filters(filter_params))
        if sort == "event_date" and descending:
            # The store's own order: page in SQL.
            total = store.count(filters)
            rows = store.query(dataclasses.replace(filters, limit=size, offset=(page - 1) * size))
        else:
            found = sort_incidents(store.query(filters), key=sort, descending=descending)
            total = len(found)
            rows = found[(page - 1) * size : page * size]
    pages = max(1, -(-total // size))

    def link(**changes: Any) -> str:
        state = {**filter_params, "sort": sort, "dir": "desc" if descending else "asc", "page": str(page)}
        state.update({k: str(v) for k, v in changes.items()})
        return url_for("pages.table") + "?" + urlencode(state)

    def sort_link(key: str) -> str:
        flip = "asc" if (key == sort and descending) else "desc" if key == sort else (
            "desc" if key in ("event_date", "fatalities", "injured") else "asc")
        return link(sort=key, dir=flip, page=1)

    headers = [
        {"key": key, "label": label, "url": sort_link(key) if sortable else None,
         "active": key == sort, "descending": descending}
        for key, label, sortable in COLUMNS
    ]
    map_query = urlencode(filter_params)
    return render_template(
        "table.html", rows=rows, headers=headers, filters=filter_params, error=error, total=total,
        page=page, pages=pages, prev_url=link(page=page - 1) if page > 1 else None,
        next_url=link(page=page + 1) if page < pages else None, map_query=map_query,
    ), 400 if error else 200


def sort_incidents(incidents: list[Any], *, key: str, descending: bool) -> list[Any]:
    """Stable sort with missing values last in either direction."""
    present = [i for i in incidents if getattr(i, key) is not None]
    missing = [i for i in incidents if getattr(i, key) is None]

    def value(i: Any) -> Any:
        v = getattr(i, key)
        return v.casefold() if isinstance(v, str) else v

    present.sort(key=value, reverse=descending)
    return present + missing


@bp.get("/incidents/<incident_id>")
def incident(incident_id: str):
    store = services().store
    found = store.get(incident_id)
    candidates, gazetteer_error = place_candidates(found)
    correct = CorrectForm(name=found.location, lat=round(found.lat, 5), lon=round(found.lon, 5))
    merge = MergeForm()
    candidate_forms = [(place, CorrectForm(geonameid=str(place.geonameid))) for place in candidates if place.geonameid]
    duplicates = [(other, MergeForm(other_id=other.id)) for other in possible_duplicates(store, found)]
    return render_template(
        "incident.html", incident=found, properties=found.properties(), feature=found.to_feature(),
        candidates=candidates, candidate_forms=candidate_forms, gazetteer_error=gazetteer_error,
        correct=correct, merge=merge, duplicates=duplicates, audit=store.audit(incident_id), can_write=auth.can_write(),
        map_url=url_for("pages.map_page", focus=found.id),
    )


def possible_duplicates(store: Any, found: Any, *, days: int = 2, degrees: float = 1.0, limit: int = 5) -> list[Any]:
    """Incidents of the same family within a few days and about a degree: what a reader may want to merge."""
    from mapper.families import family_of
    from mapper.filters import Filters

    if found.event_date is None:
        return []
    window = timedelta(days=days)
    bbox = (max(-180.0, found.lon - degrees), max(-90.0, found.lat - degrees),
            min(180.0, found.lon + degrees), min(90.0, found.lat + degrees))
    nearby = Filters(since=found.event_date - window, until=(found.event_date_end or found.event_date) + window,
                     type=family_of(found.event_type, found.sub_event_type), bbox=bbox, limit=limit + 1)
    return [i for i in store.query(nearby) if i.id != found.id][:limit]


def place_candidates(found: Any) -> tuple[list[Place], str | None]:
    """The gazetteer's ranked places for the incident's name as written (or resolved)."""
    name = found.mention or found.location
    try:
        return services().gazetteer.candidates(name, limit=10), None
    except GazetteerError as err:
        return [], str(err)


@bp.post("/incidents/<incident_id>/correct")
@auth.page_writer
def correct(incident_id: str):
    store = services().store
    found = store.get(incident_id)
    form = CorrectForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    place = chosen_place(found, form)
    store.correct_location(incident_id, place, who=auth.current_user(), note=form.note.data or None)
    flash(f"Moved to {place.name} ({place.lat:.4f}, {place.lon:.4f}).")
    return redirect(url_for("pages.incident", incident_id=incident_id))


def chosen_place(found: Any, form: CorrectForm) -> Place:
    """A candidate picked by geonameid (looked up again, never trusted from the form), or typed coordinates."""
    if form.geonameid.data:
        candidates, error = place_candidates(found)
        for place in candidates:
            if str(place.geonameid) == form.geonameid.data:
                return place
        abort(400, description=error or f"{form.geonameid.data!r} is not one of this place's candidates")
    if form.lat.data is None or form.lon.data is None:
        abort(400, description="pick a candidate, or give both latitude and longitude")
    return Place(
        name=(form.name.data or found.location).strip(),
        lat=float(form.lat.data),
        lon=float(form.lon.data),
        country=found.country,
        feature="point",
        score=1.0,
        raw={"source": "manual correction"},
    )


@bp.post("/incidents/<incident_id>/merge")
@auth.page_writer
def merge(incident_id: str):
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    other = form.other_id.data.strip()
    if other == incident_id:
        abort(400, description="an incident cannot be merged with itself")
    services().store.merge(incident_id, other, who=auth.current_user())
    flash(f"Merged {other} into this incident.")
    return redirect(url_for("pages.incident", incident_id=incident_id))


@bp.route("/ingest", methods=["GET", "POST"])
@auth.page_writer
def ingest():
    form = IngestForm()
    if not form.is_submitted():
        return render_template("ingest.html", form=form)
    if not form.validate():
        return render_template("ingest.html", form=form, error=form_errors(form)), 400
    try:
        article = article_from_form(form)
    except ArticleError as err:
        return render_template("ingest.html", form=form, error=str(err)), 400
    found = services().extract(article)
    save = SaveArticleForm(formdata=None, data=article_record(article))
    return render_template("ingest.html", form=form, article=article, incidents=found, save=save)


@bp.post("/ingest/save")
@auth.page_writer
def ingest_save():
    from mapper.articles import article_from_record

    form = SaveArticleForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    article = article_from_record({k: form[k].data or None for k in ("text", "published", "url", "title", "source")})
    found = services().extract(article)
    services().store.ingest(article, found)
    flash(f"Saved {len(found)} incident{'s' if len(found) != 1 else ''} from {article.title or 'the article'}.")
    focus = found[0].id if found else None
    return redirect(url_for("pages.map_page", focus=focus) if focus else url_for("pages.ingest"))


def article_from_form(form: IngestForm) -> Any:
    """An Article from the upload or the pasted text; the form's own fields win over the article's headers."""
    from mapper.articles import read_article

    published = date.fromisoformat(form.published.data) if form.published.data else None
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        data, origin = upload.read(), upload.filename
    elif (form.text.data or "").strip():
        # Bytes, never str: read_article takes a str that names a file as a path to read.
        data, origin = form.text.data.encode("utf-8"), "<form>"
    else:
        raise ArticleError("paste the article text or choose a file")
    article = read_article(data, origin=origin)
    given = {k: form[k].data.strip() for k in ("url", "title", "source") if (form[k].data or "").strip()}
    if published is not None:
        given["published"] = published
    return dataclasses.replace(article, **given)


def article_record(article: Any) -> dict[str, Any]:
    return {
        "text": article.text,
        "published": article.published.isoformat() if article.published else "",
        "url": article.url or "",
        "title": article.title or "",
        "source": article.source or "",
    }


def form_errors(form: Any) -> str:
    parts = [f"{form[name].label.text}: {'; '.join(errs)}" if name in form else "; ".join(errs)
             for name, errs in form.errors.items()]
    return " / ".join(parts) or "the form was incomplete"


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if auth.configured_token() is None:
        flash("This server has no token set: changes are open to anyone who can reach it.")
        return redirect(auth.safe_next(form.next.data))
    if form.validate_on_submit():
        if auth.sign_in(form.token.data, form.who.data):
            return redirect(auth.safe_next(form.next.data))
        return render_template("login.html", form=form, error="wrong token"), 403
    return render_template("login.html", form=form)


@bp.post("/logout")
def logout():
    auth.sign_out()
    return redirect(url_for("pages.map_page"))


@bp.app_context_processor
def inject() -> dict[str, Any]:
    return {"can_write": auth.can_write(), "token_required": auth.configured_token() is not None,
            "who": auth.current_user(), "asset_url": asset_url, "event_types": event_types()}


def asset_url(relpath: str) -> str:
    return current_app.config["ASSETS_URL"].rstrip("/") + "/" + relpath


def event_types() -> list[str]:
    return type_suggestions()


