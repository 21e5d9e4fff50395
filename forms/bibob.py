"""Forms of the Bibob dossier: questionnaire, checklist, own investigation, LBB advice, judgement,
voornemen and zienswijze, report disclosure and retention.

The questionnaire and checklist forms are built from data (the question list, the pinned checklist
version); the legal rules that span fields (a deviation needs a reason, refusing needs ernstig
gevaar) live in ``barrier.bibob.services`` and come back as errors next to the field.
"""

from __future__ import annotations

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
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.base import BaseForm, options
from forms.validators import NotBefore, NotInFuture
from screening.checklists import Advice, AnswerType, Checklist, DangerLevel

LONG_TEXT = 20000
LEVEL_CHOICES = [(level.value, level.label) for level in DangerLevel]
ADVICE_CHOICES = [(advice.value, advice.label) for advice in Advice]
DISCLOSURE_CHOICES = [
    ("", "— kies de wettelijke grondslag —"),
    ("DISC-INTERN", "DISC-INTERN: ambtenaren en adviseurs onder verantwoordelijkheid van het bestuursorgaan"),
    ("DISC-BETROKKENE", "DISC-BETROKKENE: betrokkene, in de beschikking ter motivering"),
    ("DISC-DERDE", "DISC-DERDE: derde die in de motivering voorkomt (alleen gegevens over hem)"),
    ("DISC-DRIEHOEK", "DISC-DRIEHOEK: driehoeksoverleg (burgemeester, OM, politie)"),
    ("DISC-RIEC", "DISC-RIEC: RIEC, ter ondersteuning bij de Wet Bibob"),
    ("DISC-BEZWAAR", "DISC-BEZWAAR: bezwaarschriftencommissie"),
    ("DISC-RECHTER", "DISC-RECHTER: rechter"),
]
SOURCE_CHOICES = [
    ("open_bronnen", "Open bronnen (internet, media)"), ("kvk", "Kamer van Koophandel (Handelsregister, UBO-register)"),
    ("kadaster", "Kadaster"), ("brp", "Basisregistratie Personen (BRP)"),
    ("justis", "Justis / justitiële documentatie"), ("politie", "Politie"), ("belastingdienst", "Belastingdienst"),
    ("riec", "RIEC"), ("eigen_dossiers", "Eigen dossiers van de gemeente"), ("overig", "Overige bron"),
]


def field_key(item_id: str) -> str:
    """A form field name for a question or checklist id ('BIB-CL-SEK-E03' -> 'BIB_CL_SEK_E03')."""
    return item_id.replace("-", "_")


def _date(label: str, *, required: bool = False, past: bool = True, description: str | None = None) -> DateField:
    validators = [InputRequired("Vul de datum in.")] if required else [Optional()]
    validators.append(NotBefore(2000))
    if past:
        validators.append(NotInFuture())
    return DateField(label, validators, description=description)


# --- dossier ------------------------------------------------------------------------------------

class OpenDossierForm(BaseForm):
    """Opening a dossier: one button (the checklist version and betrokkenen follow from the application)."""


class CoordinatorForm(BaseForm):
    coordinator_id = SelectField("Bibob-coördinator", coerce=int, validators=[DataRequired("Kies een coördinator.")])


class DossierFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Zoeken", [Optional(), Length(max=100)], description="Kenmerk, aanvrager of handelsnaam.")
    stage = SelectField("Fase", validators=[Optional()])
    mine = BooleanField("Alleen mijn dossiers")


# --- questionnaire ---------------------------------------------------------------------------------

def questionnaire_form(questions: Iterable[tuple[str, str, bool]]) -> type[BaseForm]:
    """A form with, per question (id, text, needs a document), an answer, 'n.v.t.' and a file field."""

    class QuestionnaireForm(BaseForm):
        sent_on = _date("Vragenformulier uitgezet op")
        received_on = _date("Ingevuld formulier ontvangen op")
        version = HiddenField()

    for question_id, text, needs_document in questions:
        key = field_key(question_id)
        setattr(QuestionnaireForm, f"a_{key}", TextAreaField(f"{question_id} {text}", [Optional(), Length(max=LONG_TEXT)]))
        setattr(QuestionnaireForm, f"na_{key}", BooleanField("Niet van toepassing"))
        setattr(QuestionnaireForm, f"f_{key}", FileField(
            "Bewijsstuk toevoegen" + (" (verplicht)" if needs_document else ""),
            description="PDF, JPEG of PNG, maximaal 20 MB."))
    return QuestionnaireForm


# --- checklist ---------------------------------------------------------------------------------------

