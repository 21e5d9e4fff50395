"""Helpers for Bibob tests: applications with a policy, dossiers opened and judged through the services."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from barrier.bibob import services
from barrier.bibob.services import JudgementInput
from barrier.models import ApplicationStatus, AuditEvent, PermitSettings, PermitType, Role
from barrier.models.bibob import BibobDossier
from screening.checklists import Ground
from tests.factories import UserFactory, gemeente_by_code

TODAY = date.today()  # noqa: DTZ011


def set_policy(db, gemeente: str, permit_type: PermitType, policy: str) -> None:
    gemeente_id = gemeente_by_code(db.session, gemeente).id
    row = db.session.scalar(select(PermitSettings).where(PermitSettings.gemeente_id == gemeente_id,
                                                         PermitSettings.permit_type == permit_type))
    if row is None:
        row = PermitSettings(gemeente_id=gemeente_id, permit_type=permit_type, overrides={})
        db.session.add(row)
    row.bibob_policy = policy
    db.session.commit()


def audit_actions(db, action: str | None = None, object_id=None) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == str(object_id))
    return list(db.session.scalars(stmt))


@dataclass
class Bibob:
    """Build dossiers as the coordinator would, each step in its own short request context (G1)."""

    flask_app: object
    db: object
    make_application: object

    def coordinator(self, gemeente: str = "GM0106"):
        return UserFactory(role=Role.BIBOB_COORDINATOR, gemeente_code=gemeente)

    def application(self, permit_type: PermitType = PermitType.SEKSINRICHTING, *,
                    status: ApplicationStatus = ApplicationStatus.IN_BEHANDELING, gemeente: str = "GM0106",
                    policy: str | None = "bij_signaal", received_days_ago: int = 10, **kwargs):
        if policy is not None:
            set_policy(self.db, gemeente, permit_type, policy)
        return self.make_application(permit_type, status=status, gemeente=gemeente,
                                     received_days_ago=received_days_ago, **kwargs)

    def run(self, fn, *args, **kwargs):
        with self.flask_app.test_request_context():
            result = fn(*args, **kwargs)
            self.db.session.commit()
            return result

    def dossier(self, app=None, *, coordinator=None, **kwargs) -> BibobDossier:
        app = app or self.application(**kwargs)
        coordinator = coordinator or self.coordinator(gemeente=app.gemeente.cbs_code)
        return self.run(services.open_dossier, app, actor=coordinator, today=TODAY)

    def judged(self, dossier: BibobDossier | None = None, *, answers: dict | None = None, **kwargs) -> BibobDossier:
        """A dossier with answers and a judgement that follows the proposal (so it is reportable)."""
        dossier = dossier or self.dossier(**kwargs)
        coordinator = dossier.coordinator

        def _judge():
            services.save_answers(dossier, answers if answers is not None else {"BIB-CL-SEK-E03": "ja"},
                                  actor=coordinator)
            assessment = services.assessment_for(dossier)
            services.record_judgement(dossier, JudgementInput(
                a_level=assessment.ground(Ground.A_GROND).level, b_level=assessment.ground(Ground.B_GROND).level,
                level=assessment.proposal, advice=assessment.advice, art3_lid6=assessment.lid6_indicated,
                motivation="Contante betaling van de inventaris; geen andere aanwijzingen.",
                conditions="Jaarlijks de jaarrekening overleggen." if assessment.advice.value == "verlenen_met_voorschriften" else ""),
                actor=coordinator)
            return dossier

        return self.run(_judge)

    def reload(self, dossier: BibobDossier) -> BibobDossier:
        self.db.session.expire_all()
        return self.db.session.get(BibobDossier, dossier.id)


@pytest.fixture
def bibob(app, db, make_application) -> Bibob:
    return Bibob(app, db, make_application)


@pytest.fixture
def coordinator_browser(app, db, login_as):
    """``coordinator_browser(gemeente="GM0106")``: a logged-in Bibob-coördinator (Browser, with .user)."""

    def _make(gemeente: str = "GM0106"):
        return login_as(Role.BIBOB_COORDINATOR, gemeente=gemeente)

    return _make


@dataclass
class FakeHit:
    entity_label: str
    kind: str
    score: float
    explanation: str
    status: str


@pytest.fixture
def fake_register(monkeypatch):
    """Install a stand-in register area with ``hits_for_application``; returns the dict of hits per application."""
    hits: dict[int, list[FakeHit]] = {}
    module = types.ModuleType("barrier.register.services")
    module.hits_for_application = lambda application_id: list(hits.get(application_id, []))
    package = sys.modules.get("barrier.register")
    if package is None:
        package = types.ModuleType("barrier.register")
        package.__path__ = []
        monkeypatch.setitem(sys.modules, "barrier.register", package)
    monkeypatch.setitem(sys.modules, "barrier.register.services", module)
    monkeypatch.setattr(package, "services", module, raising=False)
    return hits


def days(n: int) -> timedelta:
    return timedelta(days=n)
