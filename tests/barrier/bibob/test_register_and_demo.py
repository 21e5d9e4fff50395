"""Register hits reach the dossier only through the register area's ``hits_for_application``; demo data."""

from __future__ import annotations

import io

import pypdf
from sqlalchemy import select

from barrier.bibob import reports, services
from barrier.models.bibob import BibobDossier, DossierStage
from screening.checklists import DangerLevel
from tests.barrier.bibob.conftest import TODAY, FakeHit


def test_without_the_register_area_no_hits_are_invented(bibob, coordinator_browser, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "barrier.register.services", None)  # importing it fails, as when absent
    if "barrier.register" in sys.modules:
        monkeypatch.delattr(sys.modules["barrier.register"], "services", raising=False)
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    with bibob.flask_app.test_request_context():
        assert services.register_hits(dossier) is None
        assert services.confirmed_hits_for(dossier) == []
    assert "Het risicoregister is nog niet beschikbaar" in browser.get(f"/bibob/dossiers/{dossier.id}").get_data(as_text=True)


def test_confirmed_register_hits_are_shown_with_their_explanation_and_feed_the_checklist(bibob, fake_register,
                                                                                        coordinator_browser):
    browser = coordinator_browser()
    dossier = bibob.dossier(coordinator=browser.user)
    fake_register[dossier.application_id] = [
        FakeHit("R. Bakker (geb. 03-09-1968)", "witwassen", 96.0, "Naam en geboortedatum gelijk", "bevestigd"),
        FakeHit("Velvet Holding B.V.", "vergunning_geweigerd", 88.0, "KvK-nummer gelijk", "open"),
        FakeHit("P. Jansen", "geweld", 61.0, "Alleen achternaam gelijk", "afgewezen"),
    ]
    page = browser.get(f"/bibob/dossiers/{dossier.id}").get_data(as_text=True)
    for text in ("R. Bakker (geb. 03-09-1968)", "Naam en geboortedatum gelijk", "Bevestigd", "Te beoordelen", "Afgewezen"):
        assert text in page
    with bibob.flask_app.test_request_context():
        assessment = services.assessment_for(dossier)
    # Only the confirmed hit counts: R01 (any hit) and R02 (witwassen, minimum mindere mate).
    assert {i.code for i in assessment.indicators} == {"BIB-CL-SEK-R01", "BIB-CL-SEK-R02"}
    assert assessment.proposal is DangerLevel.MINDERE_MATE
    bibob.judged(dossier, answers={})
    version = bibob.run(reports.issue_report, dossier, actor=browser.user, today=TODAY)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(version.pdf)).pages)
    assert "R. Bakker" in text and "Velvet Holding" not in text  # only confirmed hits go into the report


def test_demo_data_has_dossiers_at_several_stages_one_with_an_lbb_advice_of_ernstig_gevaar(app, db):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    dossiers = db.session.scalars(select(BibobDossier)).all()
    stages = {d.stage for d in dossiers}
    assert {DossierStage.VRAGENFORMULIER, DossierStage.LBB_AANGEVRAAGD, DossierStage.VOORNEMEN_WEIGEREN, DossierStage.ZIENSWIJZE,
            DossierStage.AFGEROND} <= stages
    assert any(r.a_level is DangerLevel.ERNSTIG for d in dossiers for r in d.lbb_requests)
    assert any(d.reports for d in dossiers)
    with app.app_context():
        from barrier.bibob import retention

        due = retention.overview(today=TODAY, due_only=True)
    assert due, "a dossier past its retention period shows the destruction workflow"


class _Summary:
    """What the register area's ``hits_for_application`` returns (a HitSummary), as plain attributes."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def test_the_checklist_kind_of_a_register_hit_follows_its_source_and_reason():
    from barrier.bibob.services import hit_category

    def summary(source_label="", entry_label="", kind="persoon"):
        return _Summary(entity_label="x", kind=kind, score=90.0, explanation="", status="bevestigd",
                        subject_label="", entry_label=entry_label, source_label=source_label)

    assert hit_category(summary("Geweigerde of ingetrokken vergunning (regio)")) in ("vergunning_geweigerd",
                                                                                     "vergunning_ingetrokken")
    assert hit_category(summary("Eigen Bibob-besluit")) == "bibob_besluit"
    assert hit_category(summary("Faillissement")) == "faillissement"
    # The most serious word wins: a refused permit because of money laundering counts as witwassen.
    assert hit_category(summary("Geweigerde of ingetrokken vergunning (regio)", "Veroordeeld voor witwassen")) == "witwassen"
    assert hit_category(summary("RIEC-signaal", "Signaal over huisvesting")) == "overig"
    assert hit_category(_Summary(kind="mensenhandel")) == "mensenhandel"  # an explicit checklist kind
