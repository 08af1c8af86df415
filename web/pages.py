"""The HTML pages: the map, the incident table, one incident, ingest, sign-in.

Views gather data and hand it to templates that only render. The map page is a shell: its
data comes from /api/incidents (web/static/map.js), so it stays small and fast.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from gazetteer.place import Place
from mapper.errors import ArticleError, FilterError, GazetteerError
from mapper.maps.names import place_label

from . import auth, params
from .families import families, type_groups, type_suggestions
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
    ("actor1", "Actors", True),
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
    """The live map: the client of `incident-map build`, reading the API for the URL's filters."""
    from mapper.maps.build import client_options

    filter_params, page_params, error = filter_state()
    config = {
        **client_options(incident_url=url_for("pages.incident", incident_id="ID").replace("ID", "{id}"),
                         online_tiles=True),
        "api": {
            "data": url_for("mapdata.map_data"),
            "summary": url_for("mapdata.summary"),
            "admin1": url_for("mapdata.admin1"),
            "countries": url_for("api.basemap_countries"),
            "labels": url_for("mapdata.labels"),
        },
        "links": {
            "table-link": url_for("pages.table"), "dashboard-link": url_for("pages.dashboard"),
            "export-csv": url_for("api.export_csv"), "export-geojson": url_for("api.export_geojson"),
            "export-gpkg": url_for("mapdata.export_gpkg"), "download-map": url_for("pages.full_map"),
        },
        "focus": page_params.get("focus"),
    }
    return render_template("map.html", config=config, filters=filter_params, error=error), 400 if error else 200


@bp.get("/dashboard")
def dashboard():
    """Charts of the incidents matching the filters: over time by family, top regions and actors."""
    filter_params, _, error = filter_state()
    config = {"summary": url_for("mapdata.summary"), "families": families(), "filters": filter_params,
              "mapUrl": url_for("pages.map_page"), "tableUrl": url_for("pages.table")}
    return render_template("dashboard.html", config=config, filters=filter_params, error=error), \
        400 if error else 200


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
    from mapper.errors import NotFoundError
    from mapper.storage import audit as audit_mod
    from mapper.storage.duplicates import suggest

    store = services().store
    try:
        found = store.get(incident_id)
    except NotFoundError:
        survivor = audit_mod.survivor(store, incident_id)
        if survivor is None:
            raise
        flash(f"Incident {incident_id} was merged into this one; its sources are listed below.")
        return redirect(url_for("pages.incident", incident_id=survivor))
    candidates, gazetteer_error = place_candidates(found)
    correct = CorrectForm(name=found.location, lat=round(found.lat, 5), lon=round(found.lon, 5))
    candidate_forms = [(place, CorrectForm(geonameid=str(place.geonameid))) for place in candidates if place.geonameid]
    trail = [(entry, audit_mod.field_diff(entry)) for entry in store.audit(incident_id)]
    undo = audit_mod.undoable(store, incident_id)
    return render_template(
        "incident.html", incident=found, properties=found.properties(), feature=found.to_feature(),
        place=place_label(found.location, found.mention), candidates=candidates, candidate_forms=candidate_forms,
        gazetteer_error=gazetteer_error, correct=correct, merge=MergeForm(), duplicates=suggest(store, found),
        audit=[(entry, changes) for entry, changes in trail if changes is not None], undo=undo,
        can_write=auth.can_write(), map_url=url_for("pages.map_page", focus=found.id),
    )


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


@bp.get("/incidents/<incident_id>/merge")
@auth.page_writer
def merge_confirm(incident_id: str):
    """Both incidents side by side, what the merge would make of them, and the button that does it."""
    from mapper.storage.duplicates import score
    from mapper.storage.merge import merge_into

    store = services().store
    other_id = (request.args.get("other_id") or "").strip()
    if not other_id:
        abort(400, description="say which incident to merge into this one (other_id)")
    if other_id == incident_id:
        abort(400, description="an incident cannot be merged with itself")
    keep, drop = store.get(incident_id), store.get(other_id)
    result = merge_into(keep, drop)
    rows = [(key, keep_props.get(key), drop_props.get(key), result_props.get(key))
            for keep_props, drop_props, result_props in [(keep.properties(), drop.properties(), result.properties())]
            for key in keep_props if key not in ("id", "sources")]
    form = MergeForm(other_id=other_id)
    return render_template("merge.html", keep=keep, drop=drop, result=result, rows=rows, form=form,
                           why=score(keep, drop), sources=len(result.sources))


@bp.post("/incidents/<incident_id>/merge")
@auth.page_writer
def merge(incident_id: str):
    from mapper.storage import audit as audit_mod

    form = MergeForm()
    if not form.validate_on_submit():
        abort(400, description=form_errors(form))
    other = form.other_id.data.strip()
    if other == incident_id:
        abort(400, description="an incident cannot be merged with itself")
    audit_mod.merge(services().store, incident_id, other, who=auth.current_user())
    flash(f"Merged {other} into this incident. Undo it with “Undo this merge” below.")
    return redirect(url_for("pages.incident", incident_id=incident_id))


@bp.post("/incidents/<incident_id>/unmerge")
@auth.page_writer
def unmerge(incident_id: str):
    from mapper.storage import audit as audit_mod

    # CSRFProtect has checked the form's token before this view runs.
    _, restored = audit_mod.unmerge(services().store, incident_id, who=auth.current_user())
    flash(f"Undone: {restored.id} is back as its own incident, with its {len(restored.sources)} "
          f"source{'s' if len(restored.sources) != 1 else ''}.")
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
    from mapper.maps.assets import CLIENT_CSS, CLIENT_JS

    return {"can_write": auth.can_write(), "token_required": auth.configured_token() is not None,
            "who": auth.current_user(), "asset_url": asset_url, "event_types": event_types(),
            "type_groups": type_groups(), "client_js": CLIENT_JS,
            "client_css": CLIENT_CSS, "place_label": place_label}


def asset_url(relpath: str) -> str:
    return current_app.config["ASSETS_URL"].rstrip("/") + "/" + relpath


def event_types() -> list[str]:
    return type_suggestions()


