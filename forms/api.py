"""Forms of the API-client management (beheerder). Choices come from the view (scopes, gemeenten)."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forms.base import BaseForm


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApiClientForm(BaseForm):
    name = StringField("Naam van de koppeling", [DataRequired("Vul een naam in."), Length(max=120)],
                       description="Bijvoorbeeld: E-formulieren Assen (Open Formulieren) of Zaaksysteem Emmen.")
    description = TextAreaField("Omschrijving", [Optional(), Length(max=2000)],
                                description="Wie beheert het andere systeem, en waarvoor gebruikt het de API.")
    gemeente_id = SelectField("Gemeente", coerce=int, validators=[Optional()],
                              description="De client ziet en schrijft alleen deze gemeente; regionaal = alle gemeenten.")
    scopes = MultiCheckboxField("Scopes", validators=[DataRequired("Kies minstens één scope.")],
                                description="Geef alleen wat de koppeling nodig heeft.")
    rate_limit = SelectField("Limiet", validators=[DataRequired("Kies een limiet.")],
                             description="Meer verzoeken worden geweigerd (429) tot de minuut om is.")
