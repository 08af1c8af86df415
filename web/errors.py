"""Every error becomes a clear answer: `{"error": message}` with a 4xx status on the API,
a short page on the HTML side. Registered on the app so no request ends in a bare 500.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from mapper.errors import (
    ArticleError,
    ExtractionError,
    FilterError,
    IncidentMapError,
    IndexMissingError,
    NotFoundError,
    QueryError,
    StoreError,
)

log = logging.getLogger(__name__)

# Most specific first: NotFoundError is a StoreError, QueryError a GazetteerError.
STATUS: tuple[tuple[type[IncidentMapError], int], ...] = (
    (NotFoundError, 404),
    (FilterError, 400),
    (QueryError, 400),
    (ExtractionError, 422),  # a well-formed article we could not process (time budget): do not resend as is
    (ArticleError, 400),
    (IndexMissingError, 503),
    (StoreError, 503),
    (IncidentMapError, 400),
)


def status_for(err: IncidentMapError) -> int:
    for cls, status in STATUS:
        if isinstance(err, cls):
            return status
    return 400


def wants_json() -> bool:
    """API and health answers are JSON; pages get HTML."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(message: str, status: int) -> Response:
    if wants_json():
        response = jsonify(error=message)
        response.status_code = status
        return response
    return make_response(render_template("error.html", message=message, status=status), status)


def handle_http(err: HTTPException):
    message = err.description or err.name
    if isinstance(err, CSRFError):
        message = f"the form's security token is missing or expired ({err.description}); reload the page and try again"
    response = error_response(message, err.code or 500)
    # Keep the headers Werkzeug computed for the error: Allow (405), Retry-After (503), ...
    for name, value in err.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_ours(err: IncidentMapError):
    if isinstance(err, StoreError) and not isinstance(err, NotFoundError):
        # The client gets the short reason; the log gets the database's own words (SQL included).
        log.warning("store error on %s %s: %s", request.method, request.path, err.__cause__ or err)
    elif isinstance(err, ExtractionError) and err.detail:
        log.error("extraction failed on %s %s: %s\n%s", request.method, request.path, err, err.detail)
    return error_response(str(err), status_for(err))


def handle_unexpected(err: Exception):
    if isinstance(err, HTTPException):
        return handle_http(err)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(InternalServerError.description, 500)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(IncidentMapError, handle_ours)
    app.register_error_handler(Exception, handle_unexpected)
