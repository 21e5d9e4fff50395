"""Forms of the inspections area: locations, priority, planning, the on-site checklist, photos, enforcement.

The on-site form is built from the checklist data (``screening.inspections``): one field per item,
so a new checklist version needs no code. Choices that come from the database (inspectors,
locations, gemeenten) are filled in by the view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FileField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from forms.base import BaseForm, options
from forms.validators import HouseNumber, HouseNumberSuffix, NotBefore, NotInFuture, Postcode
from screening.inspections import AnswerType, InspectionChecklist
from screening.signals import Catalogue

KIND_CHOICES = [
    ("huisvesting_am", "Huisvesting arbeidsmigranten (vermoedelijk, zonder vergunning)"),
    ("seksbedrijf", "Seksbedrijf / prostitutie (vermoedelijk, zonder vergunning)"),
    ("escortbedrijf", "Escort (vermoedelijk, zonder vergunning)"),
    ("overig", "Overig"),
]
OUTCOME_CHOICES = [
    ("geen_bevindingen", "Geen bevindingen"),
    ("overtredingen", "Overtredingen"),
    ("signalen_mensenhandel", "Signalen mensenhandel"),
]
YES_NO = [("JA", "Ja"), ("NEE", "Nee")]
YES_NO_NA = [("JA", "Ja"), ("NEE", "Nee"), ("NVT", "N.v.t.")]
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multi-select: large targets on a phone, readable without JS."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# --- locations ----------------------------------------------------------------------------------------------


class LocationForm(BaseForm):
    """A location without a permit, added on a suspicion."""

    gemeente = SelectField("Gemeente", [DataRequired("Kies de gemeente van de locatie.")], choices=[])
    name = StringField("Naam of omschrijving van de locatie", [DataRequired("Geef de locatie een naam."), Length(max=200)],
                       description="Bijvoorbeeld ‘Vakantiepark De Bosrand, chalet 14’ of ‘Woning Kloosterstraat’.")
    kind = SelectField("Soort locatie (vermoeden)", [DataRequired()], choices=options(KIND_CHOICES))
    street = StringField("Straat", [DataRequired("Vul de straat in."), Length(max=200)])
    house_number = StringField("Huisnummer", [DataRequired("Vul het huisnummer in."), HouseNumber()])
    house_number_suffix = StringField("Toevoeging", [Optional(), HouseNumberSuffix()])
    postcode = StringField("Postcode", [DataRequired("Vul de postcode in."), Postcode()])
    city = StringField("Plaats", [DataRequired("Vul de plaats in."), Length(max=120)])
    latitude = DecimalField("Breedtegraad (optioneel)", [Optional(), NumberRange(min=50, max=54)], places=6,
                            description="Voor het clusteren van bezoeken op één dag; leeg laten mag.")
    longitude = DecimalField("Lengtegraad (optioneel)", [Optional(), NumberRange(min=3, max=8)], places=6)
    description = TextAreaField("Waarom deze locatie? (het vermoeden)",
                                [DataRequired("Beschrijf het vermoeden."), Length(max=4000)])

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError("Vul breedte- én lengtegraad in, of laat beide leeg.")


class OverrideForm(BaseForm):
    """Raise or lower a location's risk score by hand (the reason is kept)."""

    direction = RadioField("Aanpassing", [InputRequired("Kies verhogen, verlagen of verwijderen.")],
                           choices=options([("verhogen", "Prioriteit verhogen"), ("verlagen", "Prioriteit verlagen"),
                                            ("verwijderen", "Handmatige aanpassing verwijderen")]))
    points = IntegerField("Aantal punten (1 tot en met 50)", [Optional(), NumberRange(min=1, max=50)])
    reason = TextAreaField("Reden", [DataRequired("Geef een reden: een aanpassing wordt altijd gemotiveerd."),
                                     Length(max=2000)])

    def validate_points(self, field):
        if self.direction.data in ("verhogen", "verlagen") and not field.data:
            raise ValidationError("Vul het aantal punten in.")

    @property
    def signed_points(self) -> int | None:
        if self.direction.data == "verwijderen":
            return None
        points = self.points.data or 0
        return points if self.direction.data == "verhogen" else -points


# --- planning -------------------------------------------------------------------------------------------------


