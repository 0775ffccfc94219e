"""The security headers of every response: what the browser may load, frame and cache.

The policy allows scripts and styles from our own origin only, so no page may carry an
inline script, an `on…=` handler, a `javascript:` URL or a `style` attribute; the behaviour
lives in static/js/ and the looks in static/css/ (Flask-Admin's own inline handlers are
replaced by the templates in templates/admin/). Scripts may also carry the request's nonce,
which Flask-Admin writes on its script tags (`csp_nonce_generator` in crm/admin/__init__.py);
a page that wrote no nonce gets a policy that names none.
"""

import secrets

from flask import Flask, Response, current_app, g, request

#: Everything from our own origin; `data:` images for Bootstrap's drawn icons (the select
#: arrow, the close button). `{nonce}` and `{ancestors}` are filled in per response.
POLICY = (
    "default-src 'self'; "
    "script-src 'self'{nonce}; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors {ancestors}"
)
#: Headers every response carries, static files included.
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


#: The policy of a page that wrote no nonce (all but Flask-Admin's), framed by our own pages
#: or not: written once.
WITHOUT_NONCE = {
    own_frames: POLICY.format(nonce="", ancestors="'self'" if own_frames else "'none'")
    for own_frames in (False, True)
}


def csp_nonce() -> str:
    """The nonce of this request's scripts, as the Content-Security-Policy header names it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_framing_by_own_pages() -> None:
    """Let this response be shown in a frame of one of our own pages (the admin's "+"
    dialog shows another view's form in one); every other response refuses any frame."""
    g.framed_by_own_pages = True


def start_request() -> None:
    # Tests keep one app context, and so one `g`, across requests: each starts afresh.
    g.pop("csp_nonce", None)
    g.pop("framed_by_own_pages", None)


def add_security_headers(response: Response) -> Response:
    own_frames = g.get("framed_by_own_pages", False)
    nonce = g.get("csp_nonce")
    if nonce is None:
        policy = WITHOUT_NONCE[own_frames]
    else:
        ancestors = "'self'" if own_frames else "'none'"
        policy = POLICY.format(nonce=f" 'nonce-{nonce}'", ancestors=ancestors)
    response.headers.setdefault("Content-Security-Policy", policy)
    # For browsers that ignore frame-ancestors.
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN" if own_frames else "DENY")
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    # Set in production only (config.py): a development server speaks plain HTTP.
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
    if not is_static_file():
        # Pages are built per user and may show personal data: no copy in any cache, shared
        # or the browser's own (a shared computer after log-out).
        response.headers["Cache-Control"] = "no-store"
    return response


def is_static_file() -> bool:
    """True for our static files and Flask-Admin's ("static", "admin.static"): they hold
    nothing personal and keep the caching Flask gives them."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def register(app: Flask) -> None:
    app.before_request(start_request)
    app.after_request(add_security_headers)
