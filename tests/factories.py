"""factory_boy factories; bound to the test's session by the ``db`` fixture."""

from __future__ import annotations

import factory
from argon2 import PasswordHasher
from sqlalchemy import select

from barrier.models import Gemeente, Role, User

# Hashed once with the cheap test parameters (the app verifies with the same parameters).
_TEST_HASH = PasswordHasher(time_cost=1, memory_cost=64).hash("Test-wachtwoord-2026")

_ALL: list[type[factory.alchemy.SQLAlchemyModelFactory]] = []


def bind(session) -> None:
    for factory_cls in _ALL:
        factory_cls._meta.sqlalchemy_session = session


def registered(cls):
    _ALL.append(cls)
    return cls


def gemeente_by_code(session, code: str) -> Gemeente:
    gemeente = session.scalar(select(Gemeente).where(Gemeente.cbs_code == code))
    assert gemeente is not None, f"unknown gemeente {code}"
    return gemeente


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        # Commit releases only a SAVEPOINT inside the test transaction (STYLE.md G2).
        sqlalchemy_session_persistence = "commit"


@registered
class UserFactory(BaseFactory):
    class Meta:
        model = User
        exclude = ("gemeente_code",)

    gemeente_code = "GM0106"
    email = factory.Sequence(lambda n: f"gebruiker{n}@test.demo")
    full_name = factory.Faker("name", locale="nl_NL")
    password_hash = _TEST_HASH
    role = Role.VERGUNNINGVERLENER
    gemeente = factory.LazyAttribute(
        lambda o: gemeente_by_code(UserFactory._meta.sqlalchemy_session, o.gemeente_code) if o.gemeente_code else None
    )
