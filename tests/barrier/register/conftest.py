"""Register fixtures: entries through the real service, CSV bytes, and the usual applications."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from barrier.models.register import Confidentiality, EntityKind, RegisterSource, RegisterVersion, RiskEntity
from barrier.register import services
from tests.factories import gemeente_by_code

TODAY = date.today()  # noqa: DTZ011


@pytest.fixture
def make_entity(app, db):
    """``make_entity(kind="persoon", surname=..., gemeente="GM0106", confidentiality=...)`` via the service."""

    def _make(kind: str = "persoon", *, gemeente: str | None = "GM0106",
              confidentiality: Confidentiality = Confidentiality.BIBOB_COORDINATOREN,
              source: RegisterSource = RegisterSource.RIEC_SIGNAAL, reason: str = "RIEC-signaal: uitbuiting",
              valid_until: date | None = None, recorded_on: date | None = None, **fields) -> RiskEntity:
        with app.test_request_context():
            gemeente_id = gemeente_by_code(db.session, gemeente).id if gemeente else None
            data = services.EntityData(kind=EntityKind(kind), source=source, reason=reason,
                                       recorded_on=recorded_on or TODAY - timedelta(days=30),
                                       confidentiality=confidentiality, gemeente_id=gemeente_id,
                                       valid_until=valid_until, **fields)
            entity = services.create_entity(data, actor=None, today=TODAY)
            db.session.commit()
            return entity

    return _make


def register_state(session) -> tuple[int, int]:
    """(entries, version): what a failed import must leave untouched."""
    count = session.scalar(select(func.count()).select_from(RiskEntity))
    version = session.scalar(select(func.max(RegisterVersion.id))) or 0
    return count, version


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return text.encode(encoding)


HEADER = ["Registratienummer", "Soort", "Voornamen", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Bedrijfsnaam",
          "KvK", "Straat", "Huisnummer", "Postcode", "Plaats", "Bron", "Reden", "Gemeente", "Vertrouwelijkheid"]


def row(ext="R-1", kind="persoon", given="Jan", prefix="de", surname="Vries", birth="17-05-1980", company="",
        kvk="", street="Kloosterstraat", number="12", postcode="9401ab", city="Assen", source="riec",
        reason="RIEC-signaal: uitbuiting", gemeente="GM0106", level="bibob-coördinatoren") -> list[str]:
    return [ext, kind, given, prefix, surname, birth, company, kvk, street, number, postcode, city, source, reason,
            gemeente, level]
