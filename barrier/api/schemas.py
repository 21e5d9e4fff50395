"""The request and response models of /api/v1 (pydantic v2).

These classes are the single source of the OpenAPI document (via spectree) *and* of the request
validation, so the document and the code cannot drift. They check the shape (types, enums,
unknown fields); the meaning (BSN elfproef, postcode, which fields a person needs, the
type-specific rules) is checked by the same WTForms forms as the web wizard, in ``intake``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from forms.applications import ACCOMMODATION_CHOICES, DOCUMENT_KIND_CHOICES, LEGAL_FORM_CHOICES, SEX_BUSINESS_CHOICES

# Docstrings of the models below are the descriptions in the OpenAPI document, so they are Dutch.


class ApiModel(BaseModel):
    """Request bodies: unknown fields are refused (a misspelt field must not be silently dropped) and
    JSON types are strict ("8" is not a number, 0 is not a date); dates are ISO strings."""

    model_config = ConfigDict(extra="forbid", strict=True)


class QueryModel(BaseModel):
    """Query parameters arrive as text, so their numbers are parsed; unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")


def _iso_text(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Vul een datum in als JJJJ-MM-DD.")
    return value


#: A date sent as an ISO string (JSON has no date type); numbers are refused, not read as timestamps.
IsoDate = Annotated[date, Field(strict=False), BeforeValidator(_iso_text)]


class OutModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _values(choices) -> tuple[str, ...]:
    return tuple(value for value, _ in choices if value)


LegalForm = Literal[_values(LEGAL_FORM_CHOICES)]  # type: ignore[valid-type]
SexBusinessKind = Literal[_values(SEX_BUSINESS_CHOICES)]  # type: ignore[valid-type]
AccommodationType = Literal[_values(ACCOMMODATION_CHOICES)]  # type: ignore[valid-type]
DocumentKind = Literal[_values(DOCUMENT_KIND_CHOICES)]  # type: ignore[valid-type]
PartyRole = Literal["bestuurder", "aandeelhouder", "ubo", "beheerder", "leidinggevende", "vermogensverschaffer",
                    "eigenaar_pand", "verhuurder", "werkgever", "zakelijke_relatie"]
ApplicationStatus = Literal["ontvangen", "in_behandeling", "aanvulling_gevraagd", "bibob_onderzoek",
                            "voornemen_weigeren", "zienswijze", "verleend", "verleend_met_voorschriften",
                            "geweigerd", "buiten_behandeling", "ingetrokken"]
Text200 = Annotated[str, Field(max_length=200)]


# --- application intake --------------------------------------------------------------------------

class AddressIn(ApiModel):
    """Een Nederlands adres. Laat het object weg (of alle velden leeg) voor geen adres."""

    street: Text200 = Field("", description="Straat.")
    house_number: str = Field("", max_length=10, description="Huisnummer, 1 tot 99999 (als tekst).")
    house_number_suffix: str = Field("", max_length=10, description="Toevoeging, zoals A of bis.")
    postcode: str = Field("", max_length=10, description="Postcode, bijvoorbeeld 9401 AB.")
    city: str = Field("", max_length=120, description="Plaats.")


class LocationIn(AddressIn):
    """Het adres van de inrichting of de huisvesting (niet nodig bij een escortbedrijf)."""

    bag_id: str = Field("", max_length=16, description="BAG-nummeraanduiding-id (16 cijfers), optioneel.")


class _PersonFields(ApiModel):
    kind: Literal["persoon"] = Field(description="Een natuurlijk persoon.")
    given_names: Text200 = Field(description="Voornamen.")
    surname_prefix: str = Field("", max_length=30, description="Tussenvoegsel, zoals 'van der'.")
    surname: Text200 = Field(description="Achternaam.")
    birth_date: IsoDate = Field(description="Geboortedatum (JJJJ-MM-DD).")
    birth_place: str = Field("", max_length=120)
    nationality: str = Field("", max_length=80)
    bsn: str = Field("", max_length=11, description="BSN (9 cijfers, elfproef); versleuteld opgeslagen.")
    address: AddressIn | None = None
    since: IsoDate | None = Field(None, description="Sinds wanneer de persoon deze rol heeft.")
    notes: str = Field("", max_length=4000, description="Toelichting (verplicht bij een zakelijke relatie).")


class _OrganisationFields(ApiModel):
    kind: Literal["organisatie"] = Field(description="Een rechtspersoon of onderneming.")
    name: Text200 = Field(description="Statutaire naam.")
    trade_names: str = Field("", max_length=400, description="Handelsnamen, gescheiden door een puntkomma; de "
                                                              "screening zoekt ook op deze namen.")
    legal_form: LegalForm = Field(description="Rechtsvorm.")
    kvk_number: str = Field("", max_length=12, description="KvK-nummer (8 cijfers); verplicht tenzij buitenlands.")
    vestigingsnummer: str = Field("", max_length=16, description="Vestigingsnummer (12 cijfers).")
    rsin: str = Field("", max_length=12, description="RSIN (9 cijfers, elfproef).")
    address: AddressIn | None = None
    since: IsoDate | None = None
    notes: str = Field("", max_length=4000)


class _Share(ApiModel):
    percentage: float | None = Field(None, description="Percentage aandelen (aandeelhouder), 0 tot 100.")
    amount_eur: float | None = Field(None, description="Bedrag in euro (vermogensverschaffer).")


class PersonApplicant(_PersonFields):
    """De aanvrager, een natuurlijk persoon."""


class OrganisationApplicant(_OrganisationFields):
    """De aanvrager, een organisatie."""


class PersonParty(_PersonFields, _Share):
    """Een andere betrokkene, een persoon, in een rol (bestuurder, UBO, beheerder, ...)."""

    role: PartyRole = Field(description="De rol op de aanvraag.")


class OrganisationParty(_OrganisationFields, _Share):
    """Een andere betrokkene, een organisatie, in een rol (aandeelhouder, verhuurder, ...)."""

    role: PartyRole = Field(description="De rol op de aanvraag.")


Applicant = Annotated[PersonApplicant | OrganisationApplicant, Field(discriminator="kind")]
Party = Annotated[PersonParty | OrganisationParty, Field(discriminator="kind")]


class DocumentIn(ApiModel):
    """Een document in base64; de inhoud moet de PDF, JPEG of PNG zijn die content_type noemt."""

    kind: DocumentKind = Field(description="Soort document.")
    filename: str = Field(min_length=1, max_length=200, description="Bestandsnaam (alleen voor weergave).")
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    content: str = Field(min_length=1, description="De bytes van het bestand, base64 (RFC 4648, met opvulling).")


class SexBusinessDetails(ApiModel):
    """Seksinrichting (domain.md §3.2, SEK-A05..A07)."""

    opening_hours: str = Field(max_length=1000, description="Openingstijden per dag.")
    workrooms: int = Field(description="Aantal werkkamers (0 tot 500).")
    max_sex_workers: int | None = Field(None, description="Maximaal aantal sekswerkers tegelijk.")
    intake_procedure: bool = Field(False, description="Het bedrijfsplan beschrijft een intakegesprek (SEK-A07).")
    alarm_buttons: bool = Field(False, description="Alle werkkamers hebben een alarmvoorziening.")
    business_plan_summary: str = Field("", max_length=8000)


class EscortDetails(ApiModel):
    """Escortbedrijf: geen werkkamers; telefoonnummers en websites (SEK-A04)."""

    opening_hours: str = Field(max_length=1000, description="Bereikbaarheid / werktijden.")
    phone_numbers: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=20)
    websites: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    max_sex_workers: int | None = None
    intake_procedure: bool = False
    business_plan_summary: str = Field("", max_length=8000)


