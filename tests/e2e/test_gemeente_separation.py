"""A user of another gemeente cannot open Assen's records by URL: a Dutch 404 page, and audited."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ACCOUNTS

ASSEN = "SELECT {column} FROM {table} t JOIN gemeenten g ON g.id = t.gemeente_id WHERE g.cbs_code = 'GM0106' {extra} ORDER BY t.id LIMIT 1"


@pytest.mark.parametrize(("what", "table", "extra", "url"), [
    ("aanvraag", "applications", "AND t.status <> 'concept'", "/aanvragen/{id}"),
    ("wizardstap", "applications", "", "/aanvragen/{id}/stap/locatie"),
    ("document", "documents", "AND t.context = 'application'", "/documenten/{id}"),
    ("vergunning", "permits", "", "/vergunningen/{id}"),
])
def test_a_user_of_emmen_opening_an_assen_record_by_url_gets_a_dutch_404(visit, live_server, what, table, extra, url):
    record_id = live_server.scalar(ASSEN.format(column="t.id", table=table, extra=extra))
    assert record_id, f"the demo data has no {what} in Assen"
    refusals = live_server.scalar("SELECT count(*) FROM audit_events WHERE action = 'access.other_gemeente_refused'")
    emmen = visit.as_user(ACCOUNTS["vergunningverlener_emmen"])
    emmen.goto(url.format(id=record_id), status=404)
    assert emmen.text("h1") == "Niet gevonden"
    assert "bestaat niet, of u heeft er geen toegang toe" in emmen.text()
    assert emmen.page.locator("html").get_attribute("lang") == "nl"
    # Nothing of the record leaks into the page.
    if table == "applications":
        reference = live_server.scalar("SELECT reference FROM applications WHERE id = :id", id=record_id)
        assert reference not in emmen.page.content()
    assert live_server.scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'access.other_gemeente_refused'") == refusals + 1
    # The same URL works for the Assen colleague (so the 404 is about the gemeente, not the id).
    assen = visit.as_user(ACCOUNTS["vergunningverlener"])
    if table == "documents":
        # Demo documents are metadata without bytes: the colleague gets "not found" too, but it is no
        # refusal (nothing audited as access to another gemeente).
        response = assen.context.request.get(live_server.url + url.format(id=record_id))
        assert response.status == 404
        assert live_server.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'access.other_gemeente_refused'") == refusals + 1
    else:
        assen.goto(url.format(id=record_id), status=200)