def _checklist_field(item) -> object:
    label = f"{item.id} {item.question}"
    description = f"Bron: {item.source}" + (f" · vragenformulier {item.questionnaire_ref}" if item.questionnaire_ref else "")
    if item.answer_type in (AnswerType.JA_NEE, AnswerType.JA_NEE_ONBEKEND):
        choices = [("", "— niet beantwoord —"), ("ja", "Ja"), ("nee", "Nee")]
        if item.answer_type is AnswerType.JA_NEE_ONBEKEND:
            choices.append(("onbekend", "Onbekend"))
        return SelectField(label, choices=options(choices), validators=[Optional()], description=description)
    if item.answer_type is AnswerType.KEUZE:
        choices = [("", "— niet beantwoord —")] + [(c, c) for c in item.choices]
        return SelectField(label, choices=options(choices), validators=[Optional()], description=description)
    if item.answer_type is AnswerType.BEDRAG:
        return DecimalField(label + " (€)", [Optional(), NumberRange(0, 10**12, "Vul een bedrag van 0 of meer in.")],
                            places=2, description=description)
    if item.answer_type is AnswerType.AANTAL:
        return IntegerField(label, [Optional(), NumberRange(0, 10000, "Vul een aantal van 0 tot 10.000 in.")],
                            description=description)
    return TextAreaField(label, [Optional(), Length(max=LONG_TEXT)], description=description)


def checklist_form(checklist: Checklist) -> type[BaseForm]:
    """One field per answerable item of the pinned checklist version (REGISTER items are derived)."""

    class ChecklistForm(BaseForm):
        version = HiddenField()

    for item in checklist.items:
        if not item.is_derived:
            setattr(ChecklistForm, field_key(item.id), _checklist_field(item))
    return ChecklistForm


# --- own investigation ------------------------------------------------------------------------------

class InvestigationForm(BaseForm):
    source = SelectField("Bron", choices=options([("", "— kies de bron —"), *SOURCE_CHOICES]),
                         validators=[DataRequired("Kies de geraadpleegde bron.")])
    consulted_on = _date("Geraadpleegd op", required=True)
    subject = StringField("Betreft (betrokkene, adres of onderwerp)", [Optional(), Length(max=200)])
    outcome = TextAreaField("Uitkomst", [DataRequired("Beschrijf de uitkomst van de raadpleging."), Length(max=LONG_TEXT)])
    is_finding = BooleanField("Bevinding opnemen in het adviesrapport", default=True)
    file = FileField("Bijlage (optioneel)", description="PDF, JPEG of PNG, maximaal 20 MB.")


# --- LBB advice -------------------------------------------------------------------------------------

class LbbRequestForm(BaseForm):
    requested_on = _date("Advies aangevraagd op", required=True)
    extension_weeks = IntegerField("Verlenging adviestermijn door het LBB (weken)", [Optional(), NumberRange(0, 4, "Het LBB verlengt met 0 tot 4 weken.")],
                                   default=0, description="Het LBB adviseert binnen 8 weken, verlengbaar met ten hoogste 4 weken.")
    notice_logged = BooleanField("De aanvrager is schriftelijk geïnformeerd over de opschorting van de beslistermijn",
                                 default=True)
    supplementary = BooleanField("Aanvullend advies (bijv. na een zienswijze)")


class LbbExtensionForm(BaseForm):
    extension_weeks = IntegerField("Verlenging (weken)", [InputRequired("Vul het aantal weken in."), NumberRange(0, 4, "Het LBB verlengt met 0 tot 4 weken.")])


class LbbQuestionsForm(BaseForm):
    asked_on = _date("Vragen gesteld op", required=True)


class LbbAnswersForm(BaseForm):
    answered_on = _date("Vragen beantwoord op", required=True)


class LbbAdviceForm(BaseForm):
    received_on = _date("Advies ontvangen op", required=True)
    reference = StringField("Kenmerk LBB", [Optional(), Length(max=60)])
    a_level = SelectField("Conclusie a-grond (art. 3 lid 1 sub a)",
                          choices=options([("", "— niet beoordeeld —"), *LEVEL_CHOICES]), validators=[Optional()])
    b_level = SelectField("Conclusie b-grond (art. 3 lid 1 sub b)",
                          choices=options([("", "— niet beoordeeld —"), *LEVEL_CHOICES]), validators=[Optional()])
    art3_lid6 = BooleanField("Het LBB ziet aanwijzingen voor een strafbaar feit ter verkrijging (art. 3 lid 6)")
    summary = TextAreaField("Samenvatting van het advies", [Optional(), Length(max=LONG_TEXT)])
    vergewist = RadioField("Vergewist (art. 3:9 Awb)", choices=options([
        ("ja", "Ja: het onderzoek van het LBB is zorgvuldig"), ("nee", "Nee"), ("", "Nog niet beoordeeld")]),
        default="", validators=[Optional()])
    vergewis_note = TextAreaField("Toelichting op de vergewissing", [Optional(), Length(max=LONG_TEXT)])


# --- judgement --------------------------------------------------------------------------------------