class PlanForm(BaseForm):
    """Period and capacity; one capacity field per toezichthouder is added by :func:`plan_form`."""

    start = DateField("Eerste dag van de periode", [InputRequired("Vul de eerste dag in."), NotBefore(2000)])
    end = DateField("Laatste dag van de periode", [InputRequired("Vul de laatste dag in."), NotBefore(2000)],
                    description="De planner plant in hele weken vanaf de eerste dag.")

    capacity_fields: tuple[tuple[int, str, str], ...] = ()

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("De periode eindigt vóór de begindatum: kies een laatste dag op of na de eerste dag.")

    def capacities(self) -> list[tuple[int, int]]:
        return [(user_id, getattr(self, name).data or 0) for user_id, name, _label in self.capacity_fields]


def plan_form(inspectors: Iterable[tuple[int, str]], *, default_capacity: int, **kwargs) -> PlanForm:
    """A PlanForm with a 'controles per week' field for each (user id, name)."""
    fields = []
    attrs = {}
    for user_id, name in inspectors:
        field_name = f"capacity_{user_id}"
        attrs[field_name] = IntegerField(f"{name}: controles per week", [Optional(), NumberRange(min=0, max=40)],
                                         default=default_capacity,
                                         description="0 = niet beschikbaar (verlof, ziek).")
        fields.append((user_id, field_name, name))
    attrs["capacity_fields"] = tuple(fields)
    form_class = type("PlanFormWithInspectors", (PlanForm,), attrs)
    return form_class(**kwargs)


class VisitForm(BaseForm):
    """Move a visit, or add one (then ``location`` is shown)."""

    location = SelectField("Locatie", [Optional()], choices=[], validate_choice=False)
    planned_on = DateField("Datum", [InputRequired("Kies een datum.")])
    inspector = SelectField("Toezichthouder", [DataRequired("Kies een toezichthouder.")], choices=[])
    partner = SelectField("Tweede toezichthouder", [Optional()], choices=[],
                          description="Seksbedrijven altijd met twee personen controleren.")


# --- the inspection on site -----------------------------------------------------------------------------------


def field_name(item_id: str) -> str:
    """Form field name for a checklist item id (INS-WGV-01 -> q_INS_WGV_01)."""
    return "q_" + re.sub(r"[^A-Za-z0-9]", "_", item_id)


class InspectionForm(BaseForm):
    """Common fields; the checklist items are added by :func:`inspection_form`."""

    submission_token = HiddenField(validators=[Regexp(UUID_RE, message="Het formulier mist zijn kenmerk; laad de pagina opnieuw.")])
    checklist_code = HiddenField()
    inspected_on = DateField("Datum van de controle", [InputRequired("Vul de datum van de controle in."), NotInFuture(),
                                                        NotBefore(2000)])
    partner_name = StringField("Tweede toezichthouder (naam)", [Optional(), Length(max=120)])
    persons_present = IntegerField("Aantal aanwezige personen", [Optional(), NumberRange(min=0, max=2000)])
    identities_checked = IntegerField("Waarvan identiteit gecontroleerd", [Optional(), NumberRange(min=0, max=2000)],
                                      description="Leg alleen vast dát het is gecontroleerd; geen kopieën van "
                                                  "identiteitsbewijzen (AVG art. 9).")
    notes = TextAreaField("Aantekeningen", [Optional(), Length(max=10000)])
    outcome = RadioField("Uitkomst van de controle", [Optional()], choices=options(OUTCOME_CHOICES))

    item_fields: tuple[tuple[str, str], ...] = ()

    def validate_identities_checked(self, field):
        if field.data is not None and self.persons_present.data is not None and field.data > self.persons_present.data:
            raise ValidationError("Er zijn meer identiteiten gecontroleerd dan personen aanwezig.")

    def answers(self) -> dict:
        """Item id -> answer in the shape screening.inspections.assess() takes."""
        out: dict = {}
        for item_id, name in self.item_fields:
            value = getattr(self, name).data
            if value is None or value == "" or value == []:
                continue
            if hasattr(value, "is_finite"):  # Decimal from a DecimalField
                value = float(value)
            out[item_id] = value
        return out

    def fill(self, answers: dict) -> None:
        for item_id, name in self.item_fields:
            if item_id in answers:
                getattr(self, name).data = answers[item_id]


def _signal_choices(ids: Iterable[str], catalogue: Catalogue) -> list:
    return options([(s, f"{catalogue.signal(s).text} ({s})") for s in ids])


