"""Screening applications against the register, reviewing hits, re-screening, hooks and proposals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from barrier import events
from barrier.applications import services as app_services
from barrier.models import Application, ApplicationStatus, AuditEvent, PartyRole, PermitType, Role
from barrier.models.register import (
    ApplicationScreening,
    Confidentiality,
    HitStatus,
    ProposalStatus,
    RegisterHit,
    RegisterProposal,
    RegisterSource,
    RiskEntity,
)
from barrier.register import index as register_index
from barrier.register import services
from screening.matching import ENGINE_VERSION
from tests.barrier.conftest import location, person
from tests.factories import UserFactory

TODAY = date.today()  # noqa: DTZ011


def _hits(db, app_id: int) -> list[RegisterHit]:
    return list(db.session.scalars(select(RegisterHit).where(RegisterHit.application_id == app_id)
                                   .order_by(RegisterHit.id)))


def _coordinator(gemeente: str = "GM0106"):
    return UserFactory(role=Role.BIBOB_COORDINATOR, gemeente_code=gemeente)


def _rescreen(app, *, force: bool = False) -> None:
    with app.test_request_context():
        index = register_index.current_index()
        pending, _total = services.rescreen_targets(version=index.version, today=TODAY, force=force)
        services.screen_applications(services.load_for_screening(pending), index=index, today=TODAY)
        services.db.session.commit()


@pytest.fixture
def jansen(make_entity):
    """A register entry for the default applicant of make_application, spelt differently."""
    return make_entity(given_names="P.", surname="JANSEN", birth_date=date(1980, 5, 17),
                       reason="RIEC-signaal: katvanger")


def test_submitting_screens_every_party_and_address_with_explained_hits(app, db, jansen, make_entity,
                                                                          make_application):
    address = make_entity("adres", street="Kloosterstr.", house_number="12", postcode="9401AB", city="Assen",
                          reason="Overbewoning")
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    hits = {h.entity_id: h for h in _hits(db, application.id)}
    assert set(hits) == {jansen.id, address.id}
    person_hit = hits[jansen.id]
    assert person_hit.status is HitStatus.OPEN and person_hit.subject_kind.value == "persoon"
    assert "Pieter Jansen" in person_hit.subject_label and "aanvrager" in person_hit.subject_label
    assert person_hit.score >= 0.7 and "geboortedatum" in person_hit.explanation
    assert person_hit.features and {"label", "query", "register", "contribution"} <= set(person_hit.features[0])
    assert person_hit.engine_version == ENGINE_VERSION
    assert person_hit.register_version == services.current_version()
    assert "locatie" in hits[address.id].subject_label
    screening = db.session.get(ApplicationScreening, application.id)
    assert screening.register_version == services.current_version() and screening.hits == 2
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register_hits.found",
                                                      AuditEvent.object_id == str(application.id)))


def test_the_applicant_company_is_screened_by_the_trade_name_it_applies_under(app, db, make_entity,
                                                                             make_application):
    """The establishment's name on the application ("Club Venus") is a trade name of the applicant:
    a register entry for another exploitant of a "Club Venus" is found, with h.o.d.n. in the hit."""
    venus = make_entity("organisatie", name="Lubbers Beheer B.V. h.o.d.n. Club Venus", reason="Vergunning ingetrokken")
    make_entity("organisatie", name="Kuipers Vastgoed B.V.", reason="Faillissement")
    application = make_application(PermitType.SEKSINRICHTING, status=ApplicationStatus.CONCEPT,
                                   applicant=app_services.OrganisationData(name="Kuipers Exploitatie B.V."))
    assert _hits(db, application.id) == []
    with app.test_request_context():
        officer = UserFactory(role=Role.VERGUNNINGVERLENER)
        application = db.session.get(Application, application.id)
        application.trade_name = "Club Venus"
        app_services.submit(application, actor=officer, today=TODAY)
        db.session.commit()
    [hit] = _hits(db, application.id)
    assert hit.entity_id == venus.id and hit.score >= 0.85
    assert "Kuipers Exploitatie B.V. (aanvrager)" in hit.subject_label
    assert "Club Venus ~ Lubbers Beheer h.o.d.n. Club Venus" in hit.explanation


def test_an_organisations_own_trade_names_are_screened(app, db, make_entity, make_application):
    lounge = make_entity("organisatie", name="Venus Lounge", reason="RIEC-signaal: uitbuiting")
    application = make_application(applicant=app_services.OrganisationData(
        name="Kuipers Exploitatie B.V.", trade_names="Club Rood; Venus Lounge"))
    [hit] = _hits(db, application.id)
    assert hit.entity_id == lounge.id
    assert "Venus Lounge ~ Venus Lounge" in hit.explanation


def test_a_concept_is_not_screened_but_a_party_added_after_submission_is(app, db, make_entity, make_application):
    lender = make_entity(given_names="Ştefan", surname="Popescu", birth_date=date(1975, 1, 9), reason="Sanctielijst",
                         source=RegisterSource.SANCTIELIJST)
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    assert _hits(db, application.id) == []
    with app.test_request_context():
        officer = UserFactory(role=Role.VERGUNNINGVERLENER)
        app_services.add_party(application, role=PartyRole.VERMOGENSVERSCHAFFER, actor=officer,
                               person=app_services.upsert_person(person(surname="Popescu", given="Stefan",
                                                                        birth=date(1975, 1, 9))))
        db.session.commit()
    [hit] = _hits(db, application.id)
    assert hit.entity_id == lender.id and "vermogensverschaffer" in hit.subject_label


def test_review_decisions_are_kept_and_audited_and_a_dismissal_needs_a_reason(app, db, jansen, make_application):
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    [hit] = _hits(db, application.id)
    with app.test_request_context():
        coordinator = _coordinator()
        with pytest.raises(services.RegisterError, match="reden"):
            services.review_hit(hit, decision=HitStatus.AFGEWEZEN, reason="  ", actor=coordinator)
        for decision in (HitStatus.ONZEKER, HitStatus.BEVESTIGD, HitStatus.AFGEWEZEN):
            services.review_hit(hit, decision=decision, reason="Ander BSN volgens vragenformulier", actor=coordinator)
        db.session.commit()
    assert hit.status is HitStatus.AFGEWEZEN and hit.reviewed_score == hit.score
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "register_hit.reviewed",
                                                         AuditEvent.object_id == str(hit.id))
                                .order_by(AuditEvent.id)).all()
    assert [e.details["decision"] for e in events] == ["onzeker", "bevestigd", "afgewezen"]
    assert "Ander BSN" not in str(events[-1].details)  # the reason is Bibob content, not audit detail


def test_a_dismissed_pair_is_not_asked_again_on_rescreening_nor_on_another_application(app, db, jansen,
                                                                                       make_application):
    first = make_application(status=ApplicationStatus.ONTVANGEN)
    [hit] = _hits(db, first.id)
    with app.test_request_context():
        services.review_hit(hit, decision=HitStatus.AFGEWEZEN, reason="Andere persoon", actor=_coordinator())
        db.session.commit()
    _rescreen(app, force=True)
    assert _hits(db, first.id)[0].status is HitStatus.AFGEWEZEN
    second = make_application(status=ApplicationStatus.ONTVANGEN)  # the same applicant again
    [carried] = _hits(db, second.id)
    assert carried.status is HitStatus.AFGEWEZEN and carried.carried_from_id == hit.id
    assert carried.review_reason == "Andere persoon"
    assert services.open_hit_counts([first.id, second.id]) == {}


def test_a_higher_score_reopens_a_reviewed_hit(app, db, make_entity, make_application):
    entry = make_entity(given_names="Pieter", surname="Jansen", reason="RIEC")  # no birth date yet
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    [hit] = _hits(db, application.id)
    first_score = hit.score
    with app.test_request_context():
        services.review_hit(hit, decision=HitStatus.AFGEWEZEN, reason="Veelvoorkomende naam", actor=_coordinator())
        db.session.commit()
        data = services.data_of(entry)
        data.birth_date = date(1980, 5, 17)
        data.postcode, data.house_number, data.street, data.city = "9401 AB", "12", "Kloosterstraat", "Assen"
        services.update_entity(entry, data, actor=None, today=TODAY)
        db.session.commit()
    _rescreen(app)
    hit = db.session.get(RegisterHit, hit.id)
    assert hit.score > first_score
    assert hit.status is HitStatus.OPEN
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register_hit.reopened"))


def test_changed_party_data_reopens_a_reviewed_hit(app, db, jansen, make_application):
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    [hit] = _hits(db, application.id)
    with app.test_request_context():
        services.review_hit(hit, decision=HitStatus.AFGEWEZEN, reason="Andere persoon", actor=_coordinator())
        db.session.commit()
    _rescreen(app, force=True)
    assert db.session.get(RegisterHit, hit.id).status is HitStatus.AFGEWEZEN  # nothing changed: not asked again
    with app.test_request_context():
        applicant = db.session.get(Application, application.id).applicant.person
        applicant.address = app_services.upsert_address(location(number="99", postcode="9402 CD"))
        db.session.commit()
    _rescreen(app, force=True)
    assert db.session.get(RegisterHit, hit.id).status is HitStatus.OPEN


def test_expired_and_deleted_entries_no_longer_hit(app, db, make_entity, make_application):
    expired = make_entity(given_names="Pieter", surname="Jansen", birth_date=date(1980, 5, 17),
                          recorded_on=TODAY - timedelta(days=900), valid_until=TODAY - timedelta(days=1))
    deleted = make_entity("adres", street="Kloosterstraat", house_number="12", postcode="9401 AB", city="Assen")
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    assert [h.entity_id for h in _hits(db, application.id)] == [deleted.id]
    with app.test_request_context():
        services.delete_entity(deleted, actor=None, reason="Onterecht opgenomen")
        db.session.commit()
    assert services.open_hit_counts([application.id]) == {}
    _rescreen(app)
    assert all(not h.is_current for h in _hits(db, application.id))
    assert expired.id not in {h.entity_id for h in _hits(db, application.id)}


def test_the_hooks_for_bibob_and_inspections(app, db, jansen, make_entity, make_application):
    secret = make_entity("adres", street="Kloosterstraat", house_number="12", postcode="9401 AB", city="Assen",
                         gemeente="GM0114", confidentiality=Confidentiality.EIGEN_GEMEENTE, reason="Emmen: geheim")
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    with app.test_request_context():
        summaries = {s.kind: s for s in services.hits_for_application(application.id)}
        person_hit = summaries["persoon"]
        assert person_hit.entity_label == "P. JANSEN" and person_hit.status == "open" and person_hit.score > 70
        assert "geboortedatum" in person_hit.explanation and person_hit.source_label == "RIEC-signaal"
        masked = summaries["adres"]  # an Emmen-only entry, seen for an Assen application
        assert masked.is_confidential and "Emmen" in masked.entity_label and "geheim" not in masked.entity_label
        assert masked.entry_label == "" and "Kloosterstraat" not in masked.explanation
        assert services.confirmed_hit_count_for_application(application.id) == 0
        hit = db.session.scalar(select(RegisterHit).where(RegisterHit.entity_id == jansen.id))
        services.review_hit(hit, decision=HitStatus.BEVESTIGD, reason="", actor=_coordinator())
        assert services.confirmed_hit_count_for_application(application.id) == 1
        emmen = _coordinator("GM0114")
        seen_by_emmen = {s.kind: s for s in services.hits_for_application(application.id, user=emmen)}
        assert not seen_by_emmen["adres"].is_confidential and seen_by_emmen["adres"].entry_label == "Emmen: geheim"
    assert secret.id


def test_rescreening_is_idempotent_and_resumes_after_being_killed(app, db, jansen, make_application, monkeypatch):
    apps = [make_application(status=ApplicationStatus.ONTVANGEN) for _ in range(4)]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["register-rescreen"])
    assert result.exit_code == 0, result.output
    assert "Alle 4 open aanvragen en vergunningen zijn al gescreend" in result.output  # on submission
    with app.test_request_context():
        services.create_entity(services.EntityData(kind=services.EntityKind.ORGANISATION, name="Nieuw B.V.",
                                                   source=RegisterSource.FAILLISSEMENT, reason="Failliet",
                                                   recorded_on=TODAY), actor=None, today=TODAY)
        db.session.commit()
    from barrier.register import rescreen

    calls = []

    def killed(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the server is stopped after the first batch was committed
        return real_load(ids)

    real_load = services.load_for_screening
    monkeypatch.setattr(services, "load_for_screening", killed)
    result = runner.invoke(args=["register-rescreen", "--batch-size", "2"])
    assert result.exit_code != 0 and "Aborted" in result.output  # Click's answer to Ctrl+C
    monkeypatch.undo()
    db.session.rollback()
    version = services.current_version()
    screened = db.session.scalar(select(func.count()).select_from(ApplicationScreening).where(
        ApplicationScreening.register_version == version))
    assert screened == 2
    with app.test_request_context():
        rescreen.active_run().status = rescreen.RescreenStatus.MISLUKT  # the killed run, as the stale check would
        db.session.commit()
    result = runner.invoke(args=["register-rescreen", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "2 al gescreend tegen deze versie, 2 te screenen" in result.output
    assert len(apps) == 4


def test_the_index_follows_the_register_version_incrementally_or_by_rebuild(app, db, make_entity):
    with app.test_request_context():
        first = register_index.current_index()
        built = first.built_in_seconds
    entity = make_entity(surname="Wiśniewski", given_names="Łukasz")
    with app.test_request_context():
        index = register_index.current_index()
        assert index is first and index.version == services.current_version()
        assert index.updated_incrementally >= 1 and entity.id in index.matcher
        services.delete_entity(db.session.get(RiskEntity, entity.id), actor=None, reason="weg")
        index = register_index.current_index()
        assert entity.id not in index.matcher and index.built_in_seconds == built
        services.bump_version("import", "import", actor=None, entity_ids=None)
        assert register_index.current_index() is not first  # an import rebuilds
        db.session.rollback()
        rebuilt = register_index.current_index()  # the rolled-back version is not trusted
        assert rebuilt.version == services.current_version()


def test_a_bibob_refusal_proposes_its_parties_and_nothing_enters_without_confirmation(app, db, make_application):
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    with app.test_request_context():
        application = db.session.get(Application, application.id)
        application.decision_grounds = "Ernstig gevaar, Wet Bibob art. 3 lid 1 sub a."
        before = db.session.scalar(select(func.count()).select_from(RiskEntity))
        events.application_decided.send(application, actor=None, outcome=ApplicationStatus.GEWEIGERD, permit=None)
        events.application_decided.send(application, actor=None, outcome=ApplicationStatus.GEWEIGERD, permit=None)
        proposals = db.session.scalars(select(RegisterProposal).order_by(RegisterProposal.id)).all()
        assert [p.kind.value for p in proposals] == ["persoon", "adres"]  # once, not twice
        assert db.session.scalar(select(func.count()).select_from(RiskEntity)) == before
        coordinator = _coordinator()
        entity = services.confirm_proposal(proposals[0], actor=coordinator, today=TODAY,
                                           confidentiality=Confidentiality.EIGEN_GEMEENTE, valid_until=None, reason="")
        assert entity.surname == "Jansen" and entity.birth_date == date(1980, 5, 17)
        assert entity.source is RegisterSource.VERGUNNING_GEWEIGERD and "Bibob" in entity.reason
        assert proposals[0].status is ProposalStatus.BEVESTIGD and proposals[0].entity_id == entity.id
        with pytest.raises(services.RegisterError):
            services.reject_proposal(proposals[1], actor=coordinator, note="")
        services.reject_proposal(proposals[1], actor=coordinator, note="Adres is van de verhuurder, niet betrokken")
        assert proposals[1].status is ProposalStatus.AFGEWEZEN
        with pytest.raises(services.RegisterError):
            services.confirm_proposal(proposals[1], actor=coordinator, today=TODAY,
                                      confidentiality=Confidentiality.REGIONAAL, valid_until=None, reason="")


def test_a_refused_company_enters_the_register_with_its_trade_names(app, db, make_application):
    """The next exploitant of the same "Club Venus" must find the refused one: the proposal keeps the
    organisation's own trade names and the establishment's name of the application."""
    application = make_application(PermitType.SEKSINRICHTING, status=ApplicationStatus.ONTVANGEN,
                                   applicant=app_services.OrganisationData(name="Lubbers Beheer B.V.",
                                                                           trade_names="Venus Escort"))
    with app.test_request_context():
        application = db.session.get(Application, application.id)
        application.trade_name = "Club Venus"
        created = services.propose_register_entries(application, "Weigering, Wet Bibob art. 3", "bibob_besluit")
        [proposal] = [p for p in created if p.kind.value == "organisatie"]
        entity = services.confirm_proposal(proposal, actor=_coordinator(), today=TODAY,
                                           confidentiality=Confidentiality.REGIONAAL, valid_until=None, reason="")
        db.session.commit()
        assert entity.name == "Lubbers Beheer B.V. h.o.d.n. Venus Escort h.o.d.n. Club Venus"
        # The index follows the register: a new applicant under the trade name alone is found.
        found = services.fuzzy_search("Club Venus", today=TODAY, threshold=0.7)
        assert entity.id in [entity_id for entity_id, _score, _why in found]


def test_trade_names_that_do_not_fit_the_register_are_left_out_last_first():
    from barrier.register.records import names_within, statutory_and_trade_names

    assert names_within(200, "Lubbers Beheer B.V.", "Club Venus; Venus Escort") == \
        "Lubbers Beheer B.V. h.o.d.n. Club Venus h.o.d.n. Venus Escort"
    assert names_within(45, "Lubbers Beheer B.V.", "Club Venus; Venus Escort") == "Lubbers Beheer B.V. h.o.d.n. Club Venus"
    assert names_within(10, "Lubbers Beheer B.V.", "Club Venus") == "Lubbers Beheer B.V."  # the name itself stays
    assert statutory_and_trade_names("Lubbers Beheer B.V. h.o.d.n. Club Venus h.o.d.n. Venus Escort") == (
        "Lubbers Beheer B.V.", "Club Venus; Venus Escort")
    assert statutory_and_trade_names("Hodnett Transport") == ("Hodnett Transport", "")


def test_a_refusal_on_other_grounds_proposes_nothing(app, db, make_application):
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    with app.test_request_context():
        application = db.session.get(Application, application.id)
        application.decision_grounds = "Aanvraag voldoet niet aan de APV (geen bedrijfsplan)."
        events.application_decided.send(application, actor=None, outcome=ApplicationStatus.GEWEIGERD, permit=None)
        assert db.session.scalar(select(func.count()).select_from(RegisterProposal)) == 0


def test_propose_register_entries_accepts_explicit_subjects_for_inspections(app, db, make_application):
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    with app.test_request_context():
        owner = db.session.get(Application, application.id).applicant.person
        created = services.propose_register_entries(None, "Inspectie: paspoorten ingehouden", "inspectie",
                                                    origin="inspections", persons=[owner],
                                                    gemeente_id=application.gemeente_id)
        assert [p.source for p in created] == [RegisterSource.INSPECTIE]
        with pytest.raises(ValueError, match="unknown register source"):
            services.propose_register_entries(None, "x", "horoscoop", persons=[owner])


def test_a_screening_failure_does_not_block_the_submission(app, db, make_application, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(services, "screen_applications", broken)
    application = make_application(status=ApplicationStatus.ONTVANGEN)
    assert db.session.get(Application, application.id).status is ApplicationStatus.ONTVANGEN
    assert db.session.get(ApplicationScreening, application.id) is None  # the next re-screening picks it up
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.screening_failed"))


def test_a_large_register_answers_from_the_previous_index_while_it_rebuilds(app, db, monkeypatch):
    with app.test_request_context():
        first = register_index.current_index()
    requested = []
    monkeypatch.setattr(register_index, "BACKGROUND_REBUILD_ABOVE", -1)
    monkeypatch.setattr(register_index, "_can_use_threads", lambda: True)
    monkeypatch.setattr(register_index, "_rebuild_in_background", lambda _app, key: requested.append(key))
    with app.test_request_context():
        services.bump_version("import", "import", actor=None, entity_ids=None)
        assert register_index.current_index(allow_stale=True) is first and requested  # no wait in a request
        assert register_index.current_index() is not first  # the re-screening and the CLI wait for the new one
        db.session.rollback()


def test_a_large_index_is_moved_out_of_the_garbage_collectors_reach(app, db, make_entity, monkeypatch):
    import gc

    make_entity(given_names="Karel", surname="Zwanenburg")
    monkeypatch.setattr(register_index, "FREEZE_ABOVE", 1)  # "large" for the test: one entry
    register_index.clear_cache()
    gc.unfreeze()
    try:
        with app.test_request_context():
            index = register_index.current_index()
        assert index.size >= 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        register_index.clear_cache()


def test_the_server_master_preloads_the_index_its_workers_inherit(app, db, make_entity, monkeypatch):
    """barrier/gunicorn_conf.py: built once before forking (shared copy-on-write), not per worker."""
    import gc
    import logging
    from types import SimpleNamespace

    from barrier import gunicorn_conf

    make_entity(given_names="Karel", surname="Zwanenburg")
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app), log=logging.getLogger("test.gunicorn"))
    register_index.clear_cache()
    gc.unfreeze()
    try:
        monkeypatch.setenv("BARRIER_PRELOAD_REGISTER_INDEX", "0")
        app.jinja_env.cache.clear()
        gunicorn_conf.when_ready(server)
        with app.app_context():
            assert register_index.cached_index_info() is None  # switched off: the workers build it on first use
        # The templates are compiled before the fork all the same: no worker compiles them on a request.
        assert len(app.jinja_env.cache) >= 50 and app.jinja_env.get_template("applications/detail.html")

        monkeypatch.delenv("BARRIER_PRELOAD_REGISTER_INDEX")
        gunicorn_conf.when_ready(server)
        with app.app_context():
            info = register_index.cached_index_info()
        assert info is not None and info["size"] >= 1
        assert gc.get_freeze_count() > 0  # the collector leaves the shared pages alone
        with app.test_request_context():
            index = register_index.current_index()
            assert index.size == info["size"] and index.version == info["version"]
            assert index.match(_karel(), today=TODAY)  # the inherited index answers without a rebuild
    finally:
        gc.unfreeze()
        register_index.clear_cache()


def test_an_unreachable_database_at_start_up_does_not_stop_the_server(app, db, monkeypatch):
    def refuse(**_kwargs):
        raise OSError("connection refused")

    register_index.clear_cache()
    monkeypatch.setattr(register_index, "current_index", refuse)
    assert register_index.preload(app) is None
    with app.app_context():
        assert register_index.cached_index_info() is None


def _karel():
    from screening.matching import Person

    return Person(id=None, given_names="Karel", surname="Zwanenburg")
