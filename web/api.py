"""The JSON / GeoJSON API: the same filters as `build` and `export`, plus bbox and paging.

Reads are open. `POST /api/articles` writes and needs the bearer token when one is set; it
is exempt from CSRF because it is authenticated by a header a browser never adds on its own.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request, send_file, url_for

from mapper.errors import StoreUnavailableError

from . import auth, params
from .services import services

bp = Blueprint("api", __name__)


def request_filters(*, paged: bool = True) -> Any:
    filter_params, _ = params.split(request.args, page_keys=())
    if not paged:
        return params.parse_filters(filter_params)
    return params.parse_filters(
        filter_params,
        default_limit=current_app.config["API_DEFAULT_LIMIT"],
        max_limit=current_app.config["API_MAX_LIMIT"],
    )


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", **services().store.stats())


@bp.get("/api/incidents")
def incidents():
    filters = request_filters()
    features = services().store.features(filters)
    # Foreign members (RFC 7946 allows them): enough for a client to page on.
    return jsonify(type="FeatureCollection", features=features, limit=filters.limit,
                   offset=filters.offset, returned=len(features))


@bp.get("/api/basemap/countries.geojson")
def basemap_countries():
    """Offline country outlines for the map's base layer (empty when the gazetteer cannot give them)."""
    response = jsonify(services().countries_geojson())
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


REGION_CODE = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]{1,12}$")
MAX_REGIONS = 200


@bp.get("/api/regions.geojson")
def regions():
    """Admin-1 outlines by GeoNames code (``?codes=UA.05,RU.84``), for region-precision incidents.

    Codes the gazetteer has no shape for are left out, so the map falls back to the point.
    """
    codes = [c.strip() for c in request.args.get("codes", "").split(",") if c.strip()]
    if len(codes) > MAX_REGIONS:
        abort(400, description=f"at most {MAX_REGIONS} region codes per request")
    bad = [c for c in codes if not REGION_CODE.match(c)]
    if bad:
        abort(400, description=f"not an admin-1 code like UA.05: {bad[0][:20]!r}")
    gaz = services().gazetteer
    features = []
    for code in dict.fromkeys(codes):
        geometry = gaz.region_geometry(code)
        if geometry:
            features.append({"type": "Feature", "id": code, "properties": {"admin1_code": code}, "geometry": geometry})
    response = jsonify(type="FeatureCollection", features=features)
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/api/incidents/<incident_id>")
def incident(incident_id: str):
    from mapper.errors import NotFoundError
    from mapper.storage.audit import survivor

    store = services().store
    try:
        return jsonify(store.get(incident_id).to_feature())
    except NotFoundError:
        # An id merged into another answers with the incident that holds its reports now.
        now = survivor(store, incident_id)
        if now is None:
            raise
        return redirect(url_for("api.incident", incident_id=now), code=308)


@bp.get("/api/incidents/<incident_id>/audit")
def audit(incident_id: str):
    store = services().store
    store.get(incident_id)  # 404 for an unknown id, rather than an empty trail
    return jsonify(audit=store.audit(incident_id))


@bp.post("/api/articles")
@auth.api_writer
def post_article():
    """Extracts and stores one article. The answer's features carry the ids the incidents are
    stored under (after a merge, the surviving incident's), so each one resolves."""
    from mapper.articles import article_from_record

    if not request.is_json:
        # Also what keeps a cross-site <form> (which cannot send this type) from posting here.
        abort(415, description="send the article as JSON with `Content-Type: application/json`")
    try:
        record = request.get_json(silent=True)
    except RecursionError:
        abort(400, description="the JSON body is nested too deeply to be an article record")
    if not isinstance(record, dict):
        abort(400, description="the body must be one JSON object: {text, published, url, title, source}")
    article = article_from_record(record)
    store = services().store
    if store.read_only:  # say so before spending an extraction on it
        raise StoreUnavailableError("the store is read-only: this server serves reads only")
    # An article already stored costs no extraction: its answer lists what it reported.
    found = [] if store.has_article(article.id) else services().extract(article)
    result = store.ingest(article, found)
    if result.skipped:
        features = [f for f in (_stored_feature(store, i) for i in result.ids) if f is not None]
    else:
        features = [_with_id(i.to_feature(), stored) for i, stored in zip(found, result.ids, strict=True)]
    body = {"type": "FeatureCollection", "features": features, "article_id": article.id,
            "result": ingest_summary(result)}
    return jsonify(body), 201


def _with_id(feature: dict[str, Any], stored_id: str) -> dict[str, Any]:
    """The feature as this article reported it, under the id it is stored as."""
    return {**feature, "id": stored_id, "properties": {**feature["properties"], "id": stored_id}}


def _stored_feature(store: Any, incident_id: str) -> dict[str, Any] | None:
    from mapper.errors import NotFoundError

    try:
        return store.get(incident_id).to_feature()
    except NotFoundError:  # merged away by an editor a moment ago
        return None


def ingest_summary(result: Any) -> Any:
    """The store's IngestResult as JSON (a dataclass or anything with `to_dict`)."""
    import dataclasses

    if hasattr(result, "to_dict"):
        return result.to_dict()
    if dataclasses.is_dataclass(result):
        return dataclasses.asdict(result)
    return result


def export_name(ext: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d")
    return f"incidents-{stamp}.{ext}"


@bp.get("/api/export.geojson")
def export_geojson():
    features = services().store.features(request_filters(paged=False))
    response = jsonify(type="FeatureCollection", features=features)
    response.mimetype = "application/geo+json"
    response.headers["Content-Disposition"] = f'attachment; filename="{export_name("geojson")}"'
    return response


@bp.get("/api/export.csv")
def export_csv():
    from mapper.maps.export import export

    found = services().store.query(request_filters(paged=False))
    # mapper.maps.export writes files; a temporary one keeps the CSV columns in one place.
    fd, name = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    path = Path(name)
    try:
        export(found, path)
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export_name("csv")}"'},
    )
