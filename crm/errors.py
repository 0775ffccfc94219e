"""Error pages: HTML for browsers, JSON {"error", "field"} for API clients."""

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def render_error(error: HTTPException):
    if wants_json():
        body = {"error": error.description}
        field = getattr(error, "field", None)
        if field:
            body["field"] = field
        return jsonify(body), error.code
    template = f"errors/{error.code}.html" if error.code in (403, 404, 500) else "errors/error.html"
    return render_template(template, error=error), error.code


def register(app: Flask) -> None:
    # Unhandled exceptions reach this handler as InternalServerError (an HTTPException);
    # under TESTING Flask re-raises them instead, so tests see the real traceback.
    app.register_error_handler(HTTPException, render_error)
