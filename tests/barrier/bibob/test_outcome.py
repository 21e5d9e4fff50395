"""Only the Bibob conclusion leaves the area: the inspection risk score reads it (issue 6)."""

from __future__ import annotations

from barrier.bibob import services
from barrier.inspections.facts import bibob_outcome_for_application
from screening.planning import BibobOutcome


def test_no_dossier_or_no_judgement_means_not_investigated(bibob):
    dossier = bibob.dossier()
    assert bibob.run(services.outcome_for_application, dossier.application_id) is None
    assert bibob.run(bibob_outcome_for_application, dossier.application_id) is BibobOutcome.NIET_ONDERZOCHT


def test_the_latest_judgement_is_the_outcome_the_planner_sees(bibob):
    dossier = bibob.judged()
    level = dossier.judgement.level
    assert bibob.run(services.outcome_for_application, dossier.application_id) is level
    assert bibob.run(bibob_outcome_for_application, dossier.application_id).value == level.value
