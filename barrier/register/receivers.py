"""Reactions to the applications area's domain events (barrier.events); they flush, never commit.

* On submission and on every change of parties or addresses, the application is screened.
  Screening runs in a SAVEPOINT: if it fails, the submission still succeeds (the next
  re-screening picks the application up, since it was not recorded as screened).
* A refusal or revocation on Bibob grounds proposes its parties for the register; a coördinator
  confirms before anything is added (issue 4 §5).
"""

from __future__ import annotations

import logging
import re

from barrier import audit, events
from barrier.db import db
from barrier.models import Application, ApplicationStatus
from barrier.models.register import RegisterSource
from barrier.register import services

log = logging.getLogger(__name__)

_BIBOB_GROUNDS = re.compile(r"\bbibob\b", re.IGNORECASE)
REFUSALS = (ApplicationStatus.GEWEIGERD, ApplicationStatus.INGETROKKEN)


def _screen(app: Application, actor) -> None:
    try:
        with db.session.begin_nested():
            services.screen_application(app, actor=actor, allow_stale=True)
    except Exception:  # the submission must not fail because of the register
        log.exception("register screening of application %s failed", app.id)
        audit.record("register.screening_failed", object_type="applications", object_id=app.id,
                     gemeente_id=app.gemeente_id, actor=actor)


@events.application_submitted.connect
def screen_on_submit(app: Application, actor=None, **_kwargs) -> None:
    _screen(app, actor)


@events.parties_changed.connect
def screen_on_party_change(app: Application, actor=None, **_kwargs) -> None:
    _screen(app, actor)


@events.application_decided.connect
def propose_on_bibob_refusal(app: Application, actor=None, outcome=None, **_kwargs) -> None:
    """A refusal whose grounds name the Wet Bibob proposes the parties and location (confirmation needed)."""
    if outcome not in REFUSALS or not _BIBOB_GROUNDS.search(app.decision_grounds or ""):
        return
    services.propose_register_entries(
        app, f"{outcome.label} op Bibob-gronden ({app.reference or app.id}): {(app.decision_grounds or '')[:500]}",
        RegisterSource.VERGUNNING_GEWEIGERD, actor=actor, origin="applications")
