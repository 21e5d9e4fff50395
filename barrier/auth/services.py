"""Authentication use cases: password hashing, login with lock-out, user administration."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import func, select

from barrier import audit
from barrier.db import as_utc, db, utcnow
from barrier.models.users import Role, User, new_session_token

_HASHERS: dict[tuple[int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    """Argon2id; production uses the library's defaults (RFC 9106 low-memory profile).

    The cost is configurable so the test suite can use cheap parameters (PASSWORD_HASH_COST).
    """
    cost = current_app.config.get("PASSWORD_HASH_COST")
    key = tuple(cost) if cost else (0, 0)
    if key not in _HASHERS:
        _HASHERS[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1]) if cost else PasswordHasher()
    return _HASHERS[key]


def _dummy_verify() -> None:
    """Spend the time of a real verification when the address is unknown (no user enumeration)."""
    hasher = _hasher()
    with contextlib.suppress(VerifyMismatchError):
        hasher.verify(hasher.hash("barrier-dummy-password"), "wrong-password")


class AuthError(Exception):
    """A refused login; the message is Dutch and safe to show."""


class AccountLocked(AuthError):
    pass


class UserDataError(Exception):
    """Invalid user data; ``field`` names the form field the Dutch message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials, or raise AuthError with a Dutch message.

    The same message for an unknown address and a wrong password (no user enumeration); after
    LOGIN_MAX_FAILURES failures the account is locked for LOGIN_LOCKOUT_MINUTES.
    """
    generic = "Onbekende combinatie van e-mailadres en wachtwoord."
    user = find_user_by_email(email)
    if user is None:
        _dummy_verify()
        audit.record_now("auth.login_failed", object_type="users", reason="unknown_email",
                         email_domain=email.rpartition("@")[2][:100])
        raise AuthError(generic)
    now = utcnow()
    locked_until = as_utc(user.locked_until)
    if locked_until and locked_until > now:
        audit.record_now("auth.login_refused_locked", object_type="users", object_id=user.id,
                         gemeente_id=user.gemeente_id)
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AccountLocked(
            f"Te veel mislukte pogingen. Dit account is tijdelijk geblokkeerd; probeer het over {minutes} minuten opnieuw."
        )
    if not verify_password(user, password):
        limit = current_app.config["LOGIN_MAX_FAILURES"]
        # An SQL increment, so two failed attempts at the same moment both count.
        user.failed_login_count = User.failed_login_count + 1
        db.session.flush()
        failures = user.failed_login_count
        if failures >= limit:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
        user_id, gemeente_id = user.id, user.gemeente_id
        db.session.commit()
        audit.record_now("auth.login_failed", object_type="users", object_id=user_id,
                         gemeente_id=gemeente_id, reason="wrong_password", failures=failures)
        raise AuthError(generic)
    if not user.is_active_account:
        audit.record_now("auth.login_refused_inactive", object_type="users", object_id=user.id,
                         gemeente_id=user.gemeente_id)
        raise AuthError("Dit account is niet actief. Neem contact op met de beheerder.")
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("auth.logged_in", object_type="users", object_id=user.id, gemeente_id=user.gemeente_id,
                 actor=user)
    return user


def user_for_session(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token, so a rotated token logs out."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.is_active_account:
        return None
    return user


def _validate_user_data(*, email: str, role: Role, gemeente_id: int | None, user_id: int | None) -> None:
    duplicate = db.session.scalar(
        select(User.id).where(func.lower(User.email) == email.lower(), User.id != (user_id or 0))
    )
    if duplicate:
        raise UserDataError("email", "Er bestaat al een gebruiker met dit e-mailadres.")
    if role.is_regional and gemeente_id:
        raise UserDataError("gemeente_id", "Een regionale rol hoort niet bij één gemeente: laat de gemeente leeg.")
    if not role.is_regional and role is not Role.BEHEERDER and not gemeente_id:
        raise UserDataError("gemeente_id", "Kies de gemeente waarvoor deze gebruiker werkt.")


def create_user(*, email: str, full_name: str, password: str, role: Role, gemeente_id: int | None,
                actor: User | None = None) -> User:
    email = email.strip().lower()
    _validate_user_data(email=email, role=role, gemeente_id=gemeente_id, user_id=None)
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password),
                role=role, gemeente_id=gemeente_id or None)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", object_type="users", object_id=user.id, gemeente_id=user.gemeente_id,
                 actor=actor, role=role.value)
    return user


def update_user(user: User, *, email: str, full_name: str, role: Role, gemeente_id: int | None,
                is_active_account: bool, password: str | None, actor: User | None = None) -> User:
    email = email.strip().lower()
    _validate_user_data(email=email, role=role, gemeente_id=gemeente_id, user_id=user.id)
    changed = [
        name for name, new in (("email", email), ("full_name", full_name), ("role", role),
                               ("gemeente_id", gemeente_id or None), ("is_active_account", is_active_account))
        if getattr(user, name) != new
    ]
    user.email, user.full_name, user.role = email, full_name.strip(), role
    user.gemeente_id, user.is_active_account = gemeente_id or None, is_active_account
    if password:
        user.password_hash = hash_password(password)
        changed.append("password")
    if password or "is_active_account" in changed or "role" in changed:
        # Changed credentials or rights take effect at once: open sessions end.
        user.session_token = new_session_token()
    if not is_active_account or password:
        user.failed_login_count, user.locked_until = 0, None
    user.version += 1
    db.session.flush()
    audit.record("user.updated", object_type="users", object_id=user.id, gemeente_id=user.gemeente_id,
                 actor=actor, fields=changed)
    return user


def change_own_password(user: User, *, current_password: str, new_password: str) -> None:
    if not verify_password(user, current_password):
        raise UserDataError("current_password", "Het huidige wachtwoord klopt niet.")
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    db.session.flush()
    audit.record("user.password_changed", object_type="users", object_id=user.id, gemeente_id=user.gemeente_id)
