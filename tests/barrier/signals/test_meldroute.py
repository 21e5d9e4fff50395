"""The meldroute in the app: record, the gemeente's aandachtfunctionaris, the ZVHD, the privacy gate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from barrier.db import db
from barrier.models import AuditEvent, Role
from barrier.models.inspections import LocationKind
from barrier.models.signals import Signal, SignalForward, SignalStatus, SignalUrgency
from barrier.signals import services
from forms.signals import GEMEENTE_REQUIRED
from tests.barrier.inspections.builders import TODAY
from tests.factories import gemeente_by_code

NEW = "/signalen/nieuw"


def signal_form(gemeente_id, **extra) -> dict:
    return {"gemeente": str(gemeente_id) if gemeente_id else "", "urgency": "normaal", "vorm": "arbeid",
            "signal_ids": ["SIG-HUI-02", "SIG-ARB-02"], "observation": "Veertien bewoners, loon ingehouden.",
            "source": "collega", "reported_on": TODAY.isoformat(), **extra}


def forward(browser, signal, target, bases, motivation="Volgens de meldroute."):
    url = f"/signalen/{signal.id}"
    return browser.submit(f"{url}/doorsturen", {"target": target, "legal_bases": bases, "motivation": motivation},
                          form_url=url)


def assen_id():
    return gemeente_by_code(db.session, "GM0106").id


def test_a_signal_without_a_gemeente_is_refused_with_a_clear_dutch_message(db, login_as):
    browser = login_as(Role.KETENREGISSEUR)  # regional: has no gemeente of its own
    response = browser.submit(NEW, signal_form(None))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert GEMEENTE_REQUIRED in html or "Kies de gemeente waar het signaal speelt" in html
    assert "Veertien bewoners, loon ingehouden." in html  # nothing typed is lost
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 0


def test_a_service_call_without_gemeente_is_refused_too(app, world):
    with app.test_request_context(), pytest.raises(services.SignalError, match="Kies de gemeente"):
        services.create_signal(services.SignalInput(gemeente_id=None, signal_ids=[], vorm=services.ExploitationForm.ONBEKEND,
                                                    urgency=SignalUrgency.NORMAAL, source=services.SignalSource.COLLEGA,
                                                    observation="x"), actor=world.inspector(), today=TODAY)


def test_unknown_signal_ids_are_refused(db, login_as):
    browser = login_as(Role.TOEZICHTHOUDER)
    response = browser.submit(NEW, signal_form(assen_id(), signal_ids=["SIG-XXX-99"]))
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Signal)) == 0


def test_a_colleagues_signal_goes_to_the_aandachtfunctionaris_of_the_gemeente(db, login_as):
    toezicht = login_as(Role.TOEZICHTHOUDER)
    response = toezicht.submit(NEW, signal_form(assen_id()))
    assert response.status_code == 302  # the toezichthouder may raise it, not read the inbox
    signal = db.session.scalar(db.select(Signal))
    assert signal.stage == "AANDACHTFUNCTIONARIS" and signal.reference.startswith(f"SIG-{TODAY.year}-")
    assert signal.total_weight == 4 and signal.gemeente_id == assen_id()
    [step] = signal.forwards
    assert (step.target, step.rule_id, step.legal_bases) == ("AANDACHTFUNCTIONARIS", "MR-01", ["INTERNE-MELDROUTE"])
    assert step.forwarded_by_id == toezicht.user.id and step.forwarded_at is not None
    assert toezicht.get(f"/signalen/{signal.id}").status_code == 403
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    assert signal.reference in aandacht.get("/signalen").get_data(as_text=True)
    assert signal.reference in aandacht.get("/").get_data(as_text=True)  # home: signals waiting
    detail = aandacht.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert "nu aan de beurt" in detail and "MR-02" in detail and "MR-05" in detail  # arbeid: the NLA later


def test_the_route_records_where_when_by_whom_and_on_which_basis(db, world, login_as):
    signal = world.signal(ids=["SIG-ARB-01", "SIG-ARB-02"])
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    ketenregisseur = login_as(Role.KETENREGISSEUR)
    assert ketenregisseur.get(f"/signalen/{signal.id}").status_code == 404  # still inside the gemeente

    assert forward(aandacht, signal, "ZVHD", ["CONVENANT-ZVHD"]).status_code == 302
    assert ketenregisseur.get(f"/signalen/{signal.id}").status_code == 200
    assert forward(aandacht, signal, "DRIELUIK", ["CONVENANT-ZVHD"]).status_code == 400  # not the gemeente's step now
    assert forward(ketenregisseur, signal, "DRIELUIK", ["CONVENANT-ZVHD"]).status_code == 302
    assert forward(ketenregisseur, signal, "NLA", ["MELDING-NLA"], "Arbeidsuitbuiting: NLA").status_code == 302
    db.session.expire_all()
    signal = db.session.get(Signal, signal.id)
    steps = [(f.target, f.rule_id, f.legal_bases, f.stage_before, f.stage_after) for f in signal.forwards]
    assert steps[1:] == [
        ("ZVHD", "MR-02", ["CONVENANT-ZVHD"], "AANDACHTFUNCTIONARIS", "ZVHD"),
        ("DRIELUIK", "MR-03", ["CONVENANT-ZVHD"], "ZVHD", "DRIELUIK"),
        ("NLA", "MR-05", ["MELDING-NLA"], "DRIELUIK", "DRIELUIK"),
    ]
    assert signal.forwards[-1].forwarded_by_id == ketenregisseur.user.id
    assert signal.forwards[-1].motivation == "Arbeidsuitbuiting: NLA"
    page = ketenregisseur.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert "Nederlandse Arbeidsinspectie" in page and "MELDING-NLA" in page


def test_a_forward_needs_a_legal_basis_that_covers_the_recipient(db, world, login_as):
    signal = world.signal()
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    none = forward(aandacht, signal, "ZVHD", [])
    assert none.status_code == 400 and "Geen grondslag opgegeven" in none.get_data(as_text=True)
    wrong = forward(aandacht, signal, "ZVHD", ["MELDING-NLA"])
    assert "dekt geen verstrekking" in wrong.get_data(as_text=True)
    skip = forward(aandacht, signal, "RIEC", ["RIEC-CONVENANT"])
    assert "Volg de meldroute" in skip.get_data(as_text=True)
    assert [f.target for f in db.session.get(Signal, signal.id).forwards] == ["AANDACHTFUNCTIONARIS"]


@pytest.fixture
def at_drieluik(world, login_as):
    """A signal with an undermining component at the Drieluik, and the ketenregisseur's browser."""
    signal = world.signal(ids=["SIG-ALG-02", "SIG-HUI-05"], undermining=True)
    forward(login_as(Role.AANDACHTFUNCTIONARIS), signal, "ZVHD", ["CONVENANT-ZVHD"])
    ketenregisseur = login_as(Role.KETENREGISSEUR)
    forward(ketenregisseur, signal, "DRIELUIK", ["CONVENANT-ZVHD"])
    return signal, ketenregisseur


