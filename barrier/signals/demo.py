"""Demo signals: a history spread over years, gemeenten and forms of exploitation like the figures of
the Beleidsplan 'Drenthe tegen mensenhandel' §2.2 (meldingen 2020-2023: 34, 29, 53, 67; mostly sexual
exploitation, 43 % to 79 %; 0 to 15 per gemeente), plus open signals in the inboxes, one of them
with care data (so the RIEC block can be tried), one acute with the 112 call recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from barrier.db import db
from barrier.demo import DemoContext, register_demo_loader
from barrier.models.inspections import Inspection, InspectionLocation
from barrier.models.signals import (
    ExploitationForm,
    Signal,
    SignalForward,
    SignalSource,
    SignalStatus,
    SignalUrgency,
)
from barrier.signals import services
from barrier.signals.services import SignalInput
from screening.signals import Stage, Target, evaluate_signals

#: Meldingen per year: 2020-2023 from the Beleidsplan §2.2; later years are demo values.
PER_YEAR = {2020: 34, 2021: 29, 2022: 53, 2023: 67, 2024: 58, 2025: 52}
#: Share of sexual exploitation per year (the plan: "variërend van 43% tot 79%").
SEX_SHARE = {2020: 0.79, 2021: 0.66, 2022: 0.55, 2023: 0.43, 2024: 0.50, 2025: 0.52}
#: Relative size of each gemeente in the demo history (a gemeente gets at most 15 a year, plan §2.2).
WEIGHTS = {"GM0114": 16, "GM0106": 14, "GM0118": 11, "GM0119": 8, "GM0109": 8, "GM1731": 7, "GM1681": 6,
           "GM1730": 6, "GM1699": 6, "GM1680": 5, "GM1690": 5, "GM1701": 4}
MAX_PER_GEMEENTE = 15

SIGNALS_BY_FORM = {
    ExploitationForm.SEKS: ["SIG-SEX-01", "SIG-SEX-03", "SIG-SEX-05", "SIG-SEX-07", "SIG-SEX-09", "SIG-HUI-10",
                            "SIG-ALG-01", "SIG-ALG-10"],
    ExploitationForm.ARBEID: ["SIG-ARB-01", "SIG-ARB-02", "SIG-ARB-04", "SIG-HUI-02", "SIG-HUI-05", "SIG-HUI-07",
                              "SIG-ALG-02", "SIG-ALG-08"],
    ExploitationForm.CRIMINEEL: ["SIG-ALG-05", "SIG-ALG-06", "SIG-ALG-09", "SIG-ALG-10"],
    ExploitationForm.ONBEKEND: ["SIG-ALG-07", "SIG-ALG-10", "SIG-HUI-03"],
}
OBSERVATIONS = {
    ExploitationForm.SEKS: "Vrouw werkt in een woning waar veel wisselend bezoek komt; wordt steeds gebracht en gehaald.",
    ExploitationForm.ARBEID: "Arbeidsmigranten wonen met te veel personen in één woning; loon wordt ingehouden voor huur.",
    ExploitationForm.CRIMINEEL: "Jongere wordt ingezet als koerier; lijkt onder druk te staan van oudere jongens.",
    ExploitationForm.ONBEKEND: "Persoon kent het eigen verblijfsadres niet; een begeleider voert steeds het woord.",
}
FOLLOW_UP = {ExploitationForm.SEKS: Target.POLITIE_TMM, ExploitationForm.CRIMINEEL: Target.POLITIE_TMM,
             ExploitationForm.ARBEID: Target.NLA}
FOLLOW_UP_BASIS = {Target.POLITIE_TMM: "CONVENANT-ZVHD", Target.NLA: "MELDING-NLA"}


def _today() -> date:
    return date.today()  # noqa: DTZ011


def _split(ctx: DemoContext, total: int) -> dict[str, int]:
    """Spread *total* over the gemeenten by weight, at most MAX_PER_GEMEENTE each."""
    codes = list(WEIGHTS)
    counts = dict.fromkeys(codes, 0)
    for _ in range(total):
        open_codes = [c for c in codes if counts[c] < MAX_PER_GEMEENTE]
        code = ctx.rng.choices(open_codes, weights=[WEIGHTS[c] for c in open_codes])[0]
        counts[code] += 1
    return counts


def _forms(ctx: DemoContext, total: int, sex_share: float) -> list[ExploitationForm]:
    sex = round(total * sex_share)
    rest = total - sex
    labour = round(rest * 0.7)
    criminal = round(rest * 0.2)
    forms = ([ExploitationForm.SEKS] * sex + [ExploitationForm.ARBEID] * labour
             + [ExploitationForm.CRIMINEEL] * criminal + [ExploitationForm.ONBEKEND] * (rest - labour - criminal))
    ctx.rng.shuffle(forms)
    return forms


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _history(ctx: DemoContext, year: int, total: int, *, until: date) -> int:
    """Closed signals of one year that went the whole route (created as records: they are history)."""
    per_gemeente = _split(ctx, total)
    forms = _forms(ctx, total, SEX_SHARE.get(year, 0.5))
    regional = ctx.users["ketenregisseur@zvhd.demo"]
    made = 0
    for code, count in per_gemeente.items():
        gemeente = ctx.gemeenten[code]
        reporter = next((u for u in ctx.users.values() if u.gemeente_id == gemeente.id), regional)
        for _ in range(count):
            form = forms[made]
            start = date(year, 1, 1)
            span = ((min(date(year, 12, 31), until) - start).days) or 1
            reported = start + timedelta(days=ctx.rng.randint(0, span))
            ids = sorted(ctx.rng.sample(SIGNALS_BY_FORM[form], k=ctx.rng.randint(1, 3)))
            evaluation = evaluate_signals(ids)
            signal = Signal(gemeente_id=gemeente.id, source=ctx.rng.choice(list(SignalSource)), signal_ids=ids,
                            total_weight=evaluation.total_weight, vorm=form,
                            urgency=SignalUrgency.HOOG if ctx.rng.random() < 0.15 else SignalUrgency.NORMAAL,
                            observation=OBSERVATIONS[form], persons="Eén persoon, gepseudonimiseerd.",
                            needs_care=ctx.rng.random() < 0.4, stage=Stage.DRIELUIK.value,
                            status=SignalStatus.AFGESLOTEN, reported_on=reported, created_by_id=reporter.id,
                            closed_at=_at(reported + timedelta(days=40)),
                            closing_note="Besproken in het Drieluik-overleg en overgedragen; dossier gesloten.")
            db.session.add(signal)
            db.session.flush()
            signal.reference = f"SIG-{year}-{signal.id:05d}"
            steps = [(Target.AANDACHTFUNCTIONARIS, "MR-01", "INTERNE-MELDROUTE", Stage.MEDEWERKER,
                      Stage.AANDACHTFUNCTIONARIS, reporter),
                     (Target.ZVHD, "MR-02", "CONVENANT-ZVHD", Stage.AANDACHTFUNCTIONARIS, Stage.ZVHD, reporter),
                     (Target.DRIELUIK, "MR-03", "CONVENANT-ZVHD", Stage.ZVHD, Stage.DRIELUIK, regional)]
            if form in FOLLOW_UP:
                target = FOLLOW_UP[form]
                steps.append((target, "MR-06" if target is Target.POLITIE_TMM else "MR-05", FOLLOW_UP_BASIS[target],
                              Stage.DRIELUIK, Stage.DRIELUIK, regional))
            for n, (target, rule, basis, before, after, who) in enumerate(steps):
                db.session.add(SignalForward(signal=signal, target=target.value, rule_id=rule, legal_bases=[basis],
                                             motivation="Volgens de meldroute (bijlage 4).", stage_before=before.value,
                                             stage_after=after.value, forwarded_by_id=who.id,
                                             forwarded_at=_at(reported + timedelta(days=2 * n + 1))))
            made += 1
    return made


def _open_signals(ctx: DemoContext, today: date) -> int:
    """Signals waiting now: in Assen's inbox, at the ZVHD, at the Drieluik (with care data), one acute."""
    toezicht = ctx.users["toezicht@assen.demo"]
    aandacht = ctx.users["aandacht@assen.demo"]
    regional = ctx.users["ketenregisseur@zvhd.demo"]
    assen, emmen = ctx.gemeenten["GM0106"].id, ctx.gemeenten["GM0114"].id
    park = db.session.scalar(select(InspectionLocation).where(InspectionLocation.name.like("Vakantiepark De Bosrand%")))
    park_inspection = db.session.scalar(select(Inspection).where(Inspection.location_id == park.id)) if park else None
    made = []
    made.append(services.create_signal(SignalInput(
        gemeente_id=assen, signal_ids=list(park_inspection.signal_ids) if park_inspection else ["SIG-SEX-05"],
        vorm=ExploitationForm.SEKS, urgency=SignalUrgency.HOOG, source=SignalSource.INSPECTIE,
        observation="Bij de controle op het vakantiepark hield een 'begeleider' de paspoorten van drie vrouwen; "
                    "de vrouwen werden steeds gebeld en mochten niet alleen met ons spreken.",
        persons="Drie vrouwen, ca. 20-25 jaar, Oost-Europees; één man ca. 35 jaar ('begeleider').",
        location_id=park.id if park else None, inspection_id=park_inspection.id if park_inspection else None,
        needs_care=True, reported_on=today - timedelta(days=20)), actor=toezicht, today=today))
    made.append(services.create_signal(SignalInput(
        gemeente_id=assen, signal_ids=["SIG-HUI-02", "SIG-HUI-05", "SIG-HUI-07"], vorm=ExploitationForm.ARBEID,
        urgency=SignalUrgency.NORMAAL, source=SignalSource.COLLEGA,
        observation="Collega BRP: veertien inschrijvingen op één adres in drie maanden; huur wordt ingehouden op loon.",
        persons="Veertien mannen, 20-50 jaar.", address_text="Kloosterstraat 41, Assen",
        reported_on=today - timedelta(days=6)), actor=toezicht, today=today))
    acute = services.create_signal(SignalInput(
        gemeente_id=assen, signal_ids=["SIG-SEX-02", "SIG-ALG-05"], vorm=ExploitationForm.SEKS,
        urgency=SignalUrgency.ACUUT, source=SignalSource.BALIE,
        observation="Meisje aan de balie, lijkt minderjarig, zegt bedreigd te worden door de man die buiten wacht.",
        persons="Meisje, ca. 16 jaar; man ca. 30 jaar.", reported_on=today - timedelta(days=1)),
        actor=ctx.users["vergunningverlener@assen.demo"], today=today)
    services.forward_signal(acute, target=Target.POLITIE_112, legal_bases=["VITAAL-BELANG"],
                            motivation="Direct 112 gebeld; politie was binnen tien minuten ter plaatse.",
                            actor=ctx.users["vergunningverlener@assen.demo"])
    made.append(acute)
    # At the ZVHD: forwarded by Assen's aandachtfunctionaris.
    zvhd = services.create_signal(SignalInput(
        gemeente_id=assen, signal_ids=["SIG-ARB-01", "SIG-ARB-02", "SIG-HUI-01"], vorm=ExploitationForm.ARBEID,
        urgency=SignalUrgency.NORMAAL, source=SignalSource.INSPECTIE,
        observation="Werknemers slapen in de kantine van het bedrijfspand; werkdagen van 12 uur, zes dagen per week.",
        persons="Zes mannen, gepseudonimiseerd.", has_undermining_component=True,
        reported_on=today - timedelta(days=14)), actor=toezicht, today=today)
    services.forward_signal(zvhd, target=Target.ZVHD, legal_bases=["CONVENANT-ZVHD"],
                            motivation="Serieus signaal van arbeidsuitbuiting; graag bespreken in het Drieluik.",
                            actor=aandacht)
    made.append(zvhd)
    # At the Drieluik, with care data from zorgpartners: it may go to the NLA, never to the RIEC.
    drieluik = services.create_signal(SignalInput(
        gemeente_id=emmen, signal_ids=["SIG-ALG-01", "SIG-ALG-02", "SIG-HUI-05"], vorm=ExploitationForm.ARBEID,
        urgency=SignalUrgency.HOOG, source=SignalSource.COLLEGA,
        observation="Uitzendbureau is ook verhuurder; bewoners moeten een 'bemiddelingsschuld' afbetalen.",
        persons="Vier bewoners, gepseudonimiseerd.", has_undermining_component=True, needs_care=True,
        reported_on=today - timedelta(days=30)), actor=ctx.users["toezicht@emmen.demo"], today=today)
    drieluik.stage = Stage.ZVHD.value  # Emmen's aandachtfunctionaris (no demo account) passed it on
    db.session.add(SignalForward(signal=drieluik, target=Target.ZVHD.value, rule_id="MR-02",
                                 legal_bases=["CONVENANT-ZVHD"], motivation="Doorgezet door de aandachtfunctionaris.",
                                 stage_before=Stage.AANDACHTFUNCTIONARIS.value, stage_after=Stage.ZVHD.value,
                                 forwarded_at=_at(today - timedelta(days=27))))
    db.session.flush()
    services.forward_signal(drieluik, target=Target.DRIELUIK, legal_bases=["CONVENANT-ZVHD"],
                            motivation="Ingebracht in het Drieluik-overleg.", actor=regional)
    services.add_care_note(drieluik, text="Zorgcoördinator: twee bewoners zijn aangemeld bij CoMensha en verblijven "
                                          "in de opvang; medische zorg loopt.", actor=regional)
    made.append(drieluik)
    # Demo signals are recorded "now" but reported earlier: date their route steps from the report on.
    for signal in made:
        for n, forward in enumerate(sorted(signal.forwards, key=lambda f: (f.stage_before != "MEDEWERKER", f.id or 0))):
            forward.forwarded_at = _at(signal.reported_on + timedelta(days=min(n, 1)), 9 + 2 * n)
    return len(made)


@register_demo_loader(50, "signals")
def load(ctx: DemoContext) -> None:
    today = _today()
    made = 0
    for year, total in PER_YEAR.items():
        if year < today.year:
            made += _history(ctx, year, total, until=today)
    if today.year not in PER_YEAR:
        # The current year so far: in proportion to the days passed, a little below the last full year.
        days = (today - date(today.year, 1, 1)).days
        so_far = round(PER_YEAR[max(PER_YEAR)] * days / 365 * 0.85)
        made += _history(ctx, today.year, max(0, so_far - 5), until=today - timedelta(days=45))
    made += _open_signals(ctx, today)
    ctx.counts["signalen"] = made
