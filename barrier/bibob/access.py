"""Need-to-know on Bibob dossiers (Wet Bibob art. 28; AVG art. 10; domain.md §1.7-1.8).

Only a Bibob-coördinator of the dossier's own gemeente reads its details; anyone else gets 404
(so the dossier's existence does not leak) and the attempt is audited. Every read of details is
audited by the view that shows them (``record_read``).
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from barrier import audit
from barrier.auth.permissions import Permission, has_permission
from barrier.db import db
from barrier.models.bibob import BibobDossier


def can_view_details(user: Any, dossier: BibobDossier) -> bool:
    """A coordinator of the dossier's gemeente; regional users and other gemeenten never."""
    return (has_permission(user, Permission.VIEW_BIBOB_DETAILS) and user.gemeente_id is not None
            and user.gemeente_id == dossier.gemeente_id)


def load_dossier_or_404(dossier_id: int) -> BibobDossier:
    dossier = db.session.get(BibobDossier, dossier_id)
    if dossier is None:
        abort(404)
    if not can_view_details(current_user, dossier):
        audit.record_now("access.bibob_refused", object_type="bibob_dossiers", object_id=dossier_id,
                         gemeente_id=current_user.gemeente_id)
        abort(404)
    return dossier


def record_read(dossier: BibobDossier, part: str) -> None:
    """Every read of the details is in the audit log (issue 5 §8), with the part that was shown."""
    audit.record("bibob_dossier.viewed", object_type="bibob_dossiers", object_id=dossier.id,
                 gemeente_id=dossier.gemeente_id, reference=dossier.reference, part=part)
