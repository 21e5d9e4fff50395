"""Demo applications of both types in several gemeenten and statuses (Faker nl_NL)."""

from __future__ import annotations

from datetime import date, timedelta

from barrier.applications import services
from barrier.applications.services import AddressData, OrganisationData, PersonData
from barrier.demo import DemoContext, register_demo_loader
from barrier.models import (
    Application,
    ApplicationStatus,
    ClockEventKind,
    Document,
    DocumentKind,
    PartyRole,
    PermitType,
    User,
)

S = ApplicationStatus
SEX_KINDS = ("prostitutiebedrijf", "club", "massagesalon", "raamprostitutie")
# Realistic street names in Drenthe towns, so map-like grouping in planning makes sense.
PLACES = {
    "GM0106": ("Assen", "94", ("Kloosterstraat", "Vaart Zuidzijde", "Industrieweg", "Borgweg", "Europaweg-Zuid")),
    "GM0114": ("Emmen", "78", ("Hoofdstraat", "Boermarke", "Phoenixplein", "Statenweg", "Noorderstraat")),
    "GM0118": ("Hoogeveen", "79", ("Hoofdstraat", "Industrieweg", "Griendtsveenweg", "Alteveerstraat")),
    "GM0119": ("Meppel", "79", ("Hoofdstraat", "Zomerdijk", "Blankenstein", "Stationsweg")),
    "GM0109": ("Coevorden", "77", ("Friesestraat", "Holtingerveld", "Parallelweg")),
    "GM1731": ("Beilen", "94", ("Brinkstraat", "Eursinge", "Ebbingeweg")),
}


def _today() -> date:
    return date.today()  # noqa: DTZ011


def _postcode(ctx: DemoContext, prefix: str) -> str:
    letters = ctx.rng.choice("ABCDEGHJKLMNPRTVWXZ") + ctx.rng.choice("ABCEGHJKLMNPRTVWXZ")
    return f"{prefix}{ctx.rng.randint(0, 99):02d} {letters}"


def _address(ctx: DemoContext, code: str) -> AddressData:
    city, prefix, streets = PLACES[code]
    return AddressData(street=ctx.rng.choice(streets), house_number=str(ctx.rng.randint(1, 180)),
                       house_number_suffix=ctx.rng.choice(["", "", "", "A", "B"]), postcode=_postcode(ctx, prefix),
                       city=city)


def _person(ctx: DemoContext, code: str, *, foreign: bool = False) -> PersonData:
    faker = ctx.faker
    if foreign:
        given, surname, nationality = ctx.rng.choice([
            ("Łukasz", "Wiśniewski", "Pools"), ("Ștefan", "Popescu", "Roemeens"), ("Ivan", "Petrov", "Bulgaars"),
            ("Agnieszka", "Kowalczyk", "Pools"), ("Mihai", "Ionescu", "Roemeens")])
    else:
        given, nationality = faker.first_name(), "Nederlands"
        surname = faker.last_name()
    prefix = ""
    for candidate in ("van der ", "van den ", "van ", "de ", "ter "):
        if surname.lower().startswith(candidate):
            prefix, surname = surname[: len(candidate) - 1], surname[len(candidate):]
            break
    return PersonData(given_names=given, surname=surname, surname_prefix=prefix.lower(),
                      birth_date=faker.date_of_birth(minimum_age=23, maximum_age=68),
                      birth_place=faker.city(), nationality=nationality, address=_address(ctx, code))


def _organisation(ctx: DemoContext, code: str, kind: str) -> OrganisationData:
    name = ctx.faker.last_name() + (" Huisvesting B.V." if kind == "housing" else
                                    ctx.rng.choice([" Entertainment B.V.", " Leisure V.O.F.", " Wellness B.V."]))
    return OrganisationData(name=name, legal_form="bv" if "B.V." in name else "vof",
                            kvk_number=f"{ctx.rng.randint(10000000, 99999999)}", address=_address(ctx, code))


