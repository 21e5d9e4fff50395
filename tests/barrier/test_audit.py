"""The audit log: written by one service, append-only, readable and filterable by a beheerder."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from barrier import audit
from barrier.models import AuditEvent, Role
from tests.factories import UserFactory


def test_record_stores_actor_object_and_primitive_details(app_ctx, db):
    user = UserFactory(full_name="Bea de Boer")
    event = audit.record("thing.done", object_type="things", object_id=42, gemeente_id=user.gemeente_id,
                         actor=user, count=3, tags=["a", "b"])
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.actor_id == user.id and "Bea de Boer" in stored.actor_label
    assert stored.actor_role == Role.VERGUNNINGVERLENER.value
    assert (stored.object_type, stored.object_id) == ("things", "42")
    assert stored.details == {"count": 3, "tags": ["a", "b"]}


def test_record_refuses_orm_objects_in_details(app_ctx, db):
    user = UserFactory()
    with pytest.raises(TypeError, match="primitive"):
        audit.record("thing.done", user=user)


def test_the_orm_refuses_to_change_or_delete_an_audit_event(app_ctx, db):
    event = audit.record("thing.done")
    db.session.commit()
    event.action = "rewritten"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_update_and_delete_of_audit_events(app_ctx, db):
    audit.record("thing.done")
    db.session.commit()
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.session.begin_nested():
            db.session.execute(sa.text(statement))


def test_a_beheerder_reads_and_filters_the_audit_log(login_as, db):
    browser = login_as(Role.BEHEERDER)
    other = UserFactory(full_name="Zeldzame Naam")
    audit.record("user.created", object_type="users", object_id=other.id, actor=other)
    audit.record("thing.done", object_type="things", object_id=1, actor=other)
    db.session.commit()
    html = browser.get("/beheer/auditlog?action=user.&actor=Zeldzame").get_data(as_text=True)
    assert "<code>user.created</code>" in html
    assert "<code>thing.done</code>" not in html
    # Reading the log is itself logged.
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit_log.viewed"))


def test_bad_audit_filter_input_is_a_dutch_error_not_a_crash(login_as, db):
    browser = login_as(Role.BEHEERDER)
    response = browser.get("/beheer/auditlog?date_from=31-31-2026&action=" + "x" * 500)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "field__error" in html


def test_a_gemeente_beheerder_sees_only_events_of_their_gemeente(login_as, db):
    browser = login_as(Role.BEHEERDER, gemeente="GM0106")
    emmen_user = UserFactory(gemeente_code="GM0114", full_name="Emmer Medewerker")
    audit.record("thing.emmen", actor=emmen_user, gemeente_id=emmen_user.gemeente_id)
    db.session.commit()
    html = browser.get("/beheer/auditlog").get_data(as_text=True)
    assert "thing.emmen" not in html  # neither in the table nor in the filter suggestions
