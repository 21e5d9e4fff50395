"""Forms of the application wizard and the casework on an application.

Choices that come from the database (officers, gemeenten) are filled in by the view; the
business rules (which parties a permit type needs, which transitions are allowed) live in the
service, not here.
"""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from forms.base import BaseForm, options, remove_control_characters, strip_whitespace
from forms.validators import (
    Bsn,
    HouseNumber,
    HouseNumberSuffix,
    KvkNumber,
    NotBefore,
    NotInFuture,
    Postcode,
    Rsin,
    Vestigingsnummer,
)

PERMIT_TYPE_CHOICES = [
    ("seksinrichting", "Exploitatievergunning seksinrichting"),
    ("escortbedrijf", "Exploitatievergunning escortbedrijf"),
    ("verhuurvergunning", "Verhuurvergunning verblijfsruimte arbeidsmigranten (Wet goed verhuurderschap)"),
]
SEX_BUSINESS_CHOICES = [
    ("", "— kies het soort seksinrichting —"),
    ("prostitutiebedrijf", "Prostitutiebedrijf (privéhuis)"),
    ("raamprostitutie", "Raamprostitutiebedrijf"),
    ("club", "Club"),
    ("massagesalon", "Erotische massagesalon"),
    ("parenclub", "Parenclub"),
    ("seksbioscoop", "Seksbioscoop"),
    ("sekstheater", "Sekstheater"),
]
LEGAL_FORM_CHOICES = [
    ("", "— kies —"), ("eenmanszaak", "Eenmanszaak"), ("vof", "Vennootschap onder firma (v.o.f.)"),
    ("maatschap", "Maatschap"), ("cv", "Commanditaire vennootschap (c.v.)"), ("bv", "Besloten vennootschap (B.V.)"),
    ("nv", "Naamloze vennootschap (N.V.)"), ("stichting", "Stichting"), ("vereniging", "Vereniging"),
    ("cooperatie", "Coöperatie"), ("buitenlands", "Buitenlandse rechtsvorm"),
]
PARTY_ROLE_CHOICES = [
    ("aanvrager", "Aanvrager"), ("bestuurder", "Bestuurder"), ("aandeelhouder", "Aandeelhouder"),
    ("ubo", "UBO (uiteindelijk belanghebbende)"), ("beheerder", "Beheerder"), ("leidinggevende", "Leidinggevende"),
    ("vermogensverschaffer", "Vermogensverschaffer"), ("eigenaar_pand", "Eigenaar pand"),
    ("verhuurder", "Verhuurder"), ("werkgever", "Werkgever"), ("zakelijke_relatie", "Zakelijke relatie"),
]
# SNF-1.2 verblijfsvormen (domain.md §2.7).
ACCOMMODATION_CHOICES = [
    ("", "— kies —"),
    ("a", "a. Reguliere woning"), ("b", "b. Hotel of pension"),
    ("c", "c. Wooneenheden in een gebouwencomplex"), ("d_logies", "d. Woonunits (logiesfunctie)"),
    ("d_wonen", "d. Woonunits (bestemming wonen)"), ("e", "e. Recreatieterrein"),
]
DOCUMENT_KIND_CHOICES = [
    ("bedrijfsplan", "Bedrijfsplan"), ("plattegrond", "Plattegrond (met m² per ruimte)"),
    ("identiteitsbewijs", "Kopie identiteitsbewijs"), ("kvk_uittreksel", "Uittreksel KvK"),
    ("huur_koopovereenkomst", "Huur- of koopovereenkomst pand"), ("bibob_vragenformulier", "Bibob-vragenformulier"),
    ("huurovereenkomst_model", "Model-huurovereenkomst (los van arbeidscontract)"),
    ("informatie_in_taal", "Informatie voor bewoners in eigen taal"),
    ("omgevingsvergunning", "Omgevingsvergunning / toestemming omgevingsplan"),
    ("brandveiligheid", "Gebruiksmelding brandveilig gebruik"), ("snf_certificaat", "SNF-certificaat of gelijkwaardig"),
    ("financiering", "Stukken over de financiering"), ("overig", "Overig"),
]

NAME = [Length(max=200)]