class Room(ApiModel):
    area_m2: float | None = Field(None, description="Oppervlakte in m² (0,5 tot 500).")
    beds: int | None = Field(None, description="Aantal bedden (0 tot 50).")


class HousingDetails(ApiModel):
    """Verhuurvergunning arbeidsmigranten (domain.md §2.4 WGV-A01..A11, §2.7 SNF)."""

    persons: int = Field(description="Aantal arbeidsmigranten (1 tot 2000).")
    accommodation_type: AccommodationType = Field(description="Verblijfsvorm volgens SNF-1.2.")
    floor_area_m2: float = Field(description="Gebruiksoppervlakte wonen (GBO) in m².")
    rooms: list[Room] = Field(default_factory=list, max_length=60, description="Slaapkamers.")
    toilets: int
    showers: int
    kitchens: int | None = None
    rent_per_person: float | None = Field(None, description="Huur per persoon per week (€).")
    service_costs: float | None = Field(None, description="Servicekosten per persoon per week (€).")
    landlord_is_employer: bool = Field(description="Is de verhuurder ook werkgever of uitzendbureau? (WGV-A08)")
    contact_name: str = Field(max_length=120, description="Contactpersoon beheer (24/7).")
    contact_phone: str = Field(max_length=40)
    snf_certified: bool = False