def test_without_care_data_an_undermining_signal_may_go_to_the_riec(db, at_drieluik):
    signal, ketenregisseur = at_drieluik
    assert forward(ketenregisseur, signal, "RIEC", ["RIEC-CONVENANT"]).status_code == 302
    assert db.session.get(Signal, signal.id).forwards[-1].target == "RIEC"


def test_care_data_can_never_be_forwarded_to_the_riec(db, at_drieluik, login_as):
    signal, ketenregisseur = at_drieluik
    url = f"/signalen/{signal.id}"
    added = ketenregisseur.submit(f"{url}/zorggegevens", {"text": "Aangemeld bij CoMensha; in de opvang."},
                                  form_url=url)
    assert added.status_code == 302
    signal = db.session.get(Signal, signal.id)
    assert signal.contains_care_data is True
    for bases in (["RIEC-CONVENANT"], ["DISC-RIEC"], ["RIEC-CONVENANT", "DISC-RIEC"]):
        refused = forward(ketenregisseur, signal, "RIEC", bases, "Ondermijning: inbrengen bij het RIEC")
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400
        assert "mogen nooit naar het RIEC" in html and "MR-04-ZORGDATA" in html
    assert "RIEC" not in [f.target for f in db.session.get(Signal, signal.id).forwards]
    refusals = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "signal.forward_refused")).all()
    assert len(refusals) == 3 and all(e.details["blocked_by"] == ["MR-04-ZORGDATA"] for e in refusals)
    # The same signal still goes to the NLA (care data may be shared within the ZVHD convenant route).
    assert forward(ketenregisseur, signal, "NLA", ["MELDING-NLA"]).status_code == 302
    # The gemeente sees that care data exists, not what it says.
    page = login_as(Role.AANDACHTFUNCTIONARIS).get(url).get_data(as_text=True)
    assert "bevat zorggegevens" in page.lower() and "CoMensha" not in page


def test_the_care_mark_is_sticky_and_the_service_blocks_riec_as_well(app, db, at_drieluik):
    signal, ketenregisseur = at_drieluik
    with app.test_request_context():
        signal = db.session.get(Signal, signal.id)
        services.add_care_note(signal, text="Zorgdossier", actor=ketenregisseur.user)
        signal.care_notes.clear()
        db.session.flush()
        assert signal.contains_care_data is True  # removing the note does not unmark the signal
        with pytest.raises(services.ForwardRefused) as refused:
            services.forward_signal(signal, target="RIEC", legal_bases=["RIEC-CONVENANT"], motivation="x",
                                    actor=ketenregisseur.user)
        assert refused.value.decision.blocked_by == ("MR-04-ZORGDATA",)


