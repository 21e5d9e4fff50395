"""Forms of the risk register: an entry, the list filters, the import wizard, hit reviews, proposals.

Input shape only (STYLE.md H7): formats through ``forms.validators``; whether an entry is usable
(a person needs a surname, 'alleen eigen gemeente' needs a gemeente) is the service's rule
(``barrier.register.services.entity_problems``), shared with the import.
"""

from __future__ import annotations

from wtforms import DateField, FileField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forms.base import BaseForm, options
from forms.validators import (
    Bsn,
    HouseNumber,
    HouseNumberSuffix,
    InvalidValue,
    KvkNumber,
    NotBefore,
    NotInFuture,
    clean_postcode,
)

KIND_CHOICES = [("persoon", "Persoon"), ("organisatie", "Organisatie"), ("adres", "Adres")]
SOURCE_CHOICES = [
    ("bibob_besluit", "Eigen Bibob-besluit"),
    ("vergunning_geweigerd", "Geweigerde of ingetrokken vergunning (regio)"),
    ("riec_signaal", "RIEC-signaal"),
    ("faillissement", "Faillissement"),
    ("sanctielijst", "Sanctielijst"),
    ("inspectie", "Bevinding bij inspectie"),
]
CONFIDENTIALITY_CHOICES = [
    ("regionaal", "Regionaal: alle registergebruikers van de regio"),
    ("bibob_coordinatoren", "Alleen Bibob-coördinatoren (alle gemeenten)"),
    ("eigen_gemeente", "Alleen eigen gemeente (Bibob-coördinatoren van de registrerende gemeente)"),
]
DECISION_CHOICES = [
    ("bevestigd", "Bevestigen: dit is dezelfde persoon, organisatie of hetzelfde adres"),
    ("afgewezen", "Afwijzen: dit is een ander (reden verplicht)"),
    ("onzeker", "Onzeker: nader onderzoek nodig"),
]


class EntityForm(BaseForm):
    kind = RadioField("Soort registratie", choices=options(KIND_CHOICES), default="persoon",
                      validators=[DataRequired("Kies persoon, organisatie of adres.")])
    # Person
    given_names = StringField("Voornamen", [Optional(), Length(max=200)])
    surname_prefix = StringField("Tussenvoegsel", [Optional(), Length(max=30)])
    surname = StringField("Achternaam", [Optional(), Length(max=200)])
    birth_date = DateField("Geboortedatum", [Optional(), NotInFuture(), NotBefore(1900)])
    nationality = StringField("Nationaliteit", [Optional(), Length(max=80)])
    bsn = StringField("BSN", [Optional(), Bsn()], description="Wordt niet leesbaar opgeslagen; alleen om op te zoeken.")
    # Organisation
    name = StringField("Naam organisatie", [Optional(), Length(max=200)],
                       description="De statutaire naam, zoals in het KvK-uittreksel.")
    trade_names = StringField("Handelsnamen (optioneel)", [Optional(), Length(max=400)],
                              description="Zoals in het KvK-uittreksel, gescheiden door een puntkomma, "
                                          "bijvoorbeeld 'Club Venus; Venus Escort'. De screening zoekt op elke naam.")
    legal_form = StringField("Rechtsvorm", [Optional(), Length(max=60)])
    kvk_number = StringField("KvK-nummer", [Optional(), KvkNumber()])
    # Address
    street = StringField("Straat", [Optional(), Length(max=200)])
    house_number = StringField("Huisnummer", [Optional(), HouseNumber()])
    house_number_suffix = StringField("Toevoeging", [Optional(), HouseNumberSuffix()])
    postcode = StringField("Postcode", [Optional(), Length(max=10)])
    city = StringField("Plaats", [Optional(), Length(max=120)])
    country = StringField("Land (code)", [Optional(), Length(min=2, max=2, message="Een landcode heeft twee letters.")],
                          default="NL")
    # Why it is in the register
    source = SelectField("Bron", choices=options(SOURCE_CHOICES), validators=[DataRequired("Kies de bron.")])
    reason = TextAreaField("Reden van opname", [DataRequired("Vul de reden van opname in."), Length(max=4000)])
    gemeente = SelectField("Registrerende gemeente", validators=[Optional()])
    recorded_on = DateField("Geregistreerd op", [DataRequired("Vul de registratiedatum in."), NotInFuture()])
    valid_until = DateField("Geldig tot", [Optional()], description="Leeg: geldig tot het wordt verwijderd.")
    confidentiality = RadioField("Wie ziet de details", choices=options(CONFIDENTIALITY_CHOICES),
                                 default="bibob_coordinatoren", validators=[DataRequired("Kies wie de details ziet.")])
    external_id = StringField("Extern id", [Optional(), Length(max=100)],
                              description="Het id in de bron, zodat een latere import deze registratie bijwerkt.")
    version = HiddenField()

    def validate_postcode(self, field):
        if field.data and (self.country.data or "NL").upper() == "NL":
            try:
                field.data = clean_postcode(field.data)
            except InvalidValue as error:
                raise ValidationError(str(error)) from error


class EntityFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Zoeken", [Optional(), Length(max=200)], description="Naam, KvK-nummer, postcode of extern id.")
    kind = SelectField("Soort", choices=options([("", "Alle soorten"), *KIND_CHOICES]), validators=[Optional()])
    source = SelectField("Bron", choices=options([("", "Alle bronnen"), *SOURCE_CHOICES]), validators=[Optional()])
    gemeente = SelectField("Gemeente", validators=[Optional()])
    status = SelectField("Status", choices=options([("actief", "Geldig"), ("verlopen", "Verlopen"),
                                                    ("verwijderd", "Verwijderd"), ("alle", "Alle")]),
                         validators=[Optional()], default="actief")


class DeleteEntityForm(BaseForm):
    reason = TextAreaField("Waarom verwijderen?", [DataRequired("Geef aan waarom de registratie wordt verwijderd."),
                                                   Length(max=1000)])


class ImportUploadForm(BaseForm):
    file = FileField("Bestand (CSV of Excel .xlsx)",
                     description="Eerste regel: kolomnamen. CSV in UTF-8 of Windows-1252, gescheiden door ; of ,.")

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Kies een bestand om te uploaden.")


class ImportDefaultsForm(BaseForm):
    """The mapping step's fixed part; the column selects are added per file (``mapping_form``)."""

    default_source = SelectField("Bron voor regels zonder bron", choices=options([("", "— geen —"), *SOURCE_CHOICES]),
                                 validators=[Optional()])
    default_confidentiality = SelectField("Vertrouwelijkheid voor regels zonder niveau",
                                          choices=options(CONFIDENTIALITY_CHOICES), default="bibob_coordinatoren")
    default_gemeente = SelectField("Gemeente voor regels zonder gemeente", validators=[Optional()])
    default_reason = StringField("Reden voor regels zonder reden", [Optional(), Length(max=1000)])


def mapping_form(fields: list[tuple[str, str]], columns: list[str], formdata=None, data: dict | None = None):
    """An ImportDefaultsForm with one select per target field (choices: the file's columns)."""

    class MappingForm(ImportDefaultsForm):
        pass

    choices = options([("", "— niet gebruiken —")] + [(c, c) for c in columns if c])
    for key, label in fields:
        setattr(MappingForm, f"map_{key}", SelectField(label, choices=choices, validators=[Optional()]))
    return MappingForm(formdata=formdata, data=data)


class ReviewForm(BaseForm):
    decision = RadioField("Beoordeling", choices=options(DECISION_CHOICES),
                          validators=[DataRequired("Kies bevestigen, afwijzen of onzeker.")])
    reason = TextAreaField("Toelichting", [Optional(), Length(max=2000)],
                           description="Verplicht bij afwijzen; wordt bewaard en bij een volgende screening getoond.")


class HitFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField("Beoordeling", choices=options([("open", "Te beoordelen"), ("bevestigd", "Bevestigd"),
                                                         ("onzeker", "Onzeker"), ("afgewezen", "Afgewezen"),
                                                         ("alle", "Alle")]),
                         validators=[Optional()], default="open")


class ProposalConfirmForm(BaseForm):
    confidentiality = RadioField("Wie ziet de details", choices=options(CONFIDENTIALITY_CHOICES),
                                 default="bibob_coordinatoren", validators=[DataRequired("Kies wie de details ziet.")])
    valid_until = DateField("Geldig tot", [Optional()])
    reason = TextAreaField("Reden van opname", [Optional(), Length(max=4000)])


class ProposalRejectForm(BaseForm):
    note = TextAreaField("Waarom niet opnemen?", [DataRequired("Geef aan waarom het voorstel niet wordt opgenomen."),
                                                  Length(max=2000)])


__all__ = [
    "DeleteEntityForm", "EntityFilterForm", "EntityForm", "HitFilterForm", "ImportDefaultsForm", "ImportUploadForm",
    "ProposalConfirmForm", "ProposalRejectForm", "ReviewForm", "mapping_form",
]