class _ApplicationBase(ApiModel):
    gemeente: str | None = Field(None, max_length=6, description=(
        "CBS-code van de gemeente (GM0106). Een API-client van één gemeente mag dit weglaten; "
        "een regionale client moet het invullen."))
    trade_name: Text200 = Field("", description="Handelsnaam van de onderneming.")
    received_on: IsoDate | None = Field(None, description="Datum van ontvangst; leeg is vandaag.")
    applicant: Applicant
    parties: list[Party] = Field(default_factory=list, max_length=50, description="Overige betrokkenen.")
    location: LocationIn | None = None
    documents: list[DocumentIn] = Field(default_factory=list, max_length=30)


class SexBusinessApplication(_ApplicationBase):
    """Exploitatievergunning seksinrichting."""

    permit_type: Literal["seksinrichting"]
    sub_type: SexBusinessKind = Field(description="Soort seksinrichting.")
    details: SexBusinessDetails


class EscortApplication(_ApplicationBase):
    """Exploitatievergunning escortbedrijf."""

    permit_type: Literal["escortbedrijf"]
    details: EscortDetails


class HousingApplication(_ApplicationBase):
    """Verhuurvergunning verblijfsruimte arbeidsmigranten (Wet goed verhuurderschap)."""

    permit_type: Literal["verhuurvergunning"]
    details: HousingDetails


class ApplicationIn(RootModel[Annotated[SexBusinessApplication | EscortApplication | HousingApplication,
                                        Field(discriminator="permit_type")]]):
    """Een aanvraag zoals een e-formulier die stuurt; permit_type bepaalt de vorm van details."""


class IdempotencyHeaders(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=False)

    idempotency_key: str = Field(alias="Idempotency-Key", min_length=8, max_length=200,
                                 pattern=r"^[\x21-\x7e]+$",
                                 description="Een unieke sleutel per aanvraag (bijv. een UUID); een herhaald "
                                             "verzoek met dezelfde sleutel krijgt het eerste antwoord terug. Een sleutel "
                                             "wordt 30 dagen bewaard; daarna geldt hij als nieuw.")


# --- application status -----------------------------------------------------------------------------

class GemeenteOut(OutModel):
    code: str = Field(description="CBS-code, bijvoorbeeld GM0106.")
    name: str


class MissingOut(OutModel):
    what: str = Field(description="Wat ontbreekt.")
    source: str = Field(description="De regel waar het uit volgt.")


class DeadlineOut(OutModel):
    end_on: date = Field(description="Uiterste beslisdatum.")
    days_left: int = Field(description="Dagen tot de uiterste beslisdatum; negatief als die verstreken is.")
    status: Literal["op_tijd", "bijna", "vandaag", "verlopen"]
    status_label: str
    is_suspended: bool = Field(description="Er loopt een opschorting: de datum kan nog verschuiven.")


class ApplicationLinks(OutModel):
    self: str


class ApplicationStatusOut(OutModel):
    """Wat een zaaksysteem of portaal van een aanvraag mag weten: nooit de inhoud van een Bibob-onderzoek."""

    reference: str = Field(description="Kenmerk, bijvoorbeeld 0106-2026-00042.")
    gemeente: GemeenteOut
    permit_type: Literal["seksinrichting", "escortbedrijf", "verhuurvergunning"]
    permit_type_label: str
    status: ApplicationStatus
    status_label: str
    received_on: date | None
    decided_on: date | None
    deadline: DeadlineOut | None
    missing: list[MissingOut] = Field(description="Wat de aanvraag nog mist (leeg als compleet of besloten).")
    links: ApplicationLinks


