"""Reactions to the applications area's domain events (barrier.events); they flush, never commit."""

from __future__ import annotations

import logging
from datetime import date

from barrier import audit, events
from barrier.bibob import services
from barrier.models import Application
from barrier.models.bibob import OpenReason

log = logging.getLogger(__name__)


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


@events.application_submitted.connect
def open_dossier_by_policy(app: Application, actor=None, **_kwargs) -> None:
    """Beleidsregel Bibob (domain.md §1.1): a permit type marked 'altijd' gets a dossier on submission."""
    policy = services.bibob_policy(app)
    if not policy.always or services.active_dossier(app.id) is not None:
        return
    try:
        services.open_dossier(app, actor=actor, today=_today(), reason=OpenReason.BELEIDSREGEL)
    except services.BibobError as error:
        # The submission itself must not fail: the coordinator can still open the dossier by hand.
        log.error("Bibob dossier for application %s not opened automatically: %s", app.id, error.message)
        audit.record("bibob_dossier.auto_open_failed", object_type="applications", object_id=app.id,
                     gemeente_id=app.gemeente_id, actor=actor, reason=error.message)


@events.application_decided.connect
def close_dossiers(app: Application, **_kwargs) -> None:
    """A decision ends the procedure and starts the retention period (domain.md §1.8)."""
    services.application_decided(app)
