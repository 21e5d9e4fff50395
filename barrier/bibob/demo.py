"""Demo Bibob dossiers at several stages (fictitious), one with an LBB advice of ernstig gevaar.

The applications loader (order 10) submits the demo applications; the Beleidsregel Bibob opens a
dossier on each of them automatically (barrier.bibob.receivers). This loader fills some of those
dossiers the way a coordinator would, through the services, so every tab has something to show.
Documents are metadata only (no bytes on disk), as in the applications demo.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from barrier.applications import services as app_services
from barrier.applications.demo import make_application
from barrier.bibob import reports, services
from barrier.bibob.services import JudgementInput
from barrier.db import db
from barrier.demo import DemoContext, register_demo_loader
from barrier.models import Application, ApplicationStatus, Document, DocumentKind, PermitType, User
from barrier.models.bibob import BibobAttachment, BibobDossier, DossierStage, InvestigationSource
from screening.checklists import Advice, DangerLevel

S = ApplicationStatus
L = DangerLevel


def _today() -> date:
    return date.today()  # noqa: DTZ011


def _find(ctx: DemoContext, code: str, permit_type: PermitType, status: ApplicationStatus) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.gemeente_id == ctx.gemeenten[code].id, Application.permit_type == permit_type,
        Application.status == status).order_by(Application.id).limit(1))


def _dossier(app: Application | None, coordinator: User, today: date) -> BibobDossier | None:
    if app is None:
        return None
    dossier = services.active_dossier(app.id) or services.open_dossier(app, actor=coordinator, today=today)
    dossier.coordinator_id = coordinator.id
    return dossier


QUESTIONNAIRE = {
    "BIB-Q-A01": "Nieuwe exploitatievergunning voor een seksinrichting (privéhuis) op het opgegeven adres.",
    "BIB-Q-A02": "Ingevuld door de aanvrager zelf.",
    "BIB-Q-C01": "Besloten vennootschap, handelsnaam gelijk aan statutaire naam; KvK-uittreksel bijgevoegd.",
    "BIB-Q-C03": "Eén bestuurder sinds de oprichting; daarvoor een andere bestuurder (tot vorig jaar).",
    "BIB-Q-D01": "100% van de aandelen bij een houdstermaatschappij; organogram bijgevoegd.",
    "BIB-Q-D02": "De bestuurder is UBO (100%).",
    "BIB-Q-D03": "De beheerder staat op de aanvraag; geen andere leidinggevenden.",
    "BIB-Q-D04": "Geen andere ondernemingen.",
    "BIB-Q-E01": "Totale investering € 240.000: overnamesom € 150.000, verbouwing € 60.000, werkkapitaal € 30.000.",
    "BIB-Q-E02": "Eigen vermogen € 70.000 uit spaargeld; bankafschriften bijgevoegd.",
    "BIB-Q-E04": "Geen schenkingen.",
    "BIB-Q-E05": "Nee.",
    "BIB-Q-F01": "Huurder.",
    "BIB-Q-F04": "Geen familie- of zakelijke relatie met de verhuurder.",
    "BIB-Q-G01": "Geen.",
    "BIB-Q-G02": "Geen.",
    "BIB-Q-G03": "Geen.",
    "BIB-Q-G04": "Geen.",
    "BIB-Q-H01": "Boekhouder; geen andere belangrijke relaties.",
    "BIB-Q-I01": "Ondertekend op de datum van de aanvraag.",
}


def _questionnaire(ctx: DemoContext, dossier: BibobDossier, coordinator: User, *, complete: bool) -> None:
    kind = services.applicant_kind(dossier)
    answers = {}
    for qid, text in QUESTIONNAIRE.items():
        if kind == "person" and qid.startswith("BIB-Q-C"):
            continue
        if not complete and ctx.rng.random() < 0.35:
            continue
        answers[qid] = (text, False)
    if kind == "person":
        answers["BIB-Q-B01"] = ("Personalia volgens het paspoort; adres volgens de BRP.", False)
    if dossier.application.permit_type is PermitType.VERHUURVERGUNNING:
        answers["BIB-Q-A01"] = ("Verhuurvergunning voor huisvesting van arbeidsmigranten.", False)
    received = dossier.opened_on + timedelta(days=10)
    services.save_questionnaire(dossier, answers, sent_on=dossier.opened_on,
                                received_on=min(received, _today()) if complete or ctx.rng.random() < 0.5 else None,
                                actor=coordinator)
    needs = ["BIB-Q-C02" if kind != "person" else "BIB-Q-B02", "BIB-Q-E02"] + (["BIB-Q-E03", "BIB-Q-E06", "BIB-Q-F03"]
                                                                               if complete else [])
    for qid in needs:
        document = Document(application_id=dossier.application_id, gemeente_id=dossier.gemeente_id,
                            kind=DocumentKind.BIBOB_VRAGENFORMULIER, original_filename=f"{qid.lower()}-bijlage.pdf",
                            sha256=f"{ctx.rng.getrandbits(256):064x}", size_bytes=ctx.rng.randint(60_000, 700_000),
                            content_type="application/pdf", uploaded_by_id=coordinator.id, context="bibob")
        dossier.attachments.append(BibobAttachment(document=document, question_id=qid, label=document.original_filename))
    db.session.flush()


def _investigate(dossier: BibobDossier, coordinator: User, entries: list[tuple[InvestigationSource, int, str, str]]) -> None:
    for source, days_after_open, subject, outcome in entries:
        services.add_investigation(dossier, source=source, consulted_on=min(_today(), dossier.opened_on + timedelta(days=days_after_open)),
                                   subject=subject, outcome=outcome, is_finding=True, actor=coordinator, today=_today())


SEX_SERIOUS = {
    "BIB-CL-SEK-A01": "nee", "BIB-CL-SEK-B01": "ja", "BIB-CL-SEK-B02": "ja", "BIB-CL-SEK-C01": 1,
    "BIB-CL-SEK-D01": "ja", "BIB-CL-SEK-D02": "nee", "BIB-CL-SEK-D03": "nee", "BIB-CL-SEK-E01": "ja",
    "BIB-CL-SEK-E02": "85000", "BIB-CL-SEK-E03": "ja", "BIB-CL-SEK-E04": "ja", "BIB-CL-SEK-E05": "ja",
    "BIB-CL-SEK-E06": "nee", "BIB-CL-SEK-E07": "nee", "BIB-CL-SEK-F01": "onbekend", "BIB-CL-SEK-F02": "nee",
    "BIB-CL-SEK-F03": "nee", "BIB-CL-SEK-G01": "veroordeling", "BIB-CL-SEK-G02": "geen", "BIB-CL-SEK-G03": "nee",
    "BIB-CL-SEK-G04": 1, "BIB-CL-SEK-G05": "ja", "BIB-CL-SEK-G06": "nee", "BIB-CL-SEK-G07": "nee",
    "BIB-CL-SEK-G08": "nee", "BIB-CL-SEK-G09": 0, "BIB-CL-SEK-H01": "ja", "BIB-CL-SEK-H02": "nee",
    "BIB-CL-SEK-I01": "ja", "BIB-CL-SEK-I02": "nee", "BIB-CL-SEK-I04": "nee",
    "BIB-CL-SEK-I03": "De onderhandse lening van de financier is in het vragenformulier niet vermeld.",
    "BIB-CL-SEK-O01": "nee", "BIB-CL-SEK-O02": "ja",
}
SEX_CLEAN = {key: ("nee" if value in ("ja", "onbekend") else value) for key, value in SEX_SERIOUS.items()} | {
    "BIB-CL-SEK-E02": "0", "BIB-CL-SEK-G01": "geen", "BIB-CL-SEK-G05": "nee", "BIB-CL-SEK-I03": ""}
WGV_LESSER = {
    "BIB-CL-WGV-A01": "nee", "BIB-CL-WGV-B01": "nee", "BIB-CL-WGV-C01": 0, "BIB-CL-WGV-D01": "nee",
    "BIB-CL-WGV-D02": "nee", "BIB-CL-WGV-D03": "nee", "BIB-CL-WGV-E01": "ja", "BIB-CL-WGV-E02": "12500",
    "BIB-CL-WGV-E03": "nee", "BIB-CL-WGV-E04": "nee", "BIB-CL-WGV-E05": "nee", "BIB-CL-WGV-E06": "nee",
    "BIB-CL-WGV-F01": "nee", "BIB-CL-WGV-F02": "nee", "BIB-CL-WGV-G01": "geen", "BIB-CL-WGV-G02": "geen",
}


def _lbb(dossier: BibobDossier, coordinator: User, *, a: DangerLevel, b: DangerLevel, summary: str, today: date) -> None:
    app = dossier.application
    existing = next((e for e in app.clock_events if e.kind.value == "lbb_advies"), None)
    requested = existing.start_on if existing else min(today, (app.received_on or today) + timedelta(days=10))
    request = services.request_lbb_advice(dossier, requested_on=requested, extension_weeks=0, notice_logged=True,
                                          supplementary=False, actor=coordinator, today=today)
    received = (existing.end_on if existing and existing.end_on else min(today, requested + timedelta(days=30)))
    services.record_lbb_advice(dossier, request.id, received_on=received, reference=f"LBB-{received.year}-{dossier.id:04d}",
                               a_level=a, b_level=b, art3_lid6=False, summary=summary, vergewist=True,
                               vergewis_note="Het advies steunt op justitiële gegevens, informatie van de Belastingdienst "
                                             "en de KvK; de feiten en de redenering zijn nagelopen en zorgvuldig bevonden.",
                               actor=coordinator, today=today)


def _serious(ctx: DemoContext, dossier: BibobDossier, coordinator: User, today: date, *, procedure: bool) -> None:
    """The dossier with an LBB advice of ernstig gevaar (a-grond), a judgement to refuse, a voornemen."""
    _questionnaire(ctx, dossier, coordinator, complete=True)
    _investigate(dossier, coordinator, [
        (InvestigationSource.KVK, 3, "aanvrager", "Opgericht kort voor de aanvraag; enig aandeelhouder is een houdstermaatschappij met een buitenlandse moeder."),
        (InvestigationSource.OPEN_BRONNEN, 4, "financier", "Krantenbericht (2019): de financier is veroordeeld voor witwassen via contante vastgoedtransacties."),
        (InvestigationSource.RIEC, 8, "pand", "Het RIEC kent het pand uit een eerder casusoverleg over een gesloten massagesalon."),
    ])
    services.save_answers(dossier, SEX_SERIOUS, actor=coordinator)
    _lbb(dossier, coordinator, a=L.ERNSTIG, b=L.MINDERE_MATE, today=today,
         summary="Het LBB concludeert dat er ernstig gevaar bestaat dat de vergunning mede zal worden gebruikt om uit "
                 "strafbare feiten verkregen vermogen te benutten (a-grond): de herkomst van € 85.000 is onverklaard en "
                 "een financier is veroordeeld voor witwassen.")
    services.record_judgement(dossier, JudgementInput(
        a_level=L.ERNSTIG, b_level=L.MINDERE_MATE, level=L.ERNSTIG, advice=Advice.WEIGEREN, art3_lid6=True,
        deviation_reason="b-grond: de veroordeling betreft witwassen buiten de branche; er is geen samenhang met het "
                         "plegen van strafbare feiten in de exploitatie. Het LBB komt op de b-grond ook tot mindere mate.",
        motivation="De onverklaarde financiering en het zakelijk samenwerkingsverband met een voor witwassen veroordeelde "
                   "financier leiden tot ernstig gevaar op de a-grond. Voorschriften nemen dit gevaar niet weg.",
        lbb_weight="Het LBB-advies bevestigt de eigen bevindingen en voegt justitiële gegevens toe; het weegt zwaar.",
        weighing_ernst="Witwassen is een ernstig misdrijf; de veroordeling is onherroepelijk.",
        weighing_samenhang="De financier financiert de exploitatie rechtstreeks.",
        weighing_tijdsverloop="De veroordeling is van 2019; er is geen sprake van een lang tijdsverloop.",
        weighing_evenredigheid="Weigeren is evenredig: het belang van een integere exploitatie weegt zwaarder dan het "
                               "bedrijfsbelang van de aanvrager."), actor=coordinator)
    reports.issue_report(dossier, actor=coordinator, today=today)
    if procedure:
        app = dossier.application
        sent = min(today, (app.received_on or today) + timedelta(days=45))
        if app.status in (S.IN_BEHANDELING, S.BIBOB_ONDERZOEK, S.VOORNEMEN_WEIGEREN):
            services.record_intention(dossier, sent_on=sent, zienswijze_due_on=None, actor=coordinator, today=today,
                                      text="Voornemen de exploitatievergunning te weigeren op grond van art. 3 lid 1 sub a "
                                           "en lid 6 Wet Bibob; de betrokkene kan binnen 14 dagen een zienswijze geven.")
        else:  # the application has moved on already: record the history as it happened
            dossier.intention_sent_on, dossier.zienswijze_due_on = sent, sent + timedelta(days=14)
            dossier.intention_text = "Voornemen tot weigeren op grond van art. 3 lid 1 sub a Wet Bibob."
            dossier.zienswijze_received_on = sent + timedelta(days=12)
            dossier.zienswijze_text = "De aanvrager stelt dat de lening inmiddels is afgelost en de financier geen invloed meer heeft."
            dossier.zienswijze_weighing = "Aflossing is niet aangetoond; de zienswijze geeft geen aanleiding het oordeel te herzien."
            dossier.stage = max(dossier.stage, DossierStage.ZIENSWIJZE, key=list(DossierStage).index)


@register_demo_loader(30, "bibob")
def load(ctx: DemoContext) -> None:
    today = _today()
    assen, emmen = ctx.users["bibob@assen.demo"], ctx.users["bibob@emmen.demo"]
    # The demo applications were submitted just now with a receipt date in the past: the dossiers
    # opened on submission get that date too.
    for dossier in db.session.scalars(select(BibobDossier)):
        received = dossier.application.received_on
        if received:
            dossier.opened_on = dossier.questionnaire_sent_on = received
    filled = 0
    # 1. Assen, seksinrichting in Bibob-onderzoek: questionnaire partly in, own investigation under way.
    if dossier := _dossier(_find(ctx, "GM0106", PermitType.SEKSINRICHTING, S.BIBOB_ONDERZOEK), assen, today):
        _questionnaire(ctx, dossier, assen, complete=False)
        _investigate(dossier, assen, [
            (InvestigationSource.KVK, 2, "aanvrager", "Inschrijving en bestuur komen overeen met de aanvraag."),
            (InvestigationSource.KADASTER, 3, "pand", "Eigenaar van het pand is een beleggings-B.V. uit Zwolle; geen bijzonderheden."),
        ])
        services.save_answers(dossier, {k: v for k, v in SEX_CLEAN.items() if k < "BIB-CL-SEK-G"}, actor=assen)
        # The own investigation left doubts: advice asked from the LBB three weeks ago, still awaited.
        services.request_lbb_advice(dossier, requested_on=today - timedelta(days=21), extension_weeks=0,
                                    notice_logged=True, supplementary=False, actor=assen, today=today)
        filled += 1
    # 2. Assen, voornemen tot weigeren: the LBB advised ernstig gevaar.
    if dossier := _dossier(_find(ctx, "GM0106", PermitType.SEKSINRICHTING, S.VOORNEMEN_WEIGEREN), assen, today):
        _serious(ctx, dossier, assen, today, procedure=True)
        filled += 1
    # 3. Emmen, escortbedrijf in zienswijze; 4. Emmen, refused seksinrichting.
    for status in (S.ZIENSWIJZE, S.GEWEIGERD):
        permit_type = PermitType.ESCORTBEDRIJF if status is S.ZIENSWIJZE else PermitType.SEKSINRICHTING
        if dossier := _dossier(_find(ctx, "GM0114", permit_type, status), emmen, today):
            _serious(ctx, dossier, emmen, today, procedure=True)
            filled += 1
    # 5. Assen, verhuurvergunning granted with conditions after a lesser degree of danger.
    if dossier := _dossier(_find(ctx, "GM0106", PermitType.VERHUURVERGUNNING, S.VERLEEND_MET_VOORSCHRIFTEN), assen, today):
        _questionnaire(ctx, dossier, assen, complete=True)
        services.save_answers(dossier, WGV_LESSER, actor=assen)
        services.record_judgement(dossier, JudgementInput(
            a_level=L.MINDERE_MATE, b_level=L.GEEN, level=L.MINDERE_MATE, advice=Advice.VERLENEN_MET_VOORSCHRIFTEN,
            art3_lid6=False, motivation="Een deel van het eigen vermogen (€ 12.500) is niet onderbouwd; voorschriften "
                                       "over de financiële verantwoording beperken het gevaar.",
            conditions="Jaarlijks de jaarrekening overleggen aan de gemeente.\nWijziging van financiers binnen 4 weken melden.",
            weighing_evenredigheid="Verlenen met voorschriften is evenredig aan de geringe mate van gevaar."), actor=assen)
        reports.issue_report(dossier, actor=assen, today=today)
        filled += 1
    # 6. Assen, an application left undecided years ago (Awb 4:5): its dossier is past the retention period.
    officer = ctx.users["vergunningverlener@assen.demo"]
    old = make_application(ctx, "GM0106", PermitType.SEKSINRICHTING, received_days_ago=2300, target=S.IN_BEHANDELING)
    if (dossier := services.active_dossier(old.id)) is not None:
        dossier.opened_on, dossier.coordinator_id = old.received_on + timedelta(days=2), assen.id
        dossier.questionnaire_sent_on = dossier.opened_on
    app_services.decide(old, outcome=S.BUITEN_BEHANDELING, decided_on=old.received_on + timedelta(days=70),
                        grounds="Het Bibob-vragenformulier is niet binnen de hersteltermijn aangevuld (art. 4:5 Awb).",
                        valid_from=None, valid_until=None, conditions="", max_persons=None, actor=officer, today=today)
    filled += 1
    # 7. Assen, verhuurvergunning in behandeling: just opened, the questionnaire has gone out.
    if dossier := _dossier(_find(ctx, "GM0106", PermitType.VERHUURVERGUNNING, S.IN_BEHANDELING), assen, today):
        _questionnaire(ctx, dossier, assen, complete=False)
        filled += 1
    db.session.flush()
    ctx.counts["Bibob-dossiers"] = db.session.scalar(select(db.func.count()).select_from(BibobDossier))
    ctx.counts["Bibob-dossiers met demo-inhoud"] = filled
    _ = Decimal  # amounts in the answer tables are strings, as the form stores them