class PageLinks(OutModel):
    self: str
    first: str
    prev: str | None
    next: str | None
    last: str


class ApplicationPage(OutModel):
    """Eén pagina aanvragen; links wijzen naar de andere pagina's (NL API Design Rules)."""

    applications: list[ApplicationStatusOut]
    page: int
    pageSize: int  # the NL API Design Rules name it so
    total: int
    links: PageLinks


class ApplicationListQuery(QueryModel):
    """Unknown query parameters are refused, like unknown fields."""

    page: int = Field(1, ge=1, le=100000, description="Paginanummer, vanaf 1.")
    pageSize: int = Field(20, ge=1, le=100, description="Aantal per pagina (1 tot 100).")
    status: ApplicationStatus | None = Field(None, description="Alleen aanvragen met deze status.")


# --- events ----------------------------------------------------------------------------------------

class EventOut(OutModel):
    cursor: str = Field(description="De positie van deze gebeurtenis; geef die mee als since.")
    kind: str = Field(description="application.submitted, application.status_changed, application.decided, "
                                  "register.hit_found")
    at: datetime
    gemeente: str | None = Field(description="CBS-code van de gemeente.")
    application: str | None = Field(description="Kenmerk van de aanvraag, als de gebeurtenis daarover gaat.")
    data: dict[str, str | int | float | bool | None]


class EventsLinks(OutModel):
    self: str
    next: str


class EventsPage(OutModel):
    """Gebeurtenissen na since, oudste eerst. Vraag links.next (of next_cursor) voor wat volgt."""

    events: list[EventOut]
    next_cursor: str
    links: EventsLinks


class EventsQuery(QueryModel):

    since: str | None = Field(None, pattern=r"^v1\.\d{1,18}\.\d{1,18}$", description=(
        "next_cursor van het vorige antwoord (ondoorzichtig: bewaar en geef terug, niet zelf opbouwen); "
        "leeg voor het begin."))
    limit: int = Field(100, ge=1, le=500, description="Maximaal aantal gebeurtenissen (1 tot 500).")


# --- problems -------------------------------------------------------------------------------------------

class InvalidParamOut(OutModel):
    name: str = Field(description="Het veld, bijvoorbeeld parties[1].bsn of Idempotency-Key.")
    code: str
    reason: str = Field(description="Wat er mis is, in het Nederlands.")


