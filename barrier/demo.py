"""Demo data: one user per role (credentials in the README) and realistic records (Faker nl_NL).

Each area adds its own records with ``register_demo_loader``; ``load_demo_data`` runs them in
order on an empty database, in the caller's transaction (the CLI commits once at the end).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker
from sqlalchemy import func, select

from barrier.auth.services import create_user
from barrier.db import db
from barrier.models import Gemeente, Role, User
from barrier.region import seed_gemeenten

DEMO_PASSWORD = "Barrier-demo-2026"  # noqa: S105 - demo accounts only, printed and in the README  # nosec B105


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    gemeente_code: str | None


# One account per role in Assen (regional roles without gemeente), plus colleagues in Emmen so
# the separation between gemeenten can be tried out.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("vergunningverlener@assen.demo", "Sanne Bakker", Role.VERGUNNINGVERLENER, "GM0106"),
    DemoAccount("bibob@assen.demo", "Pieter de Vries", Role.BIBOB_COORDINATOR, "GM0106"),
    DemoAccount("toezicht@assen.demo", "Fatima el Amrani", Role.TOEZICHTHOUDER, "GM0106"),
    DemoAccount("toezicht2@assen.demo", "Johan Mulder", Role.TOEZICHTHOUDER, "GM0106"),
    DemoAccount("aandacht@assen.demo", "Ingrid Smit", Role.AANDACHTFUNCTIONARIS, "GM0106"),
    DemoAccount("ketenregisseur@zvhd.demo", "Mark Hendriks", Role.KETENREGISSEUR, None),
    DemoAccount("beheer@drenthe.demo", "Anouk Visser", Role.BEHEERDER, None),
    DemoAccount("vergunningverlener@emmen.demo", "Kees Jansen", Role.VERGUNNINGVERLENER, "GM0114"),
    DemoAccount("bibob@emmen.demo", "Lotte Meijer", Role.BIBOB_COORDINATOR, "GM0114"),
    DemoAccount("toezicht@emmen.demo", "Ruud Boer", Role.TOEZICHTHOUDER, "GM0114"),
)


class DemoDataError(Exception):
    pass


@dataclass
class DemoContext:
    """Shared state for the loaders: a seeded Faker and RNG, the gemeenten and demo users."""

    faker: Faker
    rng: random.Random
    gemeenten: dict[str, Gemeente]
    users: dict[str, User]
    counts: dict[str, int] = field(default_factory=dict)

    def user(self, email: str) -> User:
        return self.users[email]


@dataclass
class DemoReport:
    accounts: tuple[DemoAccount, ...]
    counts: dict[str, int]

    def as_text(self) -> str:
        lines = ["Demodata geladen. Inloggen met wachtwoord " + DEMO_PASSWORD + " als:"]
        for account in self.accounts:
            where = account.gemeente_code or "regio"
            lines.append(f"  {account.email:<34} {account.role.label} ({where})")
        for name, number in self.counts.items():
            lines.append(f"  {number:>6} {name}")
        return "\n".join(lines)


DemoLoader = Callable[[DemoContext], None]
_LOADERS: list[tuple[int, str, DemoLoader]] = []


def register_demo_loader(order: int, name: str) -> Callable[[DemoLoader], DemoLoader]:
    def decorator(loader: DemoLoader) -> DemoLoader:
        if all(existing != name for _, existing, _ in _LOADERS):
            _LOADERS.append((order, name, loader))
            _LOADERS.sort(key=lambda item: item[0])
        return loader

    return decorator


def load_demo_data(*, seed: int = 2026) -> DemoReport:
    if db.session.scalar(select(func.count()).select_from(User)):
        raise DemoDataError("De database bevat al gebruikers; demodata wordt alleen in een lege database geladen.")
    seed_gemeenten()
    gemeenten = {g.cbs_code: g for g in db.session.scalars(select(Gemeente))}
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        gemeente = gemeenten[account.gemeente_code] if account.gemeente_code else None
        users[account.email] = create_user(email=account.email, full_name=account.full_name,
                                           password=DEMO_PASSWORD, role=account.role,
                                           gemeente_id=gemeente.id if gemeente else None)
    faker = Faker("nl_NL")
    faker.seed_instance(seed)
    context = DemoContext(faker=faker, rng=random.Random(seed), gemeenten=gemeenten, users=users)  # nosec B311 # reproducible demo data, not security
    _colleagues(context)
    _import_area_loaders()
    for _, _, loader in _LOADERS:
        loader(context)
    db.session.flush()
    return DemoReport(DEMO_ACCOUNTS, context.counts)


def _colleagues(context: DemoContext) -> None:
    """A vergunningverlener and a toezichthouder in every other gemeente, with Dutch names."""
    added = 0
    for code, gemeente in sorted(context.gemeenten.items()):
        if code in ("GM0106", "GM0114"):
            continue
        slug = gemeente.name.lower().replace(" ", "-")
        for role, prefix in ((Role.VERGUNNINGVERLENER, "vergunningen"), (Role.TOEZICHTHOUDER, "toezicht")):
            user = create_user(email=f"{prefix}@{slug}.demo", full_name=context.faker.name(),
                               password=DEMO_PASSWORD, role=role, gemeente_id=gemeente.id)
            context.users[user.email] = user
            added += 1
    context.counts["extra medewerkers in de andere gemeenten"] = added


def _import_area_loaders() -> None:
    """Importing each area's demo module registers its loader (areas land one by one)."""
    import importlib

    for module in ("barrier.applications.demo", "barrier.register.demo", "barrier.bibob.demo",
                   "barrier.inspections.demo", "barrier.signals.demo"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if not error.name or not module.startswith(error.name):
                raise
