"""The beheerder's legal settings per gemeente and permit type (domain.md §10.G, §1.1).

Values are validated by the deadline engine itself (``rules_for`` raises a Dutch DeadlineError on a
value it cannot use), so the form can never store a setting the engine would refuse.
"""

from __future__ import annotations

from sqlalchemy import select

from barrier import audit
from barrier.applications.deadlines import CONFIG_CHOICES, DEFAULT_CONFIG
from barrier.db import db
from barrier.models import Gemeente, PermitSettings, PermitType, User
from screening.deadlines import DeadlineError, rules_for

BIBOB_POLICIES = {
    "altijd": "Altijd (BIB-SCOPE-SEKS / BIB-SCOPE-WGV-AM)",
    "steekproef": "Steekproefsgewijs",
    "bij_signaal": "Alleen bij een signaal",
}
TRI_STATE = {"": "Standaard van de regeling", "ja": "Ja", "nee": "Nee"}
ATW_MODES = {"": "Standaard van de regeling", "apply": "Toepassen", "none": "Niet toepassen",
             "apply_by_analogy": "Naar analogie toepassen"}
COUNTS = {"": "Standaard (praktisch: X − Q)", "practical": "Praktisch (X − Q)", "strict": "Strikt (X − Q − 1)"}
OVERRIDE_KEYS = ("term_weeks", "atw_mode", "suspension_count", "lex_silencio", "require_notice_for_suspension")


class SettingsError(Exception):
    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.message, self.field = message, field


def settings_for(gemeente: Gemeente, permit_type: PermitType) -> PermitSettings | None:
    return db.session.scalar(select(PermitSettings).where(PermitSettings.gemeente_id == gemeente.id,
                                                          PermitSettings.permit_type == permit_type))


def effective_rules(gemeente: Gemeente, permit_type: PermitType):
    settings = settings_for(gemeente, permit_type)
    config = settings.deadline_config if settings and settings.deadline_config else DEFAULT_CONFIG[permit_type]
    return rules_for(config, gemeente_code=gemeente.cbs_code, overrides=(settings.overrides if settings else None) or None)


def save_settings(gemeente: Gemeente, permit_type: PermitType, *, values: dict, actor: User,
                  version: str | None) -> PermitSettings:
    settings = settings_for(gemeente, permit_type)
    if settings and version not in (None, "") and str(settings.version) != str(version):
        raise SettingsError("Iemand anders heeft deze instellingen intussen gewijzigd. Controleer en sla opnieuw op.", None)
    overrides: dict = {}
    for key in OVERRIDE_KEYS:
        value = values.get(key)
        if value in (None, ""):
            continue
        overrides[key] = {"ja": True, "nee": False}.get(value, value)
    config = values.get("deadline_config") or DEFAULT_CONFIG[permit_type]
    try:
        rules_for(config, gemeente_code=gemeente.cbs_code, overrides=overrides)
    except DeadlineError as error:
        raise SettingsError(error.message, error.field) from error
    if settings is None:
        settings = PermitSettings(gemeente_id=gemeente.id, permit_type=permit_type, version=0)
        db.session.add(settings)
    settings.deadline_config = config
    settings.overrides = overrides
    settings.bibob_policy = values.get("bibob_policy") or "altijd"
    settings.permit_duration_months = values.get("permit_duration_months")
    settings.version += 1
    db.session.flush()
    audit.record("permit_settings.saved", object_type="permit_settings", object_id=settings.id,
                 gemeente_id=gemeente.id, actor=actor, permit_type=permit_type.value, config=config,
                 overrides={k: str(v) for k, v in overrides.items()}, bibob_policy=settings.bibob_policy)
    return settings


CONFIGS = CONFIG_CHOICES
