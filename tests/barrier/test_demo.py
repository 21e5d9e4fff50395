"""Demo data: one user per role and realistic records; only into an empty database."""

from __future__ import annotations

from sqlalchemy import func, select

from barrier.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from barrier.models import Role, User
from tests.conftest import Browser


def test_demo_data_loads_one_user_per_role_who_can_log_in(app, db):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
    browser = Browser(app.test_client())
    browser.login(db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0].email)), DEMO_PASSWORD)
    assert browser.get("/").status_code == 200


def test_demo_data_refuses_a_database_that_already_has_users(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    count = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code != 0
    assert "bevat al gebruikers" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == count
