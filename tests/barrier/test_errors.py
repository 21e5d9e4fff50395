"""Error pages: Dutch, without stack traces, and the database error page without the database."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from barrier.models import Role


def test_a_database_outage_while_logged_in_gives_the_dutch_503_page(login_as, db, monkeypatch):
    """Loading the logged-in user is the query that fails; the error page must not need it again
    (found by tests/faults on PostgreSQL: the handler failed too and gunicorn answered a bare 500)."""
    browser = login_as(Role.VERGUNNINGVERLENER)
    assert browser.get("/").status_code == 200

    def unavailable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "get", unavailable)
    monkeypatch.setattr(db.session, "execute", unavailable)
    response = browser.get("/")
    monkeypatch.undo()
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "De database is tijdelijk niet bereikbaar" in page and "OperationalError" not in page
    assert browser.get("/").status_code == 200  # the session survived the outage
