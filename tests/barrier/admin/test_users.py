"""A beheerder manages users in the UI; the CLI creates the first beheerder."""

from __future__ import annotations

from sqlalchemy import select

from barrier.models import AuditEvent, Role, User
from tests.conftest import TEST_PASSWORD, Browser
from tests.factories import UserFactory, gemeente_by_code


def _new_user_data(db, **overrides):
    data = {"full_name": "Nieuwe Collega", "email": "Nieuw@Test.demo", "role": "toezichthouder",
            "gemeente_id": str(gemeente_by_code(db.session, "GM0106").id), "is_active_account": "y",
            "password": "Goed-wachtwoord-42"}
    data.update(overrides)
    return data


def test_a_beheerder_creates_a_user_who_can_then_log_in(app, login_as, db):
    admin = login_as(Role.BEHEERDER)
    response = admin.submit("/beheer/gebruikers/nieuw", _new_user_data(db))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@test.demo"))
    assert user.role is Role.TOEZICHTHOUDER and user.gemeente.name == "Assen"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created",
                                                      AuditEvent.object_id == str(user.id)))
    newcomer = Browser(app.test_client())
    newcomer.submit("/inloggen", {"email": "nieuw@test.demo", "password": "Goed-wachtwoord-42"})
    assert newcomer.get("/").status_code == 200


def test_invalid_user_data_comes_back_with_dutch_errors_and_the_input_kept(login_as, db):
    admin = login_as(Role.BEHEERDER)
    UserFactory(email="bestaat@test.demo")
    response = admin.submit("/beheer/gebruikers/nieuw", _new_user_data(
        db, email="bestaat@test.demo", password="kort", full_name="<script>alert(1)</script>"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "minstens 12 tekens" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # kept, and escaped
    assert "<script>alert(1)" not in html


def test_a_regional_role_cannot_belong_to_a_gemeente(login_as, db):
    admin = login_as(Role.BEHEERDER)
    response = admin.submit("/beheer/gebruikers/nieuw", _new_user_data(db, role="ketenregisseur"))
    assert "Een regionale rol hoort niet bij één gemeente" in response.get_data(as_text=True)


def test_a_gemeente_role_needs_a_gemeente(login_as, db):
    admin = login_as(Role.BEHEERDER)
    response = admin.submit("/beheer/gebruikers/nieuw", _new_user_data(db, gemeente_id="0"))
    html = response.get_data(as_text=True)
    assert "Kies de gemeente" in html, __import__("re").findall(r"field__error[^>]*>(.*?)<", html)


def test_deactivating_a_user_ends_their_open_sessions(app, login_as, db):
    admin = login_as(Role.BEHEERDER)
    user = UserFactory()
    victim = Browser(app.test_client())
    victim.login(user)
    data = _new_user_data(db, email=user.email, full_name=user.full_name, role=user.role.value,
                          password="", version=str(user.version))
    data.pop("is_active_account")
    response = admin.submit(f"/beheer/gebruikers/{user.id}", data)
    assert response.status_code == 302, __import__("re").findall(r"field__error[^>]*>(.*?)<|alert--\w+\">(.*?)<", response.get_data(as_text=True))
    assert victim.get("/").status_code == 302
    assert not db.session.get(User, user.id).is_active_account


def test_a_concurrent_edit_is_detected_and_nothing_is_overwritten(login_as, db):
    admin = login_as(Role.BEHEERDER)
    user = UserFactory(full_name="Origineel")
    stale_version = str(user.version)
    user.full_name = "Door een collega gewijzigd"
    user.version += 1  # what the edit service does on a colleague's save
    db.session.commit()
    response = admin.submit(f"/beheer/gebruikers/{user.id}", _new_user_data(
        db, email=user.email, full_name="Mijn wijziging", role=user.role.value, password="", version=stale_version))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Iemand anders heeft deze gebruiker intussen gewijzigd" in html
    assert "Mijn wijziging" in html  # the user's input is still there
    assert db.session.get(User, user.id).full_name == "Door een collega gewijzigd"


def test_a_gemeente_beheerder_cannot_open_a_user_of_another_gemeente(login_as, db):
    admin = login_as(Role.BEHEERDER, gemeente="GM0106")
    emmen = UserFactory(gemeente_code="GM0114")
    assert admin.get(f"/beheer/gebruikers/{emmen.id}").status_code == 404
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.other_gemeente_refused"))


def test_a_gemeente_beheerder_cannot_create_users_for_another_gemeente(login_as, db):
    admin = login_as(Role.BEHEERDER, gemeente="GM0106")
    response = admin.submit("/beheer/gebruikers/nieuw", _new_user_data(
        db, gemeente_id=str(gemeente_by_code(db.session, "GM0114").id)))
    assert response.status_code == 200
    assert "Not a valid choice" not in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "nieuw@test.demo")) is None


def test_beheerder_cannot_demote_themselves(login_as, db):
    admin = login_as(Role.BEHEERDER)
    me = admin.user
    response = admin.submit(f"/beheer/gebruikers/{me.id}", _new_user_data(
        db, email=me.email, full_name=me.full_name, role="vergunningverlener", gemeente_id="0",
        password="", version=str(me.version)))
    html = response.get_data(as_text=True)
    assert "U kunt uw eigen rol niet wijzigen" in html, __import__("re").findall(r"field__error[^>]*>(.*?)<|alert--\w+\">(.*?)<", html)


def test_cli_creates_the_first_beheerder(app, db):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "Eerste@Drenthe.demo", "--name", "Eerste Beheerder",
        "--password", "Heel-geheim-123"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "eerste@drenthe.demo"))
    assert user.role is Role.BEHEERDER and user.gemeente_id is None


def test_cli_refuses_a_weak_password_and_unknown_gemeente(app, db):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-admin", "--email", "a@b.demo", "--name", "A", "--password", "kort"])
    assert weak.exit_code != 0 and "minstens 12 tekens" in weak.output
    unknown = runner.invoke(args=["create-admin", "--email", "a@b.demo", "--name", "A",
                                  "--password", "Heel-geheim-123", "--gemeente", "GM9999"])
    assert unknown.exit_code != 0 and "Onbekende gemeentecode" in unknown.output


def test_login_with_new_user_password_uses_the_test_password_helper(browser, db):
    # Guard for the fixtures themselves: factory users log in with TEST_PASSWORD.
    user = UserFactory()
    assert browser.submit("/inloggen", {"email": user.email, "password": TEST_PASSWORD}).status_code == 302
