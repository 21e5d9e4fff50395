"""Login and user administration forms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from forms.base import BaseForm

PASSWORD_MIN_LENGTH = 12


class LoginForm(BaseForm):
    email = EmailField("E-mailadres", [DataRequired("Vul uw e-mailadres in."), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Wachtwoord", [DataRequired("Vul uw wachtwoord in."), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Inloggen")


class StrongPassword:
    """At least 12 characters and not only one kind of character (BIO/NCSC guidance: length first)."""

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) < PASSWORD_MIN_LENGTH:
            raise ValidationError(f"Een wachtwoord heeft minstens {PASSWORD_MIN_LENGTH} tekens.")
        kinds = sum((
            any(c.islower() for c in value), any(c.isupper() for c in value),
            any(c.isdigit() for c in value), any(not c.isalnum() for c in value),
        ))
        if kinds < 2:
            raise ValidationError("Gebruik minstens twee soorten tekens (kleine letters, hoofdletters, cijfers, leestekens).")


class UserForm(BaseForm):
    """Create or edit a user. Choices for role and gemeente are filled in by the view."""

    full_name = StringField("Naam", [DataRequired("Vul de naam in."), Length(max=120)],
                            render_kw={"autocomplete": "name"})
    email = EmailField("E-mailadres", [DataRequired("Vul het e-mailadres in."),
                                       Email("Dit is geen geldig e-mailadres."), Length(max=254)])
    role = SelectField("Rol", [DataRequired("Kies een rol.")])
    gemeente_id = SelectField("Gemeente", coerce=int, validators=[Optional()],
                              description="Laat leeg voor een regionale rol.")
    is_active_account = BooleanField("Account actief", default=True)
    password = PasswordField("Nieuw wachtwoord", [Optional(), Length(max=256), StrongPassword()],
                             render_kw={"autocomplete": "new-password"},
                             description="Minstens 12 tekens. Laat leeg om het wachtwoord niet te wijzigen.")
    version = StringField(render_kw={"hidden": True})
    submit = SubmitField("Opslaan")


class ChangePasswordForm(BaseForm):
    current_password = PasswordField("Huidig wachtwoord", [DataRequired("Vul uw huidige wachtwoord in.")],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("Nieuw wachtwoord", [DataRequired("Vul een nieuw wachtwoord in."),
                                                      Length(max=256), StrongPassword()],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Herhaal nieuw wachtwoord",
                            [EqualTo("new_password", "De wachtwoorden zijn niet gelijk.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Wachtwoord wijzigen")


class AuditFilterForm(BaseForm):
    """GET filter form for the audit log (no CSRF needed for a read-only GET)."""

    class Meta:
        csrf = False

    action = StringField("Handeling", [Optional(), Length(max=80)])
    actor = StringField("Gebruiker", [Optional(), Length(max=120)])
    object_type = StringField("Soort object", [Optional(), Length(max=60)])
    object_id = StringField("Object-id", [Optional(), Length(max=60)])
    date_from = DateField("Vanaf (datum)", [Optional()])
    date_to = DateField("Tot en met (datum)", [Optional()])


DEFAULT = ""


class PermitSettingsForm(BaseForm):
    """Per gemeente and permit type: the legal settings of domain.md §10.G and the Bibob policy (§1.1)."""

    deadline_config = SelectField("Termijnregeling", validators=[Optional()])
    term_weeks = IntegerField("Beslistermijn (weken)", [Optional(), NumberRange(1, 52, "Vul 1 tot 52 weken in.")],
                              description="Leeg = standaard van de gekozen regeling (8 weken).")
    atw_mode = SelectField("Algemene termijnenwet", validators=[Optional()])
    suspension_count = SelectField("Telling opschorting aanvulling (Awb 4:15)", validators=[Optional()])
    lex_silencio = SelectField("Vergunning van rechtswege (Awb §4.1.3.3)", validators=[Optional()])
    require_notice_for_suspension = SelectField("Bibob-opschorting pas na schriftelijke melding", validators=[Optional()])
    bibob_policy = SelectField("Bibob-toets volgens beleidsregel", validators=[DataRequired("Kies wanneer de Bibob-toets wordt toegepast.")])
    permit_duration_months = IntegerField("Geldigheidsduur vergunning (maanden)", [Optional(), NumberRange(1, 240, "Vul 1 tot 240 maanden in.")])
    version = StringField(render_kw={"hidden": True})