class JudgementForm(BaseForm):
    a_level = SelectField("Mate van gevaar a-grond", choices=options(LEVEL_CHOICES),
                          validators=[DataRequired("Kies de mate van gevaar.")])
    b_level = SelectField("Mate van gevaar b-grond", choices=options(LEVEL_CHOICES),
                          validators=[DataRequired("Kies de mate van gevaar.")])
    level = SelectField("Eindconclusie mate van gevaar", choices=options(LEVEL_CHOICES),
                        validators=[DataRequired("Kies de eindconclusie.")])
    art3_lid6 = BooleanField("Aanwijzingen voor een strafbaar feit ter verkrijging van de vergunning (art. 3 lid 6)")
    advice = RadioField("Advies", choices=options(ADVICE_CHOICES), validators=[InputRequired("Kies het advies.")])
    deviation_reason = TextAreaField("Reden van afwijking van het voorstel", [Optional(), Length(max=LONG_TEXT)],
                                     description="Verplicht als het oordeel afwijkt van het voorstel van de checklist.")
    motivation = TextAreaField("Motivering van het oordeel", [DataRequired("Motiveer het oordeel."), Length(max=LONG_TEXT)])
    conditions = TextAreaField("Voorgestelde voorschriften", [Optional(), Length(max=LONG_TEXT)],
                               description="Eén voorschrift per regel (art. 3 lid 7 Wet Bibob).")
    lbb_weight = TextAreaField("Weging van het LBB-advies in het oordeel", [Optional(), Length(max=LONG_TEXT)],
                               description="Verplicht als er een LBB-advies is ontvangen.")
    weighing_ernst = TextAreaField("Ernst van de feiten (W-ERNST, W-VERMOEDEN)", [Optional(), Length(max=LONG_TEXT)])
    weighing_samenhang = TextAreaField("Relatie tot de vergunning (W-SAMENHANG)", [Optional(), Length(max=LONG_TEXT)])
    weighing_tijdsverloop = TextAreaField("Tijdsverloop (W-TIJDSVERLOOP)", [Optional(), Length(max=LONG_TEXT)])
    weighing_evenredigheid = TextAreaField("Evenredigheid (art. 3 lid 5, W-EVENREDIGHEID)", [Optional(), Length(max=LONG_TEXT)])
    version = HiddenField()


class ReportTextsForm(BaseForm):
    summary = TextAreaField("Samenvatting", [Optional(), Length(max=LONG_TEXT)],
                            description="Leeg laten: Barrier vat de aanvraag en de conclusie samen.")
    aanleiding = TextAreaField("Aanleiding", [Optional(), Length(max=LONG_TEXT)],
                               description="Leeg laten: de aanvraag en de beleidsregel worden genoemd.")
    version = HiddenField()


# --- voornemen and zienswijze ------------------------------------------------------------------------

class IntentionForm(BaseForm):
    sent_on = _date("Voornemen verzonden op", required=True)
    zienswijze_due_on = _date("Zienswijze uiterlijk op", past=False, description="Leeg: 14 dagen na verzending.")
    text = TextAreaField("Voornemen (kern van de brief)", [DataRequired("Vul de kern van het voornemen in."), Length(max=LONG_TEXT)])


class ZienswijzeForm(BaseForm):
    received_on = _date("Zienswijze ontvangen op", required=True)
    text = TextAreaField("Zienswijze (kern)", [DataRequired("Vul de kern van de zienswijze in."), Length(max=LONG_TEXT)])
    weighing = TextAreaField("Weging van de zienswijze", [Optional(), Length(max=LONG_TEXT)])


# --- report and disclosure ---------------------------------------------------------------------------

class DisclosureForm(BaseForm):
    """Every PDF that leaves Barrier needs a legal basis from the whitelist of art. 28 Wet Bibob."""

    legal_basis = SelectField("Wettelijke grondslag", choices=options(DISCLOSURE_CHOICES),
                              validators=[DataRequired("Kies de wettelijke grondslag (art. 28 Wet Bibob); "
                                                       "zonder grondslag wordt niets verstrekt.")])
    recipient = StringField("Verstrekt aan", [DataRequired("Vul in aan wie het rapport wordt verstrekt."), Length(max=200)],
                            default="Eigen gebruik (Bibob-coördinator)")
    purpose = StringField("Doel", [Optional(), Length(max=500)])


class IssueReportForm(BaseForm):
    """Issuing a definitive version: one button."""


# --- retention ----------------------------------------------------------------------------------------

class LegalHoldForm(BaseForm):
    hold = BooleanField("Bewaren wegens een juridische procedure (bezwaar, beroep)")
    reason = StringField("Reden", [Optional(), Length(max=500)])


class RetentionYearsForm(BaseForm):
    years = IntegerField("Bewaartermijn (jaren)", [InputRequired("Vul de bewaartermijn in."), NumberRange(1, 30, "Vul 1 tot 30 jaar in.")])


class PurgeForm(BaseForm):
    """Approve or execute a destruction: one button; the four-eyes rule is checked by the service."""
