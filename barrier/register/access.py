"""Need-to-know on the risk register (Wet Bibob art. 28, AVG art. 10; domain.md §1.7).

Every entry's confidentiality level decides who sees its details (name, reason, the explanation
of its hits):

* ``regionaal``: every register user of the region, the beheerder included;
* ``bibob_coordinatoren``: the Bibob-coördinatoren of every gemeente of the region;
* ``eigen_gemeente``: only the Bibob-coördinatoren of the recording gemeente.

Whoever may review the hits of an application sees *that* it has a hit on a confidential
entry, its score and the recording gemeente, so they can ask that gemeente; nothing more.
Lists and searches only ever show entries whose details the user may see, so a search cannot
reveal that a name is in the register. Reads of details are audited by the views.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_

from barrier.auth.permissions import Permission, has_permission
from barrier.models.register import Confidentiality, RiskEntity

C = Confidentiality


def can_view_entity_details(user: Any, entity: RiskEntity) -> bool:
    if not has_permission(user, Permission.VIEW_REGISTER) or entity is None:
        return False
    if entity.confidentiality is C.REGIONAAL:
        return True
    if not has_permission(user, Permission.REVIEW_HITS):  # only Bibob-coördinatoren
        return False
    if entity.confidentiality is C.BIBOB_COORDINATOREN:
        return True
    return user.gemeente_id is not None and user.gemeente_id == entity.gemeente_id


def details_visible_in_gemeente(entity: RiskEntity, gemeente_id: int | None) -> bool:
    """As a Bibob-coördinator of *gemeente_id* would see it (for callers without a user, e.g. a CLI)."""
    if entity.confidentiality is C.EIGEN_GEMEENTE:
        return gemeente_id is not None and entity.gemeente_id == gemeente_id
    return True


def visible_entities_clause(user: Any):
    """SQL condition: the entries whose details *user* may see."""
    conditions = [RiskEntity.confidentiality == C.REGIONAAL]
    if has_permission(user, Permission.REVIEW_HITS):
        conditions.append(RiskEntity.confidentiality == C.BIBOB_COORDINATOREN)
        if user.gemeente_id is not None:
            conditions.append(and_(RiskEntity.confidentiality == C.EIGEN_GEMEENTE,
                                   RiskEntity.gemeente_id == user.gemeente_id))
    return or_(*conditions)


def can_edit_entity(user: Any, entity: RiskEntity) -> bool:
    """Coördinatoren edit the entries of their own gemeente; regional entries change by import."""
    if not has_permission(user, Permission.EDIT_REGISTER) or not can_view_entity_details(user, entity):
        return False
    return user.gemeente_id is not None and entity.gemeente_id == user.gemeente_id
