"""All models, imported here so Alembic autogenerate and string relationships see them."""

from barrier.models.audit import AuditEvent
from barrier.models.region import Gemeente
from barrier.models.users import Role, User

__all__ = ["AuditEvent", "Gemeente", "Role", "User"]
