"""From ORM rows to the engine's records (``screening.matching``) and back to stable fingerprints.

No ORM object crosses into the engine (STYLE.md H8): register entries and the parties and
addresses of an application become frozen ``Person`` / ``Organisation`` / ``AddressRecord``
values. A *subject* is one thing of an application that is screened: a person, an organisation
or an address, with a label for the reviewer and a fingerprint of the screened data.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from barrier.models import Address as AddressRow
from barrier.models import Application, PartyRole
from barrier.models.register import EntityKind, RiskEntity
from screening.matching import Address as EngineAddress
from screening.matching import AddressRecord
from screening.matching import Organisation as EngineOrganisation
from screening.matching import Person as EnginePerson
from screening.matching.normalise import split_trade_names

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
#: Length of the register's name column (``risk_entities.name``).
NAME_LIMIT = RiskEntity.__table__.c.name.type.length

#: The columns the index reads from ``risk_entities`` (a tuple row per entry, no ORM objects).
INDEX_COLUMNS = (
    RiskEntity.id, RiskEntity.kind, RiskEntity.given_names, RiskEntity.surname_prefix, RiskEntity.surname,
    RiskEntity.birth_date, RiskEntity.nationality, RiskEntity.bsn_digest, RiskEntity.name, RiskEntity.legal_form,
    RiskEntity.kvk_number, RiskEntity.street, RiskEntity.house_number, RiskEntity.house_number_suffix,
    RiskEntity.postcode, RiskEntity.city, RiskEntity.country, RiskEntity.valid_until,
)


def _identifiers(bsn_digest: str | None) -> dict[str, str] | None:
    # Both sides carry the keyed BSN digest (barrier.crypto), never the BSN itself; the engine
    # compares identifiers by equality, and a conflicting one counts against the match.
    return {"bsn_digest": bsn_digest[:32]} if bsn_digest else None


def engine_address(street: str, house_number: str, suffix: str, postcode: str, city: str,
                   country: str) -> EngineAddress | None:
    if not any((street, house_number, postcode, city)):
        return None
    return EngineAddress(street=street or "", house_number=house_number or "", house_number_suffix=suffix or "",
                         postcode=postcode or "", city=city or "", country=country or "NL")


def entity_record_from_row(row: Any) -> EnginePerson | EngineOrganisation | AddressRecord:
    """An engine record from a row of :data:`INDEX_COLUMNS` (or a ``RiskEntity``)."""
    address = engine_address(row.street, row.house_number, row.house_number_suffix, row.postcode, row.city,
                             row.country)
    kind = EntityKind(row.kind)
    if kind is EntityKind.PERSON:
        return EnginePerson(id=row.id, given_names=row.given_names, surname_prefix=row.surname_prefix,
                            surname=row.surname, birth_date=row.birth_date, nationality=row.nationality,
                            address=address, identifiers=_identifiers(row.bsn_digest))
    if kind is EntityKind.ORGANISATION:
        return EngineOrganisation(id=row.id, name=row.name, legal_form=row.legal_form,
                                  kvk_number=row.kvk_number or "", address=address)
    return AddressRecord(id=row.id, address=address)


def _norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return " ".join(_NOT_ALNUM.split(text)).strip()


def fingerprint(*values: Any) -> str:
    """A stable hash of the screened data: case, spacing and punctuation do not change it."""
    payload = json.dumps([_norm(v) for v in values], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Subject:
    """One screened thing of an application."""

    key: str                 # person:12, organisation:3, address:7
    kind: EntityKind
    label: str
    fingerprint: str
    record: Any              # the engine record


def _address_values(address: AddressRow | None) -> tuple:
    if address is None:
        return ("", "", "", "", "", "")
    return (address.street, address.house_number, address.house_number_suffix, address.postcode, address.city,
            address.country)


def _engine_address_of(address: AddressRow | None) -> EngineAddress | None:
    return engine_address(*_address_values(address)) if address is not None else None


_TRADE_NAME_SEPARATORS = re.compile(r"[;,\n]+")


def names_with_trade_names(name: str, *trade_names: str) -> str:
    """"Lubbers Beheer B.V. h.o.d.n. Club Venus": the statutory name and each trade name that
    differs from it, as the Handelsregister writes them and the engine reads them. Without a
    statutory name the first trade name leads."""
    names = [name] + [one for text in trade_names for one in _TRADE_NAME_SEPARATORS.split(text or "")]
    distinct: dict[str, str] = {}
    for one in names:
        if one.strip():
            distinct.setdefault(_norm(one), one.strip())
    return " h.o.d.n. ".join(distinct.values())


def names_within(limit: int, name: str, *trade_names: str) -> str:
    """:func:`names_with_trade_names`, leaving out the trade names that do not fit in *limit*
    characters (the register's name column), last ones first: the statutory name always stays."""
    names = split_trade_names(names_with_trade_names(name, *trade_names))
    while len(names) > 1 and len(" h.o.d.n. ".join(names)) > limit:
        names.pop()
    return " h.o.d.n. ".join(names)


def statutory_and_trade_names(name: str) -> tuple[str, str]:
    """A register name split for the form: ("Lubbers Beheer B.V.", "Club Venus; Venus Escort")."""
    names = split_trade_names(name)
    if len(names) < 2:
        return name, ""
    return names[0], "; ".join(names[1:])


def subjects_of(app: Application) -> list[Subject]:
    """Every party (person or organisation, with its address) and every address of the application.

    A party in two roles is one subject (its label names both roles); addresses are the location
    and the addresses of the parties, each once.
    """
    subjects: dict[str, Subject] = {}
    roles: dict[str, list[str]] = {}
    addresses: dict[int, tuple[AddressRow, str]] = {}
    for party in app.parties:
        if party.person is not None:
            p = party.person
            key = f"person:{p.id}"
            roles.setdefault(key, []).append(party.role.label.lower())
            if key not in subjects:
                record = EnginePerson(id=key, given_names=p.given_names, surname_prefix=p.surname_prefix,
                                      surname=p.surname, birth_date=p.birth_date, nationality=p.nationality,
                                      address=_engine_address_of(p.address), identifiers=_identifiers(p.bsn_digest))
                fp = fingerprint("persoon", p.given_names, p.surname_prefix, p.surname, p.birth_date, p.nationality,
                                 p.bsn_digest, *_address_values(p.address))
                subjects[key] = Subject(key, EntityKind.PERSON, p.full_name, fp, record)
            if p.address is not None:
                addresses.setdefault(p.address.id, (p.address, f"adres van {p.full_name}"))
        elif party.organisation is not None:
            o = party.organisation
            key = f"organisation:{o.id}"
            roles.setdefault(key, []).append(party.role.label.lower())
            if key not in subjects:
                # The applicant trades under the application's trade name (the establishment's
                # name): the engine screens the statutory name and every trade name (h.o.d.n.).
                own_trade = app.trade_name if party.role is PartyRole.AANVRAGER else ""
                name = names_with_trade_names(o.name, o.trade_names, own_trade)
                record = EngineOrganisation(id=key, name=name, legal_form=o.legal_form, kvk_number=o.kvk_number or "",
                                            address=_engine_address_of(o.address))
                fp = fingerprint("organisatie", name, o.legal_form, o.kvk_number, *_address_values(o.address))
                subjects[key] = Subject(key, EntityKind.ORGANISATION, o.name, fp, record)
            if o.address is not None:
                addresses.setdefault(o.address.id, (o.address, f"adres van {o.name}"))
    labelled = [Subject(s.key, s.kind, f"{s.label} ({', '.join(dict.fromkeys(roles[s.key]))})", s.fingerprint, s.record)
                for s in subjects.values()]
    if app.location is not None:
        addresses.pop(app.location.id, None)
        addresses = {app.location.id: (app.location, "locatie"), **addresses}
    for address_id, (address, what) in addresses.items():
        key = f"address:{address_id}"
        engine_addr = _engine_address_of(address)
        if engine_addr is None:
            continue
        labelled.append(Subject(key, EntityKind.ADDRESS, f"{address.label} ({what})",
                                fingerprint("adres", *_address_values(address)), AddressRecord(id=key, address=engine_addr)))
    return labelled


def entity_fields_of_party(*, person=None, organisation=None, address: AddressRow | None = None,
                           trade_name: str = "") -> dict:
    """RiskEntity column values for a party or address of an application (automatic entries).

    An organisation keeps its trade names, and *trade_name* (the establishment's name the applicant
    traded under), so that the next applicant under one of those names is found.
    """
    if person is not None:
        values = {"kind": EntityKind.PERSON.value, "given_names": person.given_names,
                  "surname_prefix": person.surname_prefix, "surname": person.surname,
                  "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                  "nationality": person.nationality, "bsn_digest": person.bsn_digest, "bsn_last4": person.bsn_last4}
        address = person.address
    elif organisation is not None:
        values = {"kind": EntityKind.ORGANISATION.value,
                  "name": names_within(NAME_LIMIT, organisation.name, organisation.trade_names, trade_name),
                  "legal_form": organisation.legal_form, "kvk_number": organisation.kvk_number}
        address = organisation.address
    else:
        values = {"kind": EntityKind.ADDRESS.value}
    if address is not None:
        values.update(street=address.street, house_number=address.house_number,
                      house_number_suffix=address.house_number_suffix, postcode=address.postcode, city=address.city,
                      country=address.country or "NL")
    return values