class TypeForm(BaseForm):
    permit_type = RadioField("Soort vergunning", choices=options(PERMIT_TYPE_CHOICES),
                             validators=[InputRequired("Kies het soort vergunning.")])
    # No Optional() and no built-in choice check: validate_sub_type decides, per permit type.
    sub_type = SelectField("Soort seksinrichting", choices=options(SEX_BUSINESS_CHOICES), validate_choice=False,
                           description="Alleen bij een exploitatievergunning seksinrichting.")
    trade_name = StringField("Handelsnaam van de onderneming", [Optional(), Length(max=200)])
    received_on = DateField("Datum van ontvangst", [Optional(), NotInFuture("De datum van ontvangst kan niet in de toekomst liggen."), NotBefore(2000)],
                            description="De dag waarop de aanvraag binnenkwam; de beslistermijn begint de dag erna (Awb 4:13). Leeg = vandaag bij indienen.")

    def validate_sub_type(self, field):
        if self.permit_type.data != "seksinrichting":
            field.data = ""
            return
        if not field.data:
            raise ValidationError("Kies het soort seksinrichting.")
        if field.data not in {value for value, _ in SEX_BUSINESS_CHOICES}:
            raise ValidationError("Kies een soort seksinrichting uit de lijst.")


class AddressSubForm(Form):
    street = StringField("Straat", [Optional(), Length(max=200)], filters=[remove_control_characters, strip_whitespace])
    house_number = StringField("Huisnummer", [Optional(), HouseNumber()], filters=[strip_whitespace])
    house_number_suffix = StringField("Toevoeging", [Optional(), HouseNumberSuffix()], filters=[strip_whitespace])
    postcode = StringField("Postcode", [Optional(), Postcode()], filters=[strip_whitespace],
                           description="Bijvoorbeeld 9401 AB.")
    city = StringField("Plaats", [Optional(), Length(max=120)], filters=[remove_control_characters, strip_whitespace])

    def is_empty(self) -> bool:
        return not any((self.street.data, self.house_number.data, self.postcode.data, self.city.data))


def _require_address(address: AddressSubForm, what: str) -> bool:
    """All of street, number, postcode and place, with the error next to each missing field."""
    ok = True
    for field, label in ((address.street, "de straat"), (address.house_number, "het huisnummer"),
                         (address.postcode, "de postcode"), (address.city, "de plaats")):
        if not field.data and not field.errors:
            field.errors = [*field.errors, f"Vul {label} van {what} in."]
            ok = False
    return ok


class PartyForm(BaseForm):
    """A person or an organisation in a role; which fields are required depends on the kind."""

    role = SelectField("Rol", choices=options(PARTY_ROLE_CHOICES), validators=[DataRequired("Kies de rol.")])
    kind = RadioField("Soort", choices=options([("persoon", "Natuurlijk persoon"), ("organisatie", "Organisatie (rechtspersoon of onderneming)")]),
                      validators=[InputRequired("Kies persoon of organisatie.")], default="persoon")
    # Person
    given_names = StringField("Voornamen", [Optional(), *NAME], render_kw={"autocomplete": "off"})
    surname_prefix = StringField("Tussenvoegsel", [Optional(), Length(max=30)], description="Bijvoorbeeld: van der, de.")
    surname = StringField("Achternaam", [Optional(), *NAME])
    birth_date = DateField("Geboortedatum", [Optional(), NotInFuture("Een geboortedatum kan niet in de toekomst liggen."), NotBefore(1900)])
    birth_place = StringField("Geboorteplaats", [Optional(), Length(max=120)])
    nationality = StringField("Nationaliteit", [Optional(), Length(max=80)])
    bsn = StringField("BSN (optioneel)", [Optional(), Bsn()], render_kw={"autocomplete": "off", "inputmode": "numeric", "data-no-autosave": True},
                      description="9 cijfers. Wordt versleuteld opgeslagen en alleen gemaskeerd getoond.")
    # Organisation
    name = StringField("Statutaire naam", [Optional(), *NAME])
    trade_names = StringField("Handelsnamen (optioneel)", [Optional(), Length(max=400)],
                              description="Zoals in het KvK-uittreksel, gescheiden door een puntkomma. "
                                          "De screening zoekt ook op deze namen.")
    legal_form = SelectField("Rechtsvorm", choices=options(LEGAL_FORM_CHOICES), validators=[Optional()])
    kvk_number = StringField("KvK-nummer", [Optional(), KvkNumber()], render_kw={"inputmode": "numeric"})
    vestigingsnummer = StringField("Vestigingsnummer", [Optional(), Vestigingsnummer()], render_kw={"inputmode": "numeric"})
    rsin = StringField("RSIN", [Optional(), Rsin()], render_kw={"inputmode": "numeric"})
    # Both
    address = FormField(AddressSubForm, label="Adres")
    since = DateField("Sinds", [Optional(), NotBefore(1900)])
    percentage = DecimalField("Percentage aandelen", [Optional(), NumberRange(0, 100, "Een percentage ligt tussen 0 en 100.")], places=2)
    amount_eur = DecimalField("Bedrag (€)", [Optional(), NumberRange(0, 10**12, "Vul een bedrag van 0 of meer in.")], places=2)
    notes = TextAreaField("Toelichting", [Optional(), Length(max=4000)],
                          description="Bij een zakelijk samenwerkingsverband: waarom deze partij feitelijk invloed heeft (Wet Bibob).")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == "persoon":
            for field, message in ((self.given_names, "Vul de voornamen in."), (self.surname, "Vul de achternaam in."),
                                   (self.birth_date, "Vul de geboortedatum in.")):
                if not field.data and not field.errors:
                    field.errors = [*field.errors, message]
                    ok = False
        elif self.kind.data == "organisatie":
            for field, message in ((self.name, "Vul de statutaire naam in."), (self.legal_form, "Kies de rechtsvorm.")):
                if not field.data and not field.errors:
                    field.errors = [*field.errors, message]
                    ok = False
            if self.legal_form.data not in ("buitenlands", "") and not self.kvk_number.data and not self.kvk_number.errors:
                self.kvk_number.errors = [*self.kvk_number.errors, "Vul het KvK-nummer in (of kies een buitenlandse rechtsvorm)."]
                ok = False
        if self.role.data == "zakelijke_relatie" and not self.notes.data and not self.notes.errors:
            self.notes.errors = [*self.notes.errors, "Motiveer bij een zakelijk samenwerkingsverband de feitelijke invloed (Wet Bibob)."]
            ok = False
        if not self.address.form.is_empty():
            ok = _require_address(self.address.form, "het adres") and ok
        return ok


