"""All models, imported here so Alembic autogenerate and string relationships see them."""

from barrier.models.applications import (
    Application,
    ApplicationEvent,
    ApplicationParty,
    ApplicationStatus,
    ClockEvent,
    ClockEventKind,
    Document,
    DocumentKind,
    PartyRole,
    Permit,
    PermitSettings,
    PermitStatus,
    PermitType,
    ReferenceCounter,
)
from barrier.models.audit import AuditEvent
from barrier.models.parties import Address, Organisation, Person
from barrier.models.region import Gemeente
from barrier.models.users import Role, User

# Each area's models register themselves by being imported here (one line per area).
from barrier.models import register as _register  # noqa: E402,F401  isort: skip
from barrier.models import bibob as _bibob  # noqa: E402,F401  isort: skip
from barrier.models import inspections as _inspections  # noqa: E402,F401  isort: skip
from barrier.models import signals as _signals  # noqa: E402,F401  isort: skip
from barrier.models import api as _api  # noqa: E402,F401  isort: skip

__all__ = [
    "Address", "Application", "ApplicationEvent", "ApplicationParty", "ApplicationStatus", "AuditEvent",
    "ClockEvent", "ClockEventKind", "Document", "DocumentKind", "Gemeente", "Organisation", "PartyRole",
    "Permit", "PermitSettings", "PermitStatus", "PermitType", "Person", "ReferenceCounter", "Role", "User",
]
