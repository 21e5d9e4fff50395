"""The applications list: search, filters, sorting, pagination, CSV export, gemeente scope."""

from __future__ import annotations

import csv
import io

from barrier.applications.services import OrganisationData
from barrier.models import ApplicationStatus, PermitType, Role


def test_search_by_name_kvk_reference_and_address(login_as, db, make_application):
    target = make_application(PermitType.VERHUURVERGUNNING,
                              applicant=OrganisationData(name="Zonnedauw Huisvesting B.V.", legal_form="bv", kvk_number="87654321"))
    other = make_application(PermitType.SEKSINRICHTING)
    browser = login_as(Role.VERGUNNINGVERLENER)
    for query in ("zonnedauw", "87654321", target.reference, "Zonnedauw huisvesting"):
        html = browser.get("/aanvragen", query_string={"q": query}).get_data(as_text=True)
        assert target.reference in html, query
        assert other.reference not in html, query


def test_filters_by_type_status_and_deadline(login_as, db, make_application):
    housing = make_application(PermitType.VERHUURVERGUNNING, received_days_ago=80)
    escort = make_application(PermitType.ESCORTBEDRIJF, status=ApplicationStatus.IN_BEHANDELING, received_days_ago=2)
    browser = login_as(Role.VERGUNNINGVERLENER)
    html = browser.get("/aanvragen?permit_type=verhuurvergunning").get_data(as_text=True)
    assert housing.reference in html and escort.reference not in html
    html = browser.get("/aanvragen?status=in_behandeling").get_data(as_text=True)
    assert escort.reference in html and housing.reference not in html
    html = browser.get("/aanvragen?deadline=verlopen").get_data(as_text=True)
    assert housing.reference in html and escort.reference not in html


def test_bad_filter_values_do_not_crash(login_as, db):
    browser = login_as(Role.VERGUNNINGVERLENER)
    for query in ("status=bogus", "sort=;drop", "gemeente=abc", "page=-3", "q=" + "%" * 500, "deadline=999999999999"):
        assert browser.get("/aanvragen?" + query).status_code == 200, query


def test_pagination(app, login_as, db, make_application, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    made = [make_application(PermitType.ESCORTBEDRIJF, received_days_ago=d) for d in (1, 2, 3)]
    browser = login_as(Role.VERGUNNINGVERLENER)
    first = browser.get("/aanvragen?sort=reference").get_data(as_text=True)
    second = browser.get("/aanvragen?sort=reference&page=2").get_data(as_text=True)
    assert "Pagina 1 van 2" in first
    shown = [a.reference for a in made if a.reference in first] + [a.reference for a in made if a.reference in second]
    assert sorted(shown) == sorted(a.reference for a in made)


def test_csv_export_of_the_filtered_list_neutralises_formulas(login_as, db, make_application):
    evil = make_application(PermitType.VERHUURVERGUNNING,
                            applicant=OrganisationData(name="=HYPERLINK(\"http://x\")", legal_form="bv", kvk_number="11112222"))
    make_application(PermitType.SEKSINRICHTING)
    response = login_as(Role.VERGUNNINGVERLENER).get("/aanvragen/export.csv?permit_type=verhuurvergunning")
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Kenmerk"
    assert [r[0] for r in rows[1:]] == [evil.reference]
    assert rows[1][4].startswith("'=")


def test_a_user_of_another_gemeente_sees_neither_the_list_entry_nor_the_page(login_as, db, make_application):
    assen = make_application(PermitType.SEKSINRICHTING, gemeente="GM0106")
    emmen_user = login_as(Role.VERGUNNINGVERLENER, gemeente="GM0114")
    assert assen.reference not in emmen_user.get("/aanvragen").get_data(as_text=True)
    assert emmen_user.get(f"/aanvragen/{assen.id}").status_code == 404
    assert emmen_user.get("/aanvragen/export.csv").get_data(as_text=True).count("\n") == 1


def test_the_toezichthouder_sees_permits_but_not_applications(login_as, db):
    browser = login_as(Role.TOEZICHTHOUDER)
    assert browser.get("/aanvragen").status_code == 403
    assert browser.get("/vergunningen").status_code == 200


def test_ordered_by_deadline_what_is_still_to_decide_comes_first(app, login_as, db, make_application):
    from barrier.applications import services
    from tests.barrier.conftest import TODAY

    decided = make_application(PermitType.ESCORTBEDRIJF, status=ApplicationStatus.IN_BEHANDELING, received_days_ago=200)
    open_later = make_application(PermitType.ESCORTBEDRIJF, received_days_ago=1)
    browser = login_as(Role.VERGUNNINGVERLENER)
    with app.test_request_context():
        services.decide(decided, outcome=ApplicationStatus.BUITEN_BEHANDELING, decided_on=TODAY,
                        grounds="Niet aangevuld binnen de hersteltermijn.", valid_from=None, valid_until=None,
                        conditions="", max_persons=None, actor=browser.user, today=TODAY)
        db.session.commit()
    # A decided application has no deadline running, though its old one lies before the open one's.
    assert decided.deadline_on is None and open_later.deadline_on is not None
    html = browser.get("/aanvragen").get_data(as_text=True)
    assert html.index(open_later.reference) < html.index(decided.reference)
