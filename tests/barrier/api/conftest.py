"""Fixtures of the API tests: clients with keys, and a valid application as an e-form sends it."""

from __future__ import annotations

import base64
import copy
import uuid
from dataclasses import dataclass

import pytest

from barrier.api import keys
from barrier.models.api import ApiClient
from tests.factories import gemeente_by_code

PDF = b"%PDF-1.4\n" + b"%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 4 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 80

ALL_SCOPES = ["applications:read", "applications:write", "register:write", "screening:match"]


@dataclass
class KeyedClient:
    """An API client row and its plaintext key."""

    client: ApiClient
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def make_api_client(db):
    """``make_api_client(scopes=[...], gemeente="GM0106" | None, rate_limit=..., revoked=False)``."""
    counter = {"n": 0}

    def _make(scopes=None, gemeente: str | None = "GM0106", rate_limit: str = "100000 per minute",
              revoked: bool = False, name: str | None = None) -> KeyedClient:
        counter["n"] += 1
        key = keys.new_key()
        client = ApiClient(name=name or f"Testkoppeling {uuid.uuid4().hex[:8]}", description="",
                           gemeente_id=gemeente_by_code(db.session, gemeente).id if gemeente else None,
                           scopes=list(ALL_SCOPES if scopes is None else scopes), rate_limit=rate_limit,
                           key_prefix=key.prefix, key_hash=key.digest)
        if revoked:
            from barrier.db import utcnow

            client.revoked_at = utcnow()
        db.session.add(client)
        db.session.commit()
        return KeyedClient(client, key.plaintext)

    return _make


@pytest.fixture
def api_key(make_api_client) -> KeyedClient:
    """A client of Assen with every scope."""
    return make_api_client()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


HOUSING_BODY = {
    "permit_type": "verhuurvergunning",
    "trade_name": "Huisvesting Noord",
    "applicant": {"kind": "organisatie", "name": "Huisvesting Noord B.V.", "legal_form": "bv", "kvk_number": "12345678",
                  "address": {"street": "Stationsstraat", "house_number": "4", "postcode": "9401 KX", "city": "Assen"}},
    "parties": [{"kind": "persoon", "role": "bestuurder", "given_names": "Jan", "surname": "Bakker",
                 "birth_date": "1975-03-02", "bsn": "111222333"}],
    "location": {"street": "Kloosterstraat", "house_number": "12", "postcode": "9401 AB", "city": "Assen"},
    "details": {"persons": 8, "accommodation_type": "a", "floor_area_m2": 110.0,
                "rooms": [{"area_m2": 10.0, "beds": 2}] * 4, "toilets": 1, "showers": 1, "kitchens": 1,
                "rent_per_person": 110.0, "service_costs": 15.0, "landlord_is_employer": False,
                "contact_name": "Beheer BV", "contact_phone": "0612345678", "snf_certified": True},
    "documents": [{"kind": "plattegrond", "filename": "plattegrond.pdf", "content_type": "application/pdf",
                   "content": b64(PDF)}],
}


@pytest.fixture
def housing_body() -> dict:
    return copy.deepcopy(HOUSING_BODY)


def idem() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4()}"}
