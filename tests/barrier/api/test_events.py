"""The events feed: status changes in order, an opaque cursor, gemeente isolation, scopes."""

from __future__ import annotations

from datetime import date

from barrier.applications import services as app_services
from barrier.models import ApplicationStatus, Role
from tests.factories import UserFactory


def _all_events(client, headers, since=None, limit=100):
    url = "/api/v1/events" + (f"?since={since}&limit={limit}" if since else f"?limit={limit}")
    return client.get(url, headers=headers).get_json()


def test_submission_status_change_and_decision_appear_in_order(app, client, db, api_key, make_application):
    start = _all_events(client, api_key.headers)["next_cursor"]
    application = make_application()
    officer = UserFactory(role=Role.VERGUNNINGVERLENER, gemeente_code="GM0106")
    with app.test_request_context():
        app_services.transition(application, ApplicationStatus.IN_BEHANDELING, actor=officer, today=date.today())  # noqa: DTZ011
        app_services.decide(application, outcome=ApplicationStatus.VERLEEND, decided_on=date.today(),  # noqa: DTZ011
                            grounds="Voldoet", valid_from=date.today(), valid_until=None, conditions="",  # noqa: DTZ011
                            max_persons=None, actor=officer, today=date.today())  # noqa: DTZ011
        db.session.commit()
    page = _all_events(client, api_key.headers, since=start)
    mine = [e for e in page["events"] if e["application"] == application.reference]
    assert [e["kind"] for e in mine] == ["application.submitted", "application.status_changed", "application.decided"]
    assert mine[1]["data"] == {"from_status": "ontvangen", "to_status": "in_behandeling"}
    assert mine[2]["data"]["to_status"] == "verleend" and mine[2]["data"]["permit_number"].endswith("-V")
    assert all(e["gemeente"] == "GM0106" for e in mine)
    # Continuing from the returned cursor gives nothing new.
    assert _all_events(client, api_key.headers, since=page["next_cursor"])["events"] == []
    assert page["links"]["next"].endswith(f"since={page['next_cursor']}&limit=100")


def test_the_cursor_pages_through_without_gaps_or_repeats(client, api_key, make_application):
    start = _all_events(client, api_key.headers)["next_cursor"]
    references = [make_application().reference for _ in range(3)]
    seen, cursor = [], start
    for _ in range(10):
        page = _all_events(client, api_key.headers, since=cursor, limit=1)
        if not page["events"]:
            break
        seen += [e["application"] for e in page["events"]]
        cursor = page["next_cursor"]
    assert seen == references


def test_a_bound_client_sees_only_its_gemeentes_events(client, make_api_client, make_application):
    assen, regional = make_api_client(gemeente="GM0106"), make_api_client(gemeente=None)
    start_assen = _all_events(client, assen.headers)["next_cursor"]
    start_region = _all_events(client, regional.headers)["next_cursor"]
    emmen = make_application(gemeente="GM0114")
    assert emmen.reference not in {e["application"] for e in _all_events(client, assen.headers, since=start_assen)["events"]}
    assert emmen.reference in {e["application"] for e in _all_events(client, regional.headers, since=start_region)["events"]}


def test_a_forged_cursor_is_a_422_problem(client, api_key):
    response = client.get("/api/v1/events?since=not-a-cursor", headers=api_key.headers)
    assert response.status_code == 422
    assert response.get_json()["invalid-params"][0]["name"] == "since"