def test_only_the_zvhd_records_care_data(db, world, login_as):
    signal = world.signal()
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    url = f"/signalen/{signal.id}"
    aandacht.submit(f"{url}/zorggegevens", {"text": "zorg"}, form_url=url)
    assert db.session.get(Signal, signal.id).contains_care_data is False


def test_acute_signals_put_112_first_and_112_is_always_allowed(db, world, login_as):
    signal = world.signal(ids=["SIG-SEX-02"], urgency=SignalUrgency.ACUUT)
    with db.session.no_autoflush:
        proposal = services.proposal_for(db.session.get(Signal, signal.id))
    assert proposal.steps[0].rule_id == "MR-00" and proposal.steps[0].target.value == "POLITIE_112"
    assert any("Minderjarige" in w for w in proposal.warnings)
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    page = aandacht.get(f"/signalen/{signal.id}").get_data(as_text=True)
    assert "Acuut: bel eerst 112" in page
    assert forward(aandacht, signal, "POLITIE_112", ["VITAAL-BELANG"], "112 gebeld").status_code == 302
    assert "Acuut: bel eerst 112" not in aandacht.get(f"/signalen/{signal.id}").get_data(as_text=True)


def test_the_new_signal_page_shows_112_first_and_groups_signals_per_barrier(login_as):
    html = login_as(Role.VERGUNNINGVERLENER).get(NEW).get_data(as_text=True)
    assert html.index("Bel eerst 112") < html.index("Waargenomen signalen")
    for barrier in ("Werving en entree", "Huisvesting", "Identiteit/registratie", "Arbeid", "Financiën"):
        assert barrier in html


def test_a_signal_raised_from_an_inspection_carries_its_signals_and_location(db, world, login_as):
    browser = login_as(Role.TOEZICHTHOUDER)
    location = world.location(LocationKind.SEKSBEDRIJF, permit=False)
    inspection = world.inspection(location, days_ago=2, inspector=browser.user,
                                  deviations={"INS-SB-09": ["SIG-SEX-05", "SIG-ALG-01"]})
    page = browser.get(f"{NEW}?inspectie={inspection.id}").get_data(as_text=True)
    assert 'value="SIG-SEX-05" checked' in page and location.name in page
    response = browser.submit(f"{NEW}?inspectie={inspection.id}", {
        **signal_form(location.gemeente_id, vorm="seks", signal_ids=["SIG-SEX-05", "SIG-ALG-01"]),
        "inspection_id": str(inspection.id), "location_id": str(location.id)})
    assert response.status_code == 302 and f"/inspecties/controles/{inspection.id}" in response.headers["Location"]
    signal = db.session.scalar(db.select(Signal))
    assert signal.inspection_id == inspection.id and signal.location_id == location.id


def test_signals_of_another_gemeente_answer_404(db, world, login_as):
    emmen_signal = world.signal(gemeente="GM0114")
    assen = login_as(Role.AANDACHTFUNCTIONARIS)
    assert assen.get(f"/signalen/{emmen_signal.id}").status_code == 404
    assert emmen_signal.reference not in assen.get("/signalen?weergave=open").get_data(as_text=True)
    assert forward(assen, emmen_signal, "ZVHD", ["CONVENANT-ZVHD"]).status_code == 404


def test_closing_a_signal_needs_a_reason(db, world, login_as):
    signal = world.signal()
    aandacht = login_as(Role.AANDACHTFUNCTIONARIS)
    url = f"/signalen/{signal.id}"
    assert aandacht.submit(f"{url}/afsluiten", {"note": ""}, form_url=url).status_code == 400
    assert aandacht.submit(f"{url}/afsluiten", {"note": "Geen aanwijzingen na gesprek"}, form_url=url).status_code == 302
    signal = db.session.get(Signal, signal.id)
    assert signal.status is SignalStatus.AFGESLOTEN
    assert forward(aandacht, signal, "ZVHD", ["CONVENANT-ZVHD"]).status_code == 400


def test_viewing_a_signal_is_audited(db, world, login_as):
    signal = world.signal()
    login_as(Role.AANDACHTFUNCTIONARIS).get(f"/signalen/{signal.id}")
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "signal.viewed",
                                                         AuditEvent.object_id == str(signal.id)))


def test_a_signal_in_the_future_is_refused(db, login_as):
    response = login_as(Role.TOEZICHTHOUDER).submit(NEW, signal_form(assen_id(), reported_on=(
        TODAY + timedelta(days=2)).isoformat()))
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(SignalForward)) == 0