class LocationForm(BaseForm):
    address = FormField(AddressSubForm, label="Adres van de locatie")
    bag_id = StringField("BAG-id (nummeraanduiding, optioneel)", [Optional(), Length(min=16, max=16, message="Een BAG-id bestaat uit 16 cijfers.")])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _require_address(self.address.form, "de locatie") and ok


class SexBusinessDetailsForm(BaseForm):
    """Seksinrichting particulars (domain.md §3.2, SEK-A05..A07)."""

    opening_hours = TextAreaField("Openingstijden", [DataRequired("Vul de openingstijden in."), Length(max=1000)],
                                  description="Per dag, bijvoorbeeld: ma–vr 12:00–02:00, za 14:00–04:00.")
    workrooms = IntegerField("Aantal werkkamers", [InputRequired("Vul het aantal werkkamers in."), NumberRange(0, 500, "Vul een aantal tussen 0 en 500 in.")])
    max_sex_workers = IntegerField("Maximaal aantal sekswerkers tegelijk", [Optional(), NumberRange(0, 1000, "Vul een aantal tussen 0 en 1000 in.")])
    intake_procedure = BooleanField("Het bedrijfsplan beschrijft een intakegesprek om mensenhandel te voorkomen (SEK-A07)")
    alarm_buttons = BooleanField("Alle werkkamers hebben een alarmvoorziening")
    business_plan_summary = TextAreaField("Samenvatting bedrijfsplan", [Optional(), Length(max=8000)])


class EscortDetailsForm(BaseForm):
    """Escortbedrijf particulars: no workrooms; telephone numbers and websites (SEK-A04)."""

    opening_hours = TextAreaField("Bereikbaarheid / werktijden", [DataRequired("Vul de werktijden in."), Length(max=1000)])
    phone_numbers = TextAreaField("Telefoonnummers", [DataRequired("Vul minstens één telefoonnummer in."), Length(max=1000)],
                                  description="Eén per regel.")
    websites = TextAreaField("Websites en advertentieplatforms", [Optional(), Length(max=2000)], description="Eén per regel.")
    max_sex_workers = IntegerField("Aantal sekswerkers", [Optional(), NumberRange(0, 1000, "Vul een aantal tussen 0 en 1000 in.")])
    intake_procedure = BooleanField("Het bedrijfsplan beschrijft een intakegesprek om mensenhandel te voorkomen (SEK-A07)")
    business_plan_summary = TextAreaField("Samenvatting bedrijfsplan", [Optional(), Length(max=8000)])

    def validate_websites(self, field):
        for line in (field.data or "").splitlines():
            line = line.strip()
            if line and not (line.startswith(("http://", "https://")) or "." in line):
                raise ValidationError(f"'{line[:60]}' lijkt geen webadres.")


