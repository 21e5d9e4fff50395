"""The events feed is written by receivers of the domain events (barrier.events), in the sender's
transaction: an event exists exactly when the change it reports was committed."""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, text

from barrier import events
from barrier.api import services
from barrier.db import utcnow
from barrier.models import Application
from barrier.models.api import ApiEvent, ApiScope
from barrier.models.register import RegisterHit


@events.application_submitted.connect
def application_submitted(app: Application, **_kwargs) -> None:
    services.add_event("application.submitted", scope=ApiScope.APPLICATIONS_READ, gemeente_id=app.gemeente_id,
                       application=app, status=app.status.value, permit_type=app.permit_type.value)


@events.status_changed.connect
def status_changed(app: Application, *, old_status=None, new_status=None, **_kwargs) -> None:
    services.add_event("application.status_changed", scope=ApiScope.APPLICATIONS_READ, gemeente_id=app.gemeente_id,
                       application=app, from_status=old_status.value if old_status else None,
                       to_status=(new_status or app.status).value)


@events.application_decided.connect
def application_decided(app: Application, *, outcome=None, permit=None, **_kwargs) -> None:
    services.add_event("application.decided", scope=ApiScope.APPLICATIONS_READ, gemeente_id=app.gemeente_id,
                       application=app, to_status=(outcome or app.status).value,
                       permit_number=permit.permit_number if permit is not None else None)


@sa_event.listens_for(RegisterHit, "after_insert")
def register_hit_found(_mapper, connection, hit: RegisterHit) -> None:
    """A new register hit on an application (the register sends no domain event for it, so the
    row itself is watched). Only the fact, the score and the kind: the entry stays need-to-know."""
    app = connection.execute(select(Application.gemeente_id, Application.reference)
                             .where(Application.id == hit.application_id)).first()
    tx_order = (connection.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one()
                if connection.dialect.name == "postgresql" else 0)
    connection.execute(insert(ApiEvent.__table__).values(
        kind="register.hit_found", scope=ApiScope.SCREENING_MATCH.value, tx_order=tx_order, at=utcnow(),
        gemeente_id=app.gemeente_id if app else None, application_id=hit.application_id,
        payload={"reference": app.reference if app else None, "hit_id": hit.id, "score": round(float(hit.score), 4),
                 "subject_kind": hit.subject_kind.value, "status": hit.status.value}))
