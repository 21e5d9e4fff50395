"""Forms of the signals area: record a signal, forward it along the meldroute, care data, closing.

The signal choices come from the catalogue (``screening.signals``), grouped per barrier of the
barrier model in the template; gemeenten, recipients and legal bases are filled in by the view.
"""

from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms.base import BaseForm, options
from forms.inspections import MultiCheckboxField
from forms.validators import NotBefore, NotInFuture
from screening.signals import Catalogue

VORM_CHOICES = [("onbekend", "Nog onbekend"), ("seks", "Seksuele uitbuiting"), ("arbeid", "Arbeidsuitbuiting"),
                ("crimineel", "Criminele uitbuiting")]
URGENCY_CHOICES = [("normaal", "Normaal"), ("hoog", "Met voorrang (bijvoorbeeld een minderjarige betrokken)"),
                   ("acuut", "Acuut gevaar: bel eerst 112")]
SOURCE_CHOICES = [("inspectie", "Bij een controle (eigen waarneming)"), ("collega", "Van een collega"),
                  ("balie", "Aan de balie (BRP, vergunningen)"), ("extern", "Van buiten de gemeente")]

GEMEENTE_REQUIRED = ("Kies de gemeente waar het signaal speelt: zonder gemeente kan het signaal niet naar de "
                     "aandachtfunctionaris mensenhandel.")


class SignalForm(BaseForm):
    gemeente = SelectField("Gemeente", [DataRequired(GEMEENTE_REQUIRED)], choices=[],
                           description="Het signaal gaat naar de aandachtfunctionaris mensenhandel van deze gemeente.")
    urgency = RadioField("Urgentie", [InputRequired("Kies de urgentie.")], choices=options(URGENCY_CHOICES),
                         default="normaal")
    signal_ids = MultiCheckboxField("Waargenomen signalen", [Optional()], choices=[])
    vorm = RadioField("Vorm van uitbuiting (voor zover bekend)", [InputRequired("Kies de vorm of ‘nog onbekend’.")],
                      choices=options(VORM_CHOICES), default="onbekend")
    observation = TextAreaField("Wat heeft u waargenomen?", [DataRequired("Beschrijf wat u heeft waargenomen."),
                                                            Length(max=10000)])
    persons = TextAreaField("Betrokken personen (gepseudonimiseerd)", [Optional(), Length(max=4000)],
                            description="Geen namen of BSN: bijvoorbeeld ‘vrouw, ca. 20 jaar, spreekt geen Nederlands’.")
    address_text = StringField("Adres of plaats (als er geen locatie is gekozen)", [Optional(), Length(max=300)])
    source = SelectField("Hoe kwam het signaal binnen?", [DataRequired()], choices=options(SOURCE_CHOICES),
                         default="collega")
    reported_on = DateField("Datum van het signaal", [Optional(), NotInFuture(), NotBefore(2000)])
    has_undermining_component = BooleanField("Er lijkt een ondermijnende component te zijn (criminele structuren, "
                                             "vastgoed, witwassen)")
    needs_care = BooleanField("Een slachtoffer heeft zorg of opvang nodig")
    is_bibob_relevant = BooleanField("Het signaal gaat over een aanvrager of vergunninghouder (Bibob-relevant)")
    contains_bibob_data = BooleanField("Het signaal bevat informatie uit een Bibob-onderzoek")
    location_id = HiddenField()
    inspection_id = HiddenField()


def signal_form(catalogue: Catalogue, **kwargs) -> SignalForm:
    form = SignalForm(**kwargs)
    form.signal_ids.choices = options([(s.id, f"{s.text} ({s.id})") for s in catalogue.signals])
    return form


class ForwardForm(BaseForm):
    target = SelectField("Doorsturen naar", [DataRequired("Kies de ontvanger.")], choices=[])
    legal_bases = MultiCheckboxField("Grondslag", [Optional()], choices=[],
                                     description="Elke doorzending vermeldt een grondslag die de ontvanger dekt.")
    motivation = TextAreaField("Motivering", [DataRequired("Leg vast waarom het signaal wordt doorgestuurd."),
                                              Length(max=4000)])


class CareNoteForm(BaseForm):
    text = TextAreaField("Zorggegevens (van zorgpartners van het ZVHD)", [DataRequired("Vul de zorggegevens in."),
                                                                         Length(max=10000)],
                         description="Gaat nooit naar het RIEC (Beleidsplan §4.5): het signaal wordt blijvend "
                                     "gemarkeerd als ‘bevat zorggegevens’.")


class CloseSignalForm(BaseForm):
    note = TextAreaField("Waarom wordt het signaal afgesloten?", [DataRequired("Geef een reden."), Length(max=4000)])