class RoomForm(Form):
    area_m2 = DecimalField("m²", [Optional(), NumberRange(0.5, 500, "Een slaapkamer is tussen 0,5 en 500 m².")], places=1)
    beds = IntegerField("Bedden", [Optional(), NumberRange(0, 50, "Vul 0 tot 50 bedden in.")])


class HousingDetailsForm(BaseForm):
    """Verhuurvergunning arbeidsmigranten particulars (domain.md §2.4 WGV-A01..A11, §2.7 SNF)."""

    persons = IntegerField("Aantal arbeidsmigranten waarvoor vergunning wordt gevraagd",
                           [InputRequired("Vul het aantal personen in."), NumberRange(1, 2000, "Vul een aantal tussen 1 en 2000 in.")])
    accommodation_type = SelectField("Verblijfsvorm (SNF-1.2)", choices=options(ACCOMMODATION_CHOICES), validators=[DataRequired("Kies de verblijfsvorm.")])
    floor_area_m2 = DecimalField("Gebruiksoppervlakte wonen (GBO) in m²", [InputRequired("Vul de gebruiksoppervlakte in."), NumberRange(1, 100000, "Vul een oppervlakte groter dan 0 in.")], places=1)
    rooms = FieldList(FormField(RoomForm), min_entries=8, max_entries=60, label="Slaapkamers")
    toilets = IntegerField("Aantal toiletten", [InputRequired("Vul het aantal toiletten in."), NumberRange(0, 500, "Vul 0 tot 500 in.")])
    showers = IntegerField("Aantal douches", [InputRequired("Vul het aantal douches in."), NumberRange(0, 500, "Vul 0 tot 500 in.")])
    kitchens = IntegerField("Aantal kookgelegenheden", [Optional(), NumberRange(0, 500, "Vul 0 tot 500 in.")])
    rent_per_person = DecimalField("Huur per persoon per week (€)", [Optional(), NumberRange(0, 10000, "Vul een bedrag van 0 tot 10.000 in.")], places=2)
    service_costs = DecimalField("Servicekosten per persoon per week (€)", [Optional(), NumberRange(0, 10000, "Vul een bedrag van 0 tot 10.000 in.")], places=2)
    landlord_is_employer = RadioField("Is de verhuurder ook de werkgever of het uitzendbureau? (WGV-A08)",
                                      choices=options([("ja", "Ja"), ("nee", "Nee")]), validators=[InputRequired("Geef aan of verhuurder en werkgever dezelfde zijn.")])
    contact_name = StringField("Contactpersoon beheer (24/7)", [DataRequired("Vul de contactpersoon in (WGV-A07)."), Length(max=120)])
    contact_phone = TelField("Telefoon contactpersoon", [DataRequired("Vul het telefoonnummer van de contactpersoon in."), Length(max=40)])
    snf_certified = BooleanField("De locatie heeft een SNF-certificaat of gelijkwaardig (WGV-A09)")

    def validate_contact_phone(self, field):
        digits = [c for c in field.data or "" if c.isdigit()]
        if len(digits) < 9:
            raise ValidationError("Vul een telefoonnummer van minstens 9 cijfers in.")


class DocumentUploadForm(BaseForm):
    kind = SelectField("Soort document", choices=options(DOCUMENT_KIND_CHOICES), validators=[DataRequired("Kies het soort document.")])
    file = FileField("Bestand (PDF, JPEG of PNG)", description="Maximaal 20 MB.")

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Kies een bestand om te uploaden.")


class TransitionForm(BaseForm):
    to_status = HiddenField(validators=[DataRequired()])
    note = TextAreaField("Toelichting", [Optional(), Length(max=4000)])
    version = HiddenField()


