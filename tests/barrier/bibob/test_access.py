"""Need-to-know (art. 28 Wet Bibob): who sees what of a dossier, and every read of the details is audited."""

from __future__ import annotations

import pytest

from barrier.bibob import services
from barrier.models import Role
from barrier.models.bibob import InvestigationSource
from tests.barrier.bibob.conftest import TODAY, audit_actions

TABS = ("", "/vragenformulier", "/checklist", "/onderzoek", "/lbb", "/oordeel", "/procedure", "/rapport")
SECRET = "Geheime bevinding uit het RIEC-overleg"


@pytest.fixture
def judged_dossier(bibob):
    dossier = bibob.dossier()
    bibob.run(services.add_investigation, dossier, source=InvestigationSource.RIEC, consulted_on=TODAY, subject="pand",
              outcome=SECRET, is_finding=True, actor=dossier.coordinator, today=TODAY)
    return bibob.judged(dossier, answers={"BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-E02": "25000"})


def test_the_coordinator_of_the_gemeente_reads_every_tab_and_each_read_is_audited(judged_dossier, db, coordinator_browser):
    browser = coordinator_browser()
    for tab in TABS:
        response = browser.get(f"/bibob/dossiers/{judged_dossier.id}{tab}")
        assert response.status_code == 200, tab
        assert "Vertrouwelijk — art. 28 Wet Bibob" in response.get_data(as_text=True)
    reads = audit_actions(db, "bibob_dossier.viewed", judged_dossier.id)
    assert [e.details["part"] for e in reads] == ["overzicht", "vragenformulier", "checklist", "onderzoek", "lbb",
                                                   "oordeel", "procedure", "rapport"]
    assert {e.actor_id for e in reads} == {browser.user.id}
    assert SECRET in browser.get(f"/bibob/dossiers/{judged_dossier.id}/onderzoek").get_data(as_text=True)


def test_the_vergunningverlener_sees_stage_and_conclusion_only(judged_dossier, db, login_as):
    browser = login_as(Role.VERGUNNINGVERLENER)
    page = browser.get(f"/aanvragen/{judged_dossier.application_id}").get_data(as_text=True)
    assert judged_dossier.reference in page and "Oordeel vastgesteld" in page
    assert "Verlenen met voorschriften" in page  # the advice and its conditions (domain.md §1.9)
    assert "Jaarlijks de jaarrekening overleggen." in page
    assert f"/bibob/dossiers/{judged_dossier.id}" not in page  # no link to the details
    assert SECRET not in page and "Contante betaling van de inventaris" not in page  # no contents, no motivation
    for tab in TABS:
        assert browser.get(f"/bibob/dossiers/{judged_dossier.id}{tab}").status_code == 403
    assert audit_actions(db, "bibob_dossier.viewed", judged_dossier.id) == []
    # The list shows a Bibob badge with the stage.
    assert "Bibob: oordeel vastgesteld" in browser.get("/aanvragen").get_data(as_text=True)


def test_a_coordinator_of_another_gemeente_gets_404_and_the_attempt_is_audited(judged_dossier, db, coordinator_browser):
    browser = coordinator_browser("GM0114")
    for tab in TABS:
        assert browser.get(f"/bibob/dossiers/{judged_dossier.id}{tab}").status_code == 404
    assert browser.submit(f"/bibob/dossiers/{judged_dossier.id}/oordeel", {"motivation": "x"}, form_url="/").status_code == 404
    refused = audit_actions(db, "access.bibob_refused", judged_dossier.id)
    assert len(refused) == len(TABS) + 1 and all(e.actor_id == browser.user.id for e in refused)
    assert audit_actions(db, "bibob_dossier.viewed", judged_dossier.id) == []
    assert judged_dossier.reference not in browser.get("/bibob?stage=alle").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.KETENREGISSEUR, Role.TOEZICHTHOUDER, Role.AANDACHTFUNCTIONARIS])
def test_other_roles_never_read_the_details(judged_dossier, login_as, role):
    browser = login_as(role)
    assert browser.get(f"/bibob/dossiers/{judged_dossier.id}").status_code == 403
    assert browser.get("/bibob").status_code == 403


def test_a_report_download_by_another_gemeente_is_refused(bibob, db, coordinator_browser):
    from barrier.bibob import reports

    dossier = bibob.judged()
    version = bibob.run(reports.issue_report, dossier, actor=dossier.coordinator, today=TODAY)
    browser = coordinator_browser("GM0114")
    response = browser.submit(f"/bibob/rapporten/{version.id}/download", {"legal_basis": "DISC-INTERN", "recipient": "ik"},
                              form_url="/")
    assert response.status_code == 404


def test_the_coordinator_home_page_lists_open_dossiers_lbb_dates_and_concepts(bibob, coordinator_browser):
    browser = coordinator_browser()
    judged = bibob.judged(coordinator=browser.user)
    waiting = bibob.dossier(coordinator=browser.user, received_days_ago=30)
    bibob.run(services.request_lbb_advice, waiting, requested_on=TODAY, extension_weeks=0, notice_logged=True,
              supplementary=False, actor=browser.user, today=TODAY)
    page = browser.get("/").get_data(as_text=True)
    assert "Open Bibob-dossiers" in page and judged.reference in page
    assert f"{waiting.reference} · advies LBB" in page and "nog 56 dagen" in page
    assert f"{judged.reference} · rapport in concept" in page


def test_the_dossier_list_shows_own_gemeente_and_filters(bibob, coordinator_browser):
    browser = coordinator_browser()
    mine = bibob.dossier(coordinator=browser.user)
    other = bibob.dossier(gemeente="GM0114")
    page = browser.get("/bibob").get_data(as_text=True)
    assert mine.reference in page and other.reference not in page
    assert mine.reference not in browser.get("/bibob?stage=oordeel").get_data(as_text=True)
    assert mine.reference in browser.get("/bibob?q=jansen").get_data(as_text=True)
    assert mine.reference in browser.get("/bibob?q=" + mine.reference.lower()).get_data(as_text=True)
    # A search text too long to be one (fuzzing found a 503: SQLite's LIKE pattern limit) is shown back
    # with its error and not applied; a '%' is a character, not a wildcard.
    long_query = "A" * 50_000
    response = browser.get("/bibob", query_string={"q": long_query})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "field__error" in page and long_query in page
    assert mine.reference not in browser.get("/bibob?q=%25").get_data(as_text=True)