def _officer(ctx: DemoContext, code: str) -> User:
    gemeente = ctx.gemeenten[code]
    return next(u for u in ctx.users.values() if u.gemeente_id == gemeente.id and u.role.value == "vergunningverlener")


def _details(ctx: DemoContext, permit_type: PermitType, *, overcrowded: bool = False) -> dict:
    if permit_type is PermitType.VERHUURVERGUNNING:
        rooms = [{"area_m2": ctx.rng.choice([8.5, 9.0, 10.5, 12.0, 14.0]), "beds": 2} for _ in range(ctx.rng.randint(3, 6))]
        persons = sum(r["beds"] for r in rooms) + (4 if overcrowded else 0)
        return {"persons": persons, "accommodation_type": ctx.rng.choice(["a", "a", "c", "e"]),
                "floor_area_m2": float(persons * ctx.rng.choice([11, 13, 15])), "rooms": rooms,
                "toilets": max(1, persons // 8), "showers": max(1, persons // 8), "kitchens": 1,
                "rent_per_person": float(ctx.rng.choice([95, 110, 125, 140])), "service_costs": 15.0,
                "landlord_is_employer": ctx.rng.choice(["ja", "nee"]), "contact_name": ctx.faker.name(),
                "contact_phone": "06" + str(ctx.rng.randint(10000000, 99999999)), "snf_certified": ctx.rng.random() < 0.6}
    if permit_type is PermitType.ESCORTBEDRIJF:
        return {"opening_hours": "dagelijks 12:00–04:00", "phone_numbers": "06" + str(ctx.rng.randint(10000000, 99999999)),
                "websites": "https://www.example-escort.nl", "max_sex_workers": ctx.rng.randint(3, 12),
                "intake_procedure": True, "business_plan_summary": "Escortbemiddeling met intakegesprek en vaste chauffeurs."}
    return {"opening_hours": "ma–do 12:00–01:00, vr–za 12:00–03:00", "workrooms": ctx.rng.randint(2, 9),
            "max_sex_workers": ctx.rng.randint(2, 12), "intake_procedure": ctx.rng.random() < 0.8,
            "alarm_buttons": True, "business_plan_summary": "Privéhuis met intakegesprek, GGD-spreekuur en huisregels in meerdere talen."}


def _documents(ctx: DemoContext, app: Application, officer: User, complete: bool) -> None:
    from barrier.applications.rules import REQUIRED_DOCUMENTS

    kinds = [k for k, _ in REQUIRED_DOCUMENTS[app.permit_type]]
    if not complete:
        kinds = kinds[:-1]
    for kind in kinds:
        # Demo documents are metadata only (no bytes on disk): downloads of them answer 404.
        app.documents.append(Document(gemeente_id=app.gemeente_id, kind=DocumentKind(kind),
                                      original_filename=f"{kind.value}.pdf", sha256=f"{ctx.rng.getrandbits(256):064x}",
                                      size_bytes=ctx.rng.randint(40_000, 900_000), content_type="application/pdf",
                                      uploaded_by_id=officer.id, context="application"))


def make_application(ctx: DemoContext, code: str, permit_type: PermitType, *, received_days_ago: int,
                     target: ApplicationStatus, complete: bool = True, overcrowded: bool = False,
                     applicant: PersonData | OrganisationData | None = None) -> Application:
    officer = _officer(ctx, code)
    today = _today()
    received = today - timedelta(days=received_days_ago)
    app = services.new_application(actor=officer, gemeente_id=ctx.gemeenten[code].id, permit_type=permit_type,
                                   sub_type=ctx.rng.choice(SEX_KINDS) if permit_type is PermitType.SEKSINRICHTING else "",
                                   trade_name=ctx.faker.company() if permit_type.is_sex_business else "",
                                   received_on=received)
    kind = "housing" if permit_type is PermitType.VERHUURVERGUNNING else "sex"
    applicant = applicant or (_organisation(ctx, code, kind) if ctx.rng.random() < 0.6 else _person(ctx, code))
    if isinstance(applicant, OrganisationData):
        org = services.upsert_organisation(applicant)
        services.add_party(app, role=PartyRole.AANVRAGER, organisation=org, actor=officer)
        director = services.upsert_person(_person(ctx, code, foreign=ctx.rng.random() < 0.2))
        services.add_party(app, role=PartyRole.BESTUURDER, person=director, actor=officer)
        services.add_party(app, role=PartyRole.AANDEELHOUDER, person=director, percentage=100.0, actor=officer)
    else:
        services.add_party(app, role=PartyRole.AANVRAGER, person=services.upsert_person(applicant), actor=officer)
    if permit_type is PermitType.SEKSINRICHTING:
        services.add_party(app, role=PartyRole.BEHEERDER, person=services.upsert_person(_person(ctx, code)), actor=officer)
    if permit_type is PermitType.VERHUURVERGUNNING:
        owner = services.upsert_person(_person(ctx, code))
        services.add_party(app, role=PartyRole.EIGENAAR_PAND, person=owner, actor=officer)
    if ctx.rng.random() < 0.3:
        lender = services.upsert_person(_person(ctx, code, foreign=ctx.rng.random() < 0.5))
        services.add_party(app, role=PartyRole.VERMOGENSVERSCHAFFER, person=lender,
                           amount_eur=float(ctx.rng.choice([25_000, 60_000, 150_000])), actor=officer)
    if permit_type is not PermitType.ESCORTBEDRIJF or ctx.rng.random() < 0.5:
        services.set_location(app, _address(ctx, code), bag_id=None, actor=officer)
    details = _details(ctx, permit_type, overcrowded=overcrowded)
    services.set_details(app, details, actor=officer)
    if details.get("landlord_is_employer") == "ja":
        employer = services.upsert_organisation(_organisation(ctx, code, "housing"))
        services.add_party(app, role=PartyRole.WERKGEVER, organisation=employer, actor=officer)
    _documents(ctx, app, officer, complete)
    if target is S.CONCEPT:
        return app
    services.submit(app, actor=officer, today=today)
    _walk(ctx, app, officer, target, received)
    return app


def _walk(ctx: DemoContext, app: Application, officer: User, target: ApplicationStatus, received: date) -> None:
    today = _today()
    day = min(today, received + timedelta(days=3))
    if target is S.ONTVANGEN:
        return
    services.transition(app, S.IN_BEHANDELING, actor=officer, today=today)
    if target is S.AANVULLING_GEVRAAGD:
        services.add_clock_event(app, kind=ClockEventKind.AANVULLING, start_on=day, end_on=None, weeks=2,
                                 notice_logged=True, note="Bedrijfsplan ontbreekt", actor=officer, today=today)
        services.transition(app, S.AANVULLING_GEVRAAGD, actor=officer, today=today)
        return
    if target in (S.BIBOB_ONDERZOEK, S.VOORNEMEN_WEIGEREN, S.ZIENSWIJZE, S.GEWEIGERD):
        services.transition(app, S.BIBOB_ONDERZOEK, actor=officer, note="Bibob-toets volgens beleidsregel", today=today)
        if target is S.BIBOB_ONDERZOEK:
            return
        services.add_clock_event(app, kind=ClockEventKind.LBB_ADVIES, start_on=min(today, received + timedelta(days=10)),
                                 end_on=None if target is S.VOORNEMEN_WEIGEREN else min(today, received + timedelta(days=40)),
                                 weeks=0, notice_logged=True, note="Advies gevraagd aan het LBB", actor=officer, today=today)
        services.transition(app, S.VOORNEMEN_WEIGEREN, actor=officer, note="Ernstig gevaar (LBB-advies)", today=today)
        if target is S.VOORNEMEN_WEIGEREN:
            return
        services.transition(app, S.ZIENSWIJZE, actor=officer, note="Zienswijze ontvangen", today=today)
        if target is S.ZIENSWIJZE:
            return
        services.decide(app, outcome=S.GEWEIGERD, decided_on=today, grounds="Ernstig gevaar, Wet Bibob art. 3 lid 1 sub a; "
                        "weigering is evenredig (art. 3 lid 5).", valid_from=None, valid_until=None, conditions="",
                        max_persons=None, actor=officer, today=today)
        return
    if target in (S.VERLEEND, S.VERLEEND_MET_VOORSCHRIFTEN):
        conditions = ("Maximaal aantal bewoners volgens de vergunning.\nRegister van bewoners bijhouden."
                      if app.permit_type is PermitType.VERHUURVERGUNNING else "Intakegesprek met iedere sekswerker.\n"
                      "Bedrijfsadministratie beschikbaar voor de toezichthouder.")
        services.decide(app, outcome=target, decided_on=min(today, received + timedelta(days=50)),
                        grounds="De aanvraag voldoet aan de APV/verordening; de Bibob-toets gaf geen aanwijzingen voor gevaar.",
                        valid_from=min(today, received + timedelta(days=50)), valid_until=None,
                        conditions=conditions if target is S.VERLEEND_MET_VOORSCHRIFTEN else "", max_persons=None,
                        actor=officer, today=today)


@register_demo_loader(10, "applications")
def load(ctx: DemoContext) -> None:
    plan = [
        # (gemeente, type, received days ago, status, complete, overcrowded)
        ("GM0106", PermitType.SEKSINRICHTING, 20, S.IN_BEHANDELING, True, False),
        ("GM0106", PermitType.SEKSINRICHTING, 62, S.BIBOB_ONDERZOEK, True, False),
        ("GM0106", PermitType.ESCORTBEDRIJF, 5, S.ONTVANGEN, False, False),
        ("GM0106", PermitType.VERHUURVERGUNNING, 30, S.AANVULLING_GEVRAAGD, False, True),
        ("GM0106", PermitType.VERHUURVERGUNNING, 150, S.VERLEEND_MET_VOORSCHRIFTEN, True, False),
        ("GM0106", PermitType.SEKSINRICHTING, 400, S.VERLEEND, True, False),
        ("GM0106", PermitType.VERHUURVERGUNNING, 54, S.IN_BEHANDELING, True, False),
        ("GM0106", PermitType.SEKSINRICHTING, 120, S.VOORNEMEN_WEIGEREN, True, False),
        ("GM0106", PermitType.VERHUURVERGUNNING, 2, S.CONCEPT, False, False),
        ("GM0114", PermitType.VERHUURVERGUNNING, 40, S.IN_BEHANDELING, True, True),
        ("GM0114", PermitType.VERHUURVERGUNNING, 300, S.VERLEEND, True, False),
        ("GM0114", PermitType.SEKSINRICHTING, 200, S.GEWEIGERD, True, False),
        ("GM0114", PermitType.ESCORTBEDRIJF, 70, S.ZIENSWIJZE, True, False),
        ("GM0118", PermitType.VERHUURVERGUNNING, 25, S.ONTVANGEN, True, False),
        ("GM0118", PermitType.VERHUURVERGUNNING, 500, S.VERLEEND_MET_VOORSCHRIFTEN, True, False),
        ("GM0119", PermitType.SEKSINRICHTING, 350, S.VERLEEND, True, False),
        ("GM0109", PermitType.VERHUURVERGUNNING, 260, S.VERLEEND, True, False),
        ("GM1731", PermitType.VERHUURVERGUNNING, 15, S.IN_BEHANDELING, True, True),
    ]
    count = 0
    for code, permit_type, days_ago, status, complete, overcrowded in plan:
        make_application(ctx, code, permit_type, received_days_ago=days_ago, target=status, complete=complete,
                         overcrowded=overcrowded)
        count += 1
    ctx.counts["aanvragen"] = count
