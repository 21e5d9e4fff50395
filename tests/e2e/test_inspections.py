"""The toezichthouder: proposes an inspection plan, fixes it, records an inspection of a planned
visit with a trafficking signal, and reports the signal along the meldroute, where the
aandachtfunctionaris finds it. Every page on the way is audited (axe, CSP; conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.conftest import ACCOUNTS

ASSEN = "(SELECT id FROM gemeenten WHERE cbs_code = 'GM0106')"


def _monday_weeks_ahead(weeks: int) -> date:
    today = date.today()  # noqa: DTZ011 - the server's working day
    return today + timedelta(days=7 * weeks - today.weekday())


def test_the_toezichthouder_fixes_a_plan_and_records_an_inspection_with_a_signal(visit, live_server):
    inspector = visit.as_user(ACCOUNTS["toezichthouder"])
    page = inspector.page
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of "Plan vaststellen"

    # 1. A proposal for four weeks, far enough ahead not to meet a plan of the demo data.
    start = _monday_weeks_ahead(20)
    inspector.goto("/inspecties/planning")
    page.get_by_label("Eerste dag van de periode").fill(start.isoformat())
    page.get_by_label("Laatste dag van de periode").fill((start + timedelta(days=27)).isoformat())
    inspector.click(page.get_by_role("button", name="Plan voorstellen"))
    assert "Voorstel gemaakt" in inspector.flash()
    plan_id = int(page.url.rstrip("/").split("/")[-1])
    visits = live_server.scalar("SELECT count(*) FROM planned_visits WHERE plan_id = :p", p=plan_id)
    assert visits > 0

    # 2. Fixed: the visits are in the inspectors' agenda.
    inspector.click(page.get_by_role("button", name="Plan vaststellen"))
    assert "Plan vastgesteld" in inspector.flash()
    assert live_server.scalar("SELECT status FROM inspection_plans WHERE id = :p", p=plan_id) == "vastgesteld"

    # 3. The inspection of the first planned visit, on the phone form: persons, a signal, the outcome.
    visit_id = live_server.scalar("SELECT id FROM planned_visits WHERE plan_id = :p ORDER BY id LIMIT 1", p=plan_id)
    location_id = live_server.scalar("SELECT location_id FROM planned_visits WHERE id = :v", v=visit_id)
    inspector.goto(f"/inspecties/locaties/{location_id}/controle?bezoek={visit_id}")
    page.get_by_label("Aantal aanwezige personen", exact=True).fill("3")
    page.get_by_label("Waarvan identiteit gecontroleerd", exact=True).fill("2")
    signal_box = page.locator(".signal-group input[type=checkbox]").first
    signal_id = signal_box.get_attribute("value")
    signal_box.check()
    page.get_by_label("Signalen mensenhandel", exact=True).check()
    inspector.click(page.get_by_role("button", name="Controle afronden"))
    assert "Controle afgerond" in inspector.flash()
    inspection_id = live_server.scalar(
        "SELECT id FROM inspections WHERE visit_id = :v AND completed_at IS NOT NULL", v=visit_id)
    assert inspection_id, "the completed inspection is not linked to its planned visit"
    assert signal_id in inspector.text()

    # 4. The signal along the meldroute, from the inspection: it goes to Assen's aandachtfunctionaris.
    inspector.click(page.locator("main").get_by_role("link", name="Signaal melden").first)
    assert f"inspectie={inspection_id}" in page.url
    page.get_by_role("radio", name="Normaal").check()
    page.get_by_role("radio", name="Arbeidsuitbuiting").check()
    page.get_by_label("Wat heeft u waargenomen?").fill(
        "Drie personen in één kamer, geen eigen identiteitsbewijs; de beheerder sprak voor hen.")
    inspector.click(page.get_by_role("button", name="Signaal vastleggen"))
    assert "vastgelegd voor de aandachtfunctionaris mensenhandel van Assen" in inspector.flash()
    reference = live_server.scalar(
        f"SELECT reference FROM signals WHERE inspection_id = :i AND gemeente_id = {ASSEN}",  # noqa: S608
        i=inspection_id)
    assert reference
    assert f"/inspecties/controles/{inspection_id}" in page.url  # back to the inspection

    # 5. The aandachtfunctionaris of Assen sees it waiting, and opens it.
    attention = visit.as_user(ACCOUNTS["aandachtfunctionaris"])
    attention.goto("/signalen")
    assert reference in attention.text()
    attention.click(attention.page.get_by_role("link", name=reference).first)
    assert "Drie personen in één kamer" in attention.text()
