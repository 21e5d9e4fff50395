"""The events feed is written by receivers of the domain events (barrier.events), in the sender's
transaction: an event exists exactly when the change it reports was committed."""

from __future__ import annotations

from barrier import events
from barrier.api import services
from barrier.models import Application
from barrier.models.api import ApiScope


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
