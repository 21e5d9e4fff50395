"""Access per role and gemeente on real records: the permitted role gets the page, another gemeente 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from barrier.auth.permissions import ROLE_PERMISSIONS, Permission
from barrier.db import db
from barrier.inspections import planning
from barrier.models import Role
from barrier.models.inspections import LocationKind
from tests.barrier.inspections.builders import TODAY

PAGES = [
    ("/inspecties/locaties", Permission.VIEW_LOCATIONS),
    ("/inspecties/locaties/{location}", Permission.VIEW_LOCATIONS),
    ("/inspecties/locaties/nieuw", Permission.EDIT_LOCATIONS),
    ("/inspecties/locaties/{location}/controle", Permission.RECORD_INSPECTIONS),
    ("/inspecties/controles", Permission.RECORD_INSPECTIONS),
    ("/inspecties/controles/{inspection}", Permission.RECORD_INSPECTIONS),
    ("/inspecties/controles/{draft}/bewerken", Permission.RECORD_INSPECTIONS),
    ("/inspecties/mijn-controles", Permission.RECORD_INSPECTIONS),
    ("/inspecties/planning", Permission.PLAN_INSPECTIONS),
    ("/inspecties/planning/{plan}", Permission.PLAN_INSPECTIONS),
    ("/inspecties/planning/{plan}/bezoeken/{visit}", Permission.PLAN_INSPECTIONS),
    ("/inspecties/planning/{plan}/planning.ics", Permission.PLAN_INSPECTIONS),
    ("/inspecties/handhaving", Permission.MANAGE_ENFORCEMENT),
    ("/signalen", Permission.VIEW_SIGNALS),
    ("/signalen/nieuw", Permission.CREATE_SIGNALS),
    ("/signalen/nieuw?locatie={location}", Permission.CREATE_SIGNALS),
    ("/signalen/{signal}", Permission.VIEW_SIGNALS),
    ("/signalen/overzicht", Permission.VIEW_REGIONAL_OVERVIEW),
]
OBJECT_PAGES = [p for p, _perm in PAGES if "{" in p.split("?")[0]]


@pytest.fixture
def records(app, world):
    """A location, a completed and a draft inspection with a measure, a fixed plan and a signal, all in Assen."""
    location = world.location(LocationKind.HUISVESTING_AM, permit=False)
    inspector = world.inspector()
    inspection = world.inspection(location, days_ago=3, inspector=inspector, deviations={"INS-WGV-23": "NEE"})
    world.measure(inspection, item_id="INS-WGV-23")
    draft = world.inspection(location, days_ago=0, complete=False, inspector=inspector)
    world.location(LocationKind.HUISVESTING_AM, permit=False)  # never inspected: the plan gets a visit
    with app.test_request_context():
        start = TODAY + timedelta(days=7 - TODAY.weekday())
        plan = planning.propose(location.gemeente_id, start=start, end=start + timedelta(days=13),
                                capacities=[(inspector, 3)], actor=inspector, today=TODAY)
        db.session.commit()
    signal = world.signal(location=location)
    # The signal reaches the ZVHD, so the regional role may read it too.
    from barrier.signals import services

    with app.test_request_context():
        from tests.factories import UserFactory

        aandacht = UserFactory(role=Role.AANDACHTFUNCTIONARIS, gemeente_code="GM0106")
        services.forward_signal(signal, target="ZVHD", legal_bases=["CONVENANT-ZVHD"], motivation="Serieus",
                                actor=aandacht)
        db.session.commit()
    return {"location": location.id, "inspection": inspection.id, "draft": draft.id, "plan": plan.id,
            "visit": plan.visits[0].id, "signal": signal.id}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_exactly_its_pages_with_real_records(login_as, records, role):
    browser = login_as(role)
    for template, permission in PAGES:
        url = template.format(**records)
        status = browser.get(url).status_code
        if permission in ROLE_PERMISSIONS[role]:
            assert status == 200, (url, status)
        else:
            assert status == 403, (url, status)


@pytest.mark.parametrize("role", [Role.TOEZICHTHOUDER, Role.AANDACHTFUNCTIONARIS, Role.VERGUNNINGVERLENER],
                         ids=lambda r: r.value)
def test_records_of_another_gemeente_answer_404(login_as, records, role):
    browser = login_as(role, gemeente="GM0114")
    for template in OBJECT_PAGES:
        permission = next(p for t, p in PAGES if t == template)
        if permission not in ROLE_PERMISSIONS[role]:
            continue
        url = template.format(**records)
        assert browser.get(url).status_code == 404, url
