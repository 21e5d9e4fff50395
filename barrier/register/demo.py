"""Demo register: a few thousand realistic entries (Faker nl_NL), a handful planted to match demo
applicants, directors and addresses under other spellings, then every open application and
permit in force screened so hits exist, some of them reviewed."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from barrier.db import db, utcnow
from barrier.demo import DemoContext, register_demo_loader
from barrier.models import Application, ApplicationParty
from barrier.models.register import (
    Confidentiality,
    EntityKind,
    HitStatus,
    ImportStatus,
    RegisterHit,
    RegisterImport,
    RegisterSource,
    RiskEntity,
)
from barrier.register import services
from barrier.register.index import current_index
from barrier.register.services import EntityData, column_values

S = RegisterSource
DEMO_SIZE = 3000
REASONS = {
    S.BIBOB_BESLUIT: ["Exploitatievergunning seksinrichting geweigerd: ernstig gevaar (art. 3 lid 1 sub a Wet Bibob).",
                      "Verhuurvergunning ingetrokken na Bibob-advies: zakelijk samenwerkingsverband met veroordeelde.",
                      "Vergunning geweigerd: onvolledig Bibob-vragenformulier (art. 4 lid 1 Wet Bibob)."],
    S.VERGUNNING_GEWEIGERD: ["Exploitatievergunning escortbedrijf geweigerd: beheerder voldoet niet aan APV-eisen.",
                             "Verhuurvergunning arbeidsmigranten ingetrokken wegens overbewoning en weigering toezicht.",
                             "Vergunning seksinrichting ingetrokken na sluiting (art. 13b Opiumwet)."],
    S.RIEC_SIGNAAL: ["RIEC-signaal: mogelijke uitbuiting arbeidsmigranten (huisvesting gekoppeld aan werk).",
                     "RIEC-signaal: katvanger-constructie, wisselende bestuurders.",
                     "RIEC-signaal: contante financiering pand uit onbekende bron."],
    S.FAILLISSEMENT: ["Faillissement uitgesproken door de rechtbank Noord-Nederland.",
                      "Meerdere faillissementen binnen vijf jaar (Centraal Insolventieregister)."],
    S.SANCTIELIJST: ["Vermeld op de EU-sanctielijst.", "Vermeld op de nationale sanctielijst terrorisme."],
    S.INSPECTIE: ["Inspectie: signalen van mensenhandel (paspoorten ingehouden, schuld bij exploitant).",
                  "Inspectie: sekswerkers zonder intake, afhankelijk van huisvesting van exploitant."],
}
SOURCE_WEIGHTS = [(S.BIBOB_BESLUIT, 12), (S.VERGUNNING_GEWEIGERD, 18), (S.RIEC_SIGNAAL, 25), (S.FAILLISSEMENT, 25),
                  (S.SANCTIELIJST, 8), (S.INSPECTIE, 12)]
FOREIGN = [("Łukasz", "Nowak", "Pools"), ("Piotr", "Kamiński", "Pools"), ("Ștefan", "Dumitrescu", "Roemeens"),
           ("Andrei", "Popa", "Roemeens"), ("Georgi", "Ivanov", "Bulgaars"), ("Dimitar", "Georgiev", "Bulgaars"),
           ("Olena", "Kovalenko", "Oekraïens"), ("Mehmet", "Yılmaz", "Turks")]
ORG_SUFFIXES = [" Holding B.V.", " Vastgoed B.V.", " Uitzendbureau B.V.", " Beheer V.O.F.", " Huisvesting B.V.",
                " Wellness", " Entertainment B.V.", " Flexwerk B.V.", " Stichting"]
PREFIXES = ("van der ", "van den ", "van de ", "van ", "de ", "ter ", "ten ")


def _today() -> date:
    return date.today()  # noqa: DTZ011


def _split_prefix(surname: str) -> tuple[str, str]:
    for prefix in PREFIXES:
        if surname.lower().startswith(prefix):
            return prefix.strip(), surname[len(prefix):]
    return "", surname


def _common(ctx: DemoContext, today: date) -> dict:
    source = ctx.rng.choices([s for s, _ in SOURCE_WEIGHTS], [w for _, w in SOURCE_WEIGHTS])[0]
    recorded = today - timedelta(days=ctx.rng.randint(10, 6 * 365))
    level = ctx.rng.choices(list(Confidentiality), [35, 50, 15])[0]
    gemeente = ctx.rng.choice(sorted(ctx.gemeenten.values(), key=lambda g: g.cbs_code))
    valid_until = None
    if source is not S.SANCTIELIJST and ctx.rng.random() < 0.7:
        valid_until = recorded + timedelta(days=5 * 365)
    return {"source": source, "reason": ctx.rng.choice(REASONS[source]), "recorded_on": recorded,
            "valid_until": valid_until, "confidentiality": level, "gemeente_id": gemeente.id}


def _address(ctx: DemoContext) -> dict:
    faker = ctx.faker
    return {"street": faker.street_name(), "house_number": str(ctx.rng.randint(1, 250)),
            "house_number_suffix": ctx.rng.choice(["", "", "", "", "A", "B"]), "postcode": faker.postcode(),
            "city": faker.city()}


def _random_entity(ctx: DemoContext, number: int, today: date) -> EntityData:
    faker = ctx.faker
    roll = ctx.rng.random()
    common = _common(ctx, today)
    if roll < 0.55:
        if ctx.rng.random() < 0.12:
            given, surname, nationality = ctx.rng.choice(FOREIGN)
            prefix = ""
        else:
            given, nationality = faker.first_name(), "Nederlands"
            prefix, surname = _split_prefix(faker.last_name())
        birth = faker.date_of_birth(minimum_age=21, maximum_age=75) if ctx.rng.random() < 0.85 else None
        return EntityData(kind=EntityKind.PERSON, external_id=f"DEMO-P-{number:05d}", given_names=given,
                          surname_prefix=prefix, surname=surname, birth_date=birth, nationality=nationality,
                          **(_address(ctx) if ctx.rng.random() < 0.6 else {}), **common)
    if roll < 0.85:
        name = faker.last_name() + ctx.rng.choice(ORG_SUFFIXES)
        return EntityData(kind=EntityKind.ORGANISATION, external_id=f"DEMO-O-{number:05d}", name=name,
                          kvk_number=f"{ctx.rng.randint(10000000, 99999999)}", **_address(ctx), **common)
    return EntityData(kind=EntityKind.ADDRESS, external_id=f"DEMO-A-{number:05d}", **_address(ctx), **common)


def _swap_letters(word: str, rng) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 3)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _planted(ctx: DemoContext, today: date) -> list[EntityData]:
    """Entries that match demo parties under another spelling, so the demo shows hits."""
    apps = list(db.session.scalars(
        select(Application).where(Application.status.in_(services.OPEN_STATUSES))
        .options(selectinload(Application.parties).selectinload(ApplicationParty.person),
                 selectinload(Application.parties).selectinload(ApplicationParty.organisation),
                 selectinload(Application.location)).order_by(Application.id)))
    emmen = ctx.gemeenten["GM0114"].id
    assen = ctx.gemeenten["GM0106"].id
    planted: list[EntityData] = []
    persons_done = orgs_done = addresses_done = 0
    for app in apps:
        for party in app.parties:
            p, o = party.person, party.organisation
            if p is not None and persons_done < 4 and p.birth_date:
                style = persons_done
                if style == 0:  # "Vries, J. de": initial, tussenvoegsel in the surname, other case
                    data = {"given_names": f"{p.given_names[:1]}.", "surname_prefix": "",
                                "surname": f"{p.surname_prefix.capitalize()} {p.surname}".strip()}
                elif style == 1:  # a typo in the surname
                    data = {"given_names": p.given_names, "surname_prefix": p.surname_prefix,
                                "surname": _swap_letters(p.surname, ctx.rng)}
                elif style == 2:  # without diacritics, upper case
                    def plain(text: str) -> str:
                        return unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L")).encode(
                            "ascii", "ignore").decode().upper()

                    data = {"given_names": plain(p.given_names), "surname_prefix": plain(p.surname_prefix),
                                "surname": plain(p.surname)}
                else:  # swapped given name and surname; confidential for its own gemeente (Emmen)
                    data = {"given_names": p.surname, "surname_prefix": "", "surname": p.given_names}
                level = Confidentiality.EIGEN_GEMEENTE if style == 3 else Confidentiality.BIBOB_COORDINATOREN
                source = [S.RIEC_SIGNAAL, S.BIBOB_BESLUIT, S.INSPECTIE, S.VERGUNNING_GEWEIGERD][style]
                planted.append(EntityData(
                    kind=EntityKind.PERSON, external_id=f"DEMO-MATCH-P{style}", birth_date=p.birth_date,
                    nationality=p.nationality, source=source, reason=REASONS[source][0],
                    recorded_on=today - timedelta(days=200 + 90 * style), confidentiality=level,
                    gemeente_id=emmen if style in (1, 3) else assen, **data))
                persons_done += 1
                break
            if o is not None and orgs_done < 2 and o.kvk_number:
                name = o.name.replace(" B.V.", " BV") if orgs_done == 0 else o.name.replace(" B.V.", "")
                planted.append(EntityData(
                    kind=EntityKind.ORGANISATION, external_id=f"DEMO-MATCH-O{orgs_done}", name=name,
                    kvk_number=o.kvk_number if orgs_done == 0 else "", source=S.FAILLISSEMENT,
                    reason=REASONS[S.FAILLISSEMENT][orgs_done], recorded_on=today - timedelta(days=400),
                    confidentiality=Confidentiality.REGIONAAL, gemeente_id=None,
                    **({"street": o.address.street, "house_number": o.address.house_number,
                        "postcode": o.address.postcode, "city": o.address.city} if o.address and orgs_done else {})))
                orgs_done += 1
                break
        if app.location is not None and addresses_done < 2 and app.location.postcode:
            loc = app.location
            planted.append(EntityData(
                kind=EntityKind.ADDRESS, external_id=f"DEMO-MATCH-A{addresses_done}",
                street=loc.street.replace("straat", "str.").lower(), house_number=loc.house_number,
                house_number_suffix=loc.house_number_suffix, postcode=loc.postcode.replace(" ", ""), city=loc.city,
                source=S.INSPECTIE, reason="Inspectie: overbewoning en signalen van uitbuiting op dit adres.",
                recorded_on=today - timedelta(days=120), confidentiality=Confidentiality.BIBOB_COORDINATOREN,
                gemeente_id=loc.gemeente_id or assen))
            addresses_done += 1
    return planted


@register_demo_loader(20, "register")
def load(ctx: DemoContext) -> None:
    today = _today()
    beheerder = ctx.user("beheer@drenthe.demo")
    record = RegisterImport(original_filename="demo-risicoregister-drenthe.csv", sha256="0" * 64, size_bytes=0,
                            file_format="csv", status=ImportStatus.VASTGELEGD, uploaded_by_id=beheerder.id,
                            committed_at=utcnow())
    db.session.add(record)
    db.session.flush()
    rows = []
    for data in [_random_entity(ctx, n, today) for n in range(DEMO_SIZE)] + _planted(ctx, today):
        problems = services.entity_problems(data, today=today)
        if problems:
            continue
        rows.append({**column_values(data), "import_id": record.id, "created_by_id": beheerder.id, "version": 1})
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(RiskEntity), rows[start:start + 1000])
    version = services.bump_version("import", f"Demo-import: {len(rows)} registraties", actor=beheerder)
    record.created_count, record.register_version_id = len(rows), version.id
    record.report = {"rows": len(rows), "valid": len(rows), "invalid": 0, "to_create": len(rows), "to_update": 0,
                     "encoding": "UTF-8", "delimiter": "puntkomma", "file_format": "csv"}
    ctx.counts["registraties in het risicoregister"] = len(rows)

    # Screen every open application and permit in force, as `register-rescreen` would.
    index = current_index()
    pending, _total = services.rescreen_targets(version=index.version, today=today)
    result = services.screen_applications(services.load_for_screening(pending), index=index, today=today)
    ctx.counts["registertreffers"] = result.current_hits

    # Some hits reviewed by the coördinator of Assen: confirmed, dismissed (with a reason), unsure.
    coordinator = ctx.user("bibob@assen.demo")
    hits = list(db.session.scalars(
        select(RegisterHit).join(Application).where(Application.gemeente_id == coordinator.gemeente_id,
                                                    RegisterHit.status == HitStatus.OPEN)
        .order_by(RegisterHit.score.desc(), RegisterHit.id)))
    decisions = [(HitStatus.BEVESTIGD, "Zelfde persoon: geboortedatum en adres komen overeen met het BRP-uittreksel."),
                 (HitStatus.AFGEWEZEN, "Andere persoon: andere geboorteplaats en BSN volgens het Bibob-vragenformulier."),
                 (HitStatus.ONZEKER, "Navraag gedaan bij het RIEC; antwoord volgt.")]
    for hit, (decision, reason) in zip(hits[1::2], decisions, strict=False):
        services.review_hit(hit, decision=decision, reason=reason, actor=coordinator)
    db.session.flush()

