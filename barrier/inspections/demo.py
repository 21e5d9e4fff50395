"""Demo inspections: locations (permitted and suspected), inspections with findings, open enforcement
with re-inspections, a priority override, and a fixed plan for Assen (concept plan for Emmen).

Runs after the applications demo, so the granted permits exist (Assen, Emmen, Hoogeveen, Meppel,
Coevorden); everything goes through the area's services, as a toezichthouder would do it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from barrier.db import db
from barrier.demo import DemoContext, register_demo_loader
from barrier.inspections import planning, services
from barrier.inspections.services import AddressInput, InspectionInput
from barrier.models import User
from barrier.models.inspections import InspectionLocation, InspectionOutcome, LocationKind
from screening.inspections import AnswerType, load_checklist

# Town centres (WGS84) so that the planner can put nearby visits on the same day.
CENTRES = {
    "GM0106": (52.9925, 6.5625), "GM0114": (52.7858, 6.8975), "GM0118": (52.7233, 6.4764),
    "GM0119": (52.6956, 6.1944), "GM0109": (52.6611, 6.7403), "GM1731": (52.8631, 6.5131),
}

SUSPECTED = [
    # (gemeente, name, kind, street, number, postcode, city, description, lat/lon offset)
    ("GM0106", "Vakantiepark De Bosrand, chalets 12-18", LocationKind.SEKSBEDRIJF, "Bosrandweg", "12", "9405 PA", "Assen",
     "Advertenties op datingsites met dit adres en een wisselend 06-nummer; buren melden veel nachtelijk bezoek van "
     "mannen bij de chalets (signaal SIG-HUI-10).", (0.018, -0.031)),
    ("GM0106", "Woning Kloosterstraat 41", LocationKind.HUISVESTING_AM, "Kloosterstraat", "41", "9401 KG", "Assen",
     "Melding wijkagent: 14 personen ingeschreven, busje haalt 's ochtends groepen op; vermoedelijk verkamering "
     "zonder verhuurvergunning.", (0.002, 0.003)),
    ("GM0106", "Bedrijfspand Industrieweg 7 (achterzijde)", LocationKind.HUISVESTING_AM, "Industrieweg", "7", "9403 AB",
     "Assen", "Bewoning in bedrijfspand gezien bij brandveiligheidscontrole: matrassen in de kantine.", (-0.011, 0.019)),
    ("GM0106", "Massagesalon Lotus", LocationKind.SEKSBEDRIJF, "Vaart Zuidzijde", "88", "9401 GE", "Assen",
     "Massagesalon zonder exploitatievergunning; online aangeboden 'body-to-body'-massages.", (0.004, -0.006)),
    ("GM0106", "Woning Borgweg 23", LocationKind.HUISVESTING_AM, "Borgweg", "23", "9402 AE", "Assen",
     "Veel wisselende bewoners met Poolse en Roemeense kentekens; geen verhuurvergunning bekend.", (0.009, 0.011)),
    ("GM0114", "Recreatiepark Emmerdennen, units 40-46", LocationKind.HUISVESTING_AM, "Boslaan", "40", "7822 HE",
     "Emmen", "Arbeidsmigranten in recreatie-units, vermoedelijk meer dan toegestaan.", (0.012, -0.02)),
    ("GM0114", "Woning Hoofdstraat 210", LocationKind.SEKSBEDRIJF, "Hoofdstraat", "210", "7811 EP", "Emmen",
     "Vermoeden van illegale thuisprostitutie (advertenties met dit adres).", (-0.003, 0.004)),
    ("GM1731", "Vakantiepark Oranje, voormalige chalets", LocationKind.HUISVESTING_AM, "Oranjekanaal NZ", "3",
     "9415 TK", "Oranje", "Arbeidsmigranten in voormalige 4- en 6-persoonschalets (domain.md §2.8 [W31]).",
     (0.045, -0.11)),
]


def _today() -> date:
    return date.today()  # noqa: DTZ011


def _answers(code: str, deviations: dict, *, occupancy: int | None = None) -> dict:
    """A complete, compliant set of answers for checklist *code*, with *deviations* on top."""
    checklist = load_checklist(code)
    answers: dict = {}
    for item in checklist.items:
        if item.answer_type in (AnswerType.JA_NEE, AnswerType.JA_NEE_NVT):
            answers[item.id] = "JA" if item.deviating_answer == "NEE" else "NEE"
        elif item.answer_type in (AnswerType.AANTAL, AnswerType.GETAL) and item.threshold is not None:
            t = item.threshold
            if t.max_param == "permitted_occupancy":
                answers[item.id] = occupancy if occupancy is not None else 4
            elif t.max is not None:
                answers[item.id] = int(t.max) if item.answer_type is AnswerType.AANTAL else float(t.max)
            elif t.min is not None:
                answers[item.id] = float(t.min) + 1
    answers.update(deviations)
    return answers


def _inspect(ctx: DemoContext, location: InspectionLocation, inspector: User, *, days_ago: int,
             outcome: InspectionOutcome, persons: int, deviations: dict | None = None, partner: str = "",
             notes: str = "", occupancy=None):
    today = _today()
    code = location.kind.checklist_code
    token = str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))
    data = InspectionInput(inspected_on=today - timedelta(days=days_ago),
                           answers=_answers(code, deviations or {}, occupancy=occupancy), partner_name=partner,
                           persons_present=persons, identities_checked=persons, notes=notes, outcome=outcome)
    return services.save_inspection(location, token=token, data=data, complete=True, actor=inspector,
                                    today=today).inspection


def _locate(ctx: DemoContext) -> None:
    """Coordinates near the town centre for demo addresses without them."""
    for location in db.session.scalars(select(InspectionLocation)):
        address = location.address
        code = location.gemeente.cbs_code
        if address is not None and address.latitude is None and code in CENTRES:
            lat, lon = CENTRES[code]
            address.latitude = round(lat + ctx.rng.uniform(-0.025, 0.025), 6)
            address.longitude = round(lon + ctx.rng.uniform(-0.04, 0.04), 6)


def _by_kind(code: str, ctx: DemoContext, kind: LocationKind, *, permitted: bool) -> list[InspectionLocation]:
    stmt = select(InspectionLocation).where(InspectionLocation.gemeente_id == ctx.gemeenten[code].id,
                                            InspectionLocation.kind == kind)
    stmt = stmt.where(InspectionLocation.permit_id.is_not(None) if permitted else InspectionLocation.permit_id.is_(None))
    return list(db.session.scalars(stmt.order_by(InspectionLocation.id)))


@register_demo_loader(40, "inspections")
def load(ctx: DemoContext) -> None:
    today = _today()
    services.sync_permit_locations()
    assen, emmen = ctx.users["toezicht@assen.demo"], ctx.users["toezicht@emmen.demo"]
    assen2 = ctx.users["toezicht2@assen.demo"]
    suspected: dict[str, InspectionLocation] = {}
    for code, name, kind, street, number, postcode, city, description, (dlat, dlon) in SUSPECTED:
        lat, lon = CENTRES[code]
        creator = next((u for u in ctx.users.values() if u.gemeente_id == ctx.gemeenten[code].id
                        and u.role.value == "toezichthouder"), assen)
        suspected[name] = services.add_location(
            gemeente_id=ctx.gemeenten[code].id, name=name, kind=kind, description=description, actor=creator,
            address=AddressInput(street=street, house_number=number, postcode=postcode, city=city,
                                 latitude=round(lat + dlat, 6), longitude=round(lon + dlon, 6)))
    _locate(ctx)
    db.session.flush()

    inspections = 0
    # Assen, labour-migrant housing with a permit: overcrowded, unsafe -> dwangsom (term ends within a week).
    for location in _by_kind("GM0106", ctx, LocationKind.HUISVESTING_AM, permitted=True)[:1]:
        allowed = location.permit.max_persons or 8
        inspection = _inspect(ctx, location, assen, days_ago=58, persons=allowed + 5, occupancy=allowed + 5,
                              outcome=InspectionOutcome.OVERTREDINGEN,
                              deviations={"INS-WGV-23": "NEE", "INS-WGV-17": 11, "INS-WGV-04": "JA",
                                          "INS-WGV-16": 4},
                              notes="Zolder en woonkamer als slaapruimte in gebruik; twee rookmelders zonder batterij.")
        services.add_measure(inspection, violation_item_id="INS-WGV-23", measure_code="WAARSCHUWING",
                             values={"hersteltermijn_dagen": 14}, issued_on=today - timedelta(days=57), actor=assen,
                             today=today)
        services.add_measure(inspection, violation_item_id="INS-WGV-01", measure_code="LAST_ONDER_DWANGSOM",
                             values={"begunstigingstermijn_dagen": 60, "bedrag_eur": 500.0, "per": "DAG",
                                     "maximum_eur": 15000.0},
                             issued_on=today - timedelta(days=55), actor=assen, today=today)
        inspections += 1
    # Assen sex businesses with a permit: inspected by two, nothing found.
    for location in _by_kind("GM0106", ctx, LocationKind.SEKSBEDRIJF, permitted=True):
        _inspect(ctx, location, assen, days_ago=150, persons=4, partner=assen2.full_name,
                 outcome=InspectionOutcome.GEEN_BEVINDINGEN)
        inspections += 1
    # The suspected holiday park: signals of sexual exploitation (a signal follows in the signals demo).
    park = suspected["Vakantiepark De Bosrand, chalets 12-18"]
    _inspect(ctx, park, assen, days_ago=21, persons=3, partner=assen2.full_name,
             outcome=InspectionOutcome.SIGNALEN_MENSENHANDEL,
             deviations={"INS-SB-01": "NEE", "INS-SB-03": "NEE", "INS-SB-09": ["SIG-SEX-05", "SIG-ALG-01", "SIG-SEX-07"]},
             notes="Drie vrouwen aangetroffen; een 'begeleider' hield de paspoorten. Gesprek via tolk niet mogelijk.")
    inspections += 1
    # Emmen housing with a permit and a suspected unit park; a warning with a passed term.
    for location in _by_kind("GM0114", ctx, LocationKind.HUISVESTING_AM, permitted=True)[:1]:
        inspection = _inspect(ctx, location, emmen, days_ago=40, persons=9, occupancy=9,
                              outcome=InspectionOutcome.OVERTREDINGEN,
                              deviations={"INS-WGV-26": "NEE", "INS-WGV-29": "NEE"})
        services.add_measure(inspection, violation_item_id="INS-WGV-26", measure_code="WAARSCHUWING",
                             values={"hersteltermijn_dagen": 28}, issued_on=today - timedelta(days=38), actor=emmen,
                             today=today)
        inspections += 1
    _inspect(ctx, suspected["Recreatiepark Emmerdennen, units 40-46"], emmen, days_ago=200, persons=16, occupancy=16,
             outcome=InspectionOutcome.OVERTREDINGEN, deviations={"INS-WGV-11": 7.5, "INS-WGV-13": 2.7, "INS-WGV-18": 16})
    inspections += 1
    # Inspections elsewhere in the region, this year and last, for the regional overview.
    for code, email in (("GM0118", "toezicht@hoogeveen.demo"), ("GM0119", "toezicht@meppel.demo"),
                        ("GM0109", "toezicht@coevorden.demo"), ("GM1731", "toezicht@midden-drenthe.demo")):
        inspector = ctx.users.get(email)
        if inspector is None:
            continue
        locations = list(db.session.scalars(select(InspectionLocation).where(
            InspectionLocation.gemeente_id == ctx.gemeenten[code].id)))
        for n, location in enumerate(locations):
            found = {} if n % 2 else ({"INS-WGV-22": "NEE"} if location.kind.checklist_code == "INS-WGV"
                                      else {"INS-SB-06": "NEE"})
            _inspect(ctx, location, inspector, days_ago=ctx.rng.randint(30, 300), persons=ctx.rng.randint(3, 12),
                     outcome=InspectionOutcome.OVERTREDINGEN if found else InspectionOutcome.GEEN_BEVINDINGEN,
                     deviations=found, partner="collega Toezicht" if location.kind.checklist_code == "INS-SB" else "")
            inspections += 1

    # Last year's round along the permitted locations (history for the regional overview).
    for location in db.session.scalars(select(InspectionLocation).where(InspectionLocation.permit_id.is_not(None))):
        inspector = next((u for u in ctx.users.values() if u.gemeente_id == location.gemeente_id
                          and u.role.value == "toezichthouder"), None)
        if inspector is None:
            continue
        housing = location.kind.checklist_code == "INS-WGV"
        found = ctx.rng.choice([{}, {"INS-WGV-19": "NEE"} if housing else {"INS-SB-05": "NEE"},
                                {"INS-WGV-25": "NEE", "INS-WGV-33": "NEE"} if housing else {"INS-SB-11": "NEE"}])
        _inspect(ctx, location, inspector, days_ago=ctx.rng.randint(370, 520), persons=ctx.rng.randint(2, 10),
                 outcome=InspectionOutcome.OVERTREDINGEN if found else InspectionOutcome.GEEN_BEVINDINGEN,
                 deviations=found, partner="" if housing else "collega Toezicht")
        inspections += 1

    services.set_priority_override(suspected["Massagesalon Lotus"], points=15, actor=assen,
                                   reason="Melding buurtbewoners: veel wisselend bezoek 's nachts; "
                                          "advertenties noemen 'nieuwe meisjes' per week.")

    # A fixed plan for Assen from this week, and a concept proposal for Emmen (one inspector: the sex
    # business there cannot be planned without a second person, which the plan reports).
    monday = today - timedelta(days=today.weekday())
    end = monday + timedelta(weeks=4, days=-1)
    plan = planning.propose(ctx.gemeenten["GM0106"].id, start=monday, end=end,
                            capacities=[(assen, 3), (assen2, 3)], actor=assen, today=today)
    planning.fix_plan(plan, actor=assen)
    planning.propose(ctx.gemeenten["GM0114"].id, start=monday + timedelta(weeks=1), end=end + timedelta(weeks=1),
                     capacities=[(emmen, 3)], actor=emmen, today=today)
    ctx.counts["inspectielocaties"] = len(db.session.scalars(select(InspectionLocation)).all())
    ctx.counts["controles"] = inspections
