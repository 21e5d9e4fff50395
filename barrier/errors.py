"""Error pages in Dutch; refusals are audited; never a stack trace to the user."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from barrier import audit

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina. Denkt u dat dit niet klopt, neem dan contact op met de beheerder."),
    404: ("Niet gevonden", "Deze pagina of dit dossier bestaat niet, of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling is op deze pagina niet toegestaan."),
    413: ("Bestand te groot", "Het verzonden bestand of formulier is te groot."),
    429: ("Te veel verzoeken", "Te veel pogingen in korte tijd. Wacht even en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Uw handeling is niet uitgevoerd. Probeer het later opnieuw."),
    503: ("Tijdelijk niet beschikbaar", "De database is tijdelijk niet bereikbaar. Probeer het over enkele ogenblikken opnieuw; u hoeft niets opnieuw in te stellen."),
}


def _render(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


def _actor_gemeente() -> int | None:
    return current_user.gemeente_id if getattr(current_user, "is_authenticated", False) else None


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        audit.record_now("access.csrf_rejected", object_type="request", object_id=request.path[:60],
                         gemeente_id=_actor_gemeente(), reason=str(error.description)[:200])
        return _render(400, "Het formulier is verlopen of niet geldig (beveiligingscontrole). Ga terug, "
                            "laad de pagina opnieuw en verstuur het nog eens; uw invoer in dit venster blijft bewaard.")

    @app.errorhandler(403)
    def forbidden(error):
        audit.record_now("access.denied", object_type="request", object_id=request.path[:60],
                         gemeente_id=_actor_gemeente(), method=request.method,
                         endpoint=request.endpoint or "", reason=str(getattr(error, "description", ""))[:200])
        return _render(403)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        log.error("database error: %s", error)
        from barrier.db import db

        # The connection may be gone; the pool (pre-ping) reconnects on the next request.
        with contextlib.suppress(Exception):
            db.session.rollback()
        # The page must not need the database: loading the logged-in user is a query (and may be the
        # one that failed), so the page is rendered as for a visitor; the session itself is kept.
        g._login_user = current_app.login_manager.anonymous_user()
        return _render(503)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        detail = None
        if status == 429:
            detail = str(error.description) if error.description else None
        return _render(status if status in MESSAGES else 400, detail)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        from barrier.db import db

        db.session.rollback()
        return _render(500)