class Problem(OutModel):
    """Een foutmelding volgens RFC 9457 (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[InvalidParamOut] | None = Field(None, alias="invalid-params")


# --- register sync (JSON Lines) ----------------------------------------------------------------------

RegisterSourceValue = Literal["bibob_besluit", "vergunning_geweigerd", "riec_signaal", "faillissement",
                              "sanctielijst", "inspectie"]
ConfidentialityValue = Literal["regionaal", "bibob_coordinatoren", "eigen_gemeente"]


class RegisterUpsert(ApiModel):
    """Voegt de registratie met dit external_id toe of werkt haar bij (kolommen en regels van de CSV-import)."""

    op: Literal["upsert"]
    external_id: str = Field(min_length=1, max_length=100, description="Het id in het bronsysteem (uniek).")
    kind: Literal["persoon", "organisatie", "adres"]
    given_names: str = Field("", max_length=200)
    surname_prefix: str = Field("", max_length=30)
    surname: str = Field("", max_length=200, description="Verplicht bij een persoon.")
    birth_date: IsoDate | None = None
    nationality: str = Field("", max_length=80)
    bsn: str = Field("", max_length=11, description="Alleen als sleutel-hash bewaard, nooit leesbaar.")
    name: str = Field("", max_length=200, description="Naam of KvK-nummer verplicht bij een organisatie.")
    legal_form: str = Field("", max_length=60)
    kvk_number: str = Field("", max_length=12)
    street: str = Field("", max_length=200)
    house_number: str = Field("", max_length=10)
    house_number_suffix: str = Field("", max_length=10)
    postcode: str = Field("", max_length=10)
    city: str = Field("", max_length=120)
    country: str = Field("NL", max_length=2, description="Landcode van twee letters.")
    source: RegisterSourceValue
    reason: str = Field(max_length=4000, description="Reden van opname.")
    gemeente: str | None = Field(None, max_length=6, description="CBS-code van de registrerende gemeente; leeg is "
                                                               "de gemeente van de client (of regionaal).")
    recorded_on: IsoDate | None = Field(None, description="Registratiedatum; leeg is vandaag.")
    valid_until: IsoDate | None = None
    confidentiality: ConfidentialityValue = Field("bibob_coordinatoren", description=(
        "Wie de details ziet: regionaal, alleen Bibob-coördinatoren, of alleen die van de eigen gemeente."))


class RegisterDelete(ApiModel):
    """Haalt de registratie met dit external_id uit het register."""

    op: Literal["delete"]
    external_id: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=4000, description="Waarom de registratie vervalt.")


class RegisterLine(RootModel[Annotated[RegisterUpsert | RegisterDelete, Field(discriminator="op")]]):
    """Eén regel van het JSON Lines-bericht: een upsert of een delete."""


class RegisterSyncOut(OutModel):
    register_version: int = Field(description="De versie van het register na deze synchronisatie.")
    created: int
    updated: int
    deleted: int
    lines: int


class RegisterVersionOut(OutModel):
    register_version: int
    engine_version: str


# --- screening -----------------------------------------------------------------------------------------

class _ScreenBase(ApiModel):
    ref: str = Field("", max_length=100, description="Uw eigen kenmerk; komt terug in het antwoord.")


class ScreenPerson(_ScreenBase):
    kind: Literal["persoon"]
    given_names: str = Field("", max_length=200)
    surname_prefix: str = Field("", max_length=30)
    surname: str = Field(min_length=1, max_length=200)
    birth_date: IsoDate | None = None
    nationality: str = Field("", max_length=80)
    bsn: str = Field("", max_length=11, description="Wordt alleen als sleutel-hash vergeleken.")
    address: AddressIn | None = None


class ScreenOrganisation(_ScreenBase):
    kind: Literal["organisatie"]
    name: str = Field("", max_length=200)
    legal_form: str = Field("", max_length=60)
    kvk_number: str = Field("", max_length=12)
    address: AddressIn | None = None


class ScreenAddress(_ScreenBase):
    kind: Literal["adres"]
    street: str = Field("", max_length=200)
    house_number: str = Field("", max_length=10)
    house_number_suffix: str = Field("", max_length=10)
    postcode: str = Field("", max_length=10)
    city: str = Field("", max_length=120)
    country: str = Field("NL", max_length=2)


ScreenSubject = Annotated[ScreenPerson | ScreenOrganisation | ScreenAddress, Field(discriminator="kind")]


class ScreeningRequest(ApiModel):
    """Een of meer personen, organisaties of adressen om naast het register te leggen."""

    subjects: list[ScreenSubject] = Field(min_length=1, max_length=50)


class FeatureOut(OutModel):
    label: str
    query_value: str = Field(description="Wat u stuurde (genormaliseerd).")
    register_value: str = Field(description="Wat het register heeft.")
    contribution: float = Field(description="Bijdrage aan de score.")


class EntryOut(OutModel):
    external_id: str | None
    label: str
    source: str
    source_label: str
    reason: str
    recorded_on: date
    valid_until: date | None


class HitOut(OutModel):
    score: float = Field(description="0 tot 1; vanaf 0,70 beoordelen.")
    kind: Literal["persoon", "organisatie", "adres"]
    confidential: bool = Field(description="Details afgeschermd: neem contact op met de registrerende gemeente.")
    recording_gemeente: str | None = Field(description="De gemeente die registreerde (leeg: regionaal).")
    label: str
    explanation: str = Field(description="Waarom dit een treffer is, in het Nederlands (of waarom afgeschermd).")
    entry: EntryOut | None = Field(description="De registratie, alleen als de vertrouwelijkheid het toelaat.")
    features: list[FeatureOut]


class SubjectResultOut(OutModel):
    ref: str
    index: int
    hits: list[HitOut]


class ScreeningOut(OutModel):
    register_version: int
    engine_version: str
    results: list[SubjectResultOut]