class DecisionForm(BaseForm):
    outcome = RadioField("Besluit", choices=options([
        ("verleend", "Verlenen"), ("verleend_met_voorschriften", "Verlenen met voorschriften"),
        ("geweigerd", "Weigeren"), ("buiten_behandeling", "Buiten behandeling laten (Awb 4:5)"),
    ]), validators=[InputRequired("Kies het besluit.")])
    decided_on = DateField("Datum besluit", [InputRequired("Vul de datum van het besluit in."), NotInFuture("Een besluit kan niet in de toekomst liggen."), NotBefore(2000)])
    grounds = TextAreaField("Motivering (gronden van het besluit)", [DataRequired("Een besluit moet worden gemotiveerd (Awb 3:46)."), Length(max=20000)])
    valid_from = DateField("Geldig vanaf", [Optional(), NotBefore(2000)])
    valid_until = DateField("Geldig tot en met", [Optional(), NotBefore(2000)])
    conditions = TextAreaField("Voorschriften", [Optional(), Length(max=20000)],
                               description="Eén voorschrift per regel (Wet Bibob art. 3 lid 7; APV; Wgv).")
    max_persons = IntegerField("Maximaal aantal personen (verhuurvergunning)", [Optional(), NumberRange(1, 2000, "Vul 1 tot 2000 in.")])
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.outcome.data in ("verleend", "verleend_met_voorschriften"):
            if not self.valid_from.data and not self.valid_from.errors:
                self.valid_from.errors = [*self.valid_from.errors, "Vul in vanaf wanneer de vergunning geldt."]
                ok = False
            if self.valid_from.data and self.valid_until.data and self.valid_until.data < self.valid_from.data:
                self.valid_until.errors = [*self.valid_until.errors, "De einddatum ligt vóór de begindatum."]
                ok = False
        if self.outcome.data == "verleend_met_voorschriften" and not (self.conditions.data or "").strip():
            self.conditions.errors = [*self.conditions.errors, "Vul de voorschriften in."]
            ok = False
        return ok


class ClockEventForm(BaseForm):
    """A suspension or extension of the beslistermijn (domain.md §10)."""

    kind = SelectField("Soort", choices=options([
        ("aanvulling", "Aanvulling gevraagd (Awb 4:15 lid 1 sub a)"),
        ("lbb_advies", "Bibob-advies gevraagd aan het LBB"),
        ("lbb_vragen", "Vragen van het LBB aan de betrokkene"),
        ("instemming", "Opschorting met instemming van de aanvrager"),
        ("vertraging_aanvrager", "Vertraging toe te rekenen aan de aanvrager"),
        ("overmacht", "Overmacht"),
        ("verdaging", "Verdaging van de beslistermijn"),
        ("ingebrekestelling", "Ingebrekestelling ontvangen"),
    ]), validators=[DataRequired("Kies de soort gebeurtenis.")])
    start_on = DateField("Datum verzoek / kennisgeving / begin", [InputRequired("Vul de datum in."), NotBefore(2000)])
    end_on = DateField("Datum ontvangen / beantwoord / einde", [Optional(), NotBefore(2000)],
                       description="Leeg zolang het nog loopt.")
    weeks = IntegerField("Weken", [Optional(), NumberRange(0, 52, "Vul 0 tot 52 weken in.")],
                         description="Hersteltermijn (aanvulling), verlenging door het LBB (0–4) of verdaging.")
    notice_logged = BooleanField("De aanvrager is hierover schriftelijk geïnformeerd", default=True)
    note = TextAreaField("Toelichting", [Optional(), Length(max=4000)])

    def validate_end_on(self, field):
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError("De einddatum ligt vóór de begindatum.")


class ApplicationFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Zoeken", [Optional(), Length(max=200)], description="Kenmerk, naam, KvK-nummer of adres.")
    gemeente = SelectField("Gemeente", coerce=str, validators=[Optional()])
    permit_type = SelectField("Soort", choices=options([("", "Alle soorten"), *PERMIT_TYPE_CHOICES]), validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
    deadline = SelectField("Termijn", choices=options([("", "Alle"), ("verlopen", "Termijn verlopen"), ("14", "Binnen 14 dagen"),
                                               ("28", "Binnen 28 dagen")]), validators=[Optional()])
    sort = SelectField("Sorteren op", choices=options([("deadline", "Termijn (eerst)"), ("-received", "Ontvangen (nieuwste)"),
                                               ("received", "Ontvangen (oudste)"), ("reference", "Kenmerk")]),
                       validators=[Optional()], default="deadline")


__all__ = [
    "ApplicationFilterForm", "ClockEventForm", "DecisionForm", "DocumentUploadForm", "EscortDetailsForm",
    "HousingDetailsForm", "LocationForm", "PartyForm", "SexBusinessDetailsForm", "TransitionForm", "TypeForm",
]