def inspection_form(checklist: InspectionChecklist, catalogue: Catalogue, **kwargs) -> InspectionForm:
    """The on-site form for *checklist*: one optional field per item (the form saves as it goes)."""
    attrs: dict = {}
    fields = []
    for item in checklist.items:
        name = field_name(item.id)
        label = item.question
        help_text = item.note or ""
        match item.answer_type:
            case AnswerType.JA_NEE:
                field = RadioField(label, [Optional()], choices=options(YES_NO), description=help_text)
            case AnswerType.JA_NEE_NVT:
                field = RadioField(label, [Optional()], choices=options(YES_NO_NA), description=help_text)
            case AnswerType.AANTAL:
                field = IntegerField(label, [Optional(), NumberRange(min=0, max=10000)], description=help_text)
            case AnswerType.GETAL:
                field = DecimalField(label, [Optional(), NumberRange(min=0, max=100000)], places=1,
                                     description=help_text)
            case AnswerType.SIGNALEN:
                field = MultiCheckboxField(label, [Optional()], choices=_signal_choices(item.signals, catalogue),
                                           description=help_text)
            case _:
                field = TextAreaField(label, [Optional(), Length(max=4000)], description=help_text)
        attrs[name] = field
        fields.append((item.id, name))
    attrs["item_fields"] = tuple(fields)
    form_class = type(f"InspectionForm_{checklist.code.replace('-', '_')}", (InspectionForm,), attrs)
    return form_class(**kwargs)


class PhotoForm(BaseForm):
    photo = FileField("Foto (JPEG of PNG)", [DataRequired("Kies een foto.")],
                      description="Geen herkenbare gezichten van sekswerkers, tenzij echt nodig (domain.md §3.8).")
    caption = StringField("Omschrijving", [Optional(), Length(max=300)])
    shows_faces = BooleanField("Op deze foto staan herkenbare gezichten")
    faces_reason = TextAreaField("Waarom zijn de gezichten nodig?", [Optional(), Length(max=1000)])

    def validate_faces_reason(self, field):
        if self.shows_faces.data and not (field.data or "").strip():
            raise ValidationError("Geef aan waarom herkenbare gezichten op de foto nodig zijn.")


# --- enforcement ------------------------------------------------------------------------------------------------


class MeasureForm(BaseForm):
    """One enforcement measure; only the fields of the chosen measure are used (check_measure)."""

    violation = SelectField("Overtreding", [DataRequired("Kies de overtreding.")], choices=[])
    measure_code = SelectField("Maatregel", [DataRequired("Kies een maatregel.")], choices=[])
    issued_on = DateField("Datum van de maatregel", [InputRequired("Vul de datum in."), NotInFuture(), NotBefore(2000)])
    term_days = IntegerField("Termijn in dagen (herstel- of begunstigingstermijn)", [Optional(), NumberRange(min=0, max=3650)])
    amount_eur = DecimalField("Bedrag in euro (dwangsom of boete)", [Optional(), NumberRange(min=0)], places=2)
    per = SelectField("Dwangsom verbeurd per", [Optional()],
                      choices=options([("", "—"), ("OVERTREDING", "Per overtreding"), ("DAG", "Per dag"),
                                       ("WEEK", "Per week")]))
    maximum_eur = DecimalField("Maximaal te verbeuren bedrag in euro", [Optional(), NumberRange(min=0)], places=2)
    duration_weeks = IntegerField("Duur van de schorsing in weken", [Optional(), NumberRange(min=0, max=52)])
    grounds = TextAreaField("Intrekkingsgrond", [Optional(), Length(max=2000)])
    offence_on = DateField("Datum van de overtreding (boete)", [Optional(), NotInFuture()])
    previous_fine_on = DateField("Datum van een eerdere boete (recidive)", [Optional(), NotInFuture()])
    recover_costs = BooleanField("Kosten verhalen op de overtreder (bestuursdwang)")

    def values(self) -> dict:
        """The form's data under the parameter names of screening/inspections/data/handhaving.yaml."""
        def number(value):
            return float(value) if value is not None else None

        term = self.term_days.data
        return {
            "hersteltermijn_dagen": term,
            "begunstigingstermijn_dagen": term,
            "bedrag_eur": number(self.amount_eur.data),
            "per": self.per.data or None,
            "maximum_eur": number(self.maximum_eur.data),
            "duur_weken": self.duration_weeks.data,
            "grond": (self.grounds.data or "").strip() or None,
            "overtreding_op": self.offence_on.data,
            "vorige_boete_op": self.previous_fine_on.data,
            "kostenverhaal": True if self.recover_costs.data else None,
        }


class CloseMeasureForm(BaseForm):
    status = RadioField("Afloop", [InputRequired("Kies hoe de maatregel is afgelopen.")],
                        choices=options([("nageleefd", "Nageleefd / hersteld"), ("niet_nageleefd", "Niet nageleefd"),
                                         ("ingetrokken", "Ingetrokken")]))
    note = TextAreaField("Toelichting", [Optional(), Length(max=2000)])
