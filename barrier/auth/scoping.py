"""Which gemeente's records a user may see.

A user of a gemeente sees that gemeente's work; regional roles (ketenregisseur) and a regional
beheerder see the whole region (DESIGN.md). A record of another gemeente answers 404, not 403,
so its existence does not leak; the attempt is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select

from barrier import audit
from barrier.db import db

T = TypeVar("T")


def visible_gemeente_ids(user: Any = None) -> set[int] | None:
    """The gemeente ids the user may see, or None for the whole region."""
    user = user or current_user
    if user.is_regional:
        return None
    return {user.gemeente_id}


def scope_to_user(stmt: Select, gemeente_column: Any, user: Any = None) -> Select:
    ids = visible_gemeente_ids(user)
    if ids is None:
        return stmt
    return stmt.where(gemeente_column.in_(ids))


def can_access_gemeente(gemeente_id: int | None, user: Any = None) -> bool:
    ids = visible_gemeente_ids(user)
    return ids is None or gemeente_id in ids


def get_in_scope_or_404(model: type[T], object_id: Any, *, gemeente_attr: str = "gemeente_id",
                        options: Sequence[Any] = ()) -> T:
    """Load a record by id, answering 404 when it does not exist or belongs to another gemeente.

    ``options`` are loader options (``selectinload(...)``) for a page that shows related records.
    """
    obj = db.session.get(model, object_id, options=options)
    if obj is None:
        abort(404)
    if not can_access_gemeente(getattr(obj, gemeente_attr), current_user):
        audit.record_now(
            "access.other_gemeente_refused",
            object_type=getattr(model, "__tablename__", model.__name__),
            object_id=object_id,
            gemeente_id=current_user.gemeente_id,
        )
        abort(404)
    return obj
