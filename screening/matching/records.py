"""The engine's value types: register records in, hits out.

Every field is untrusted: the dataclasses do not validate, the normaliser copes with ``None``,
numbers, huge strings and control characters. Records are frozen and slotted so they are
cheap, hashable-by-id value objects that can be shared between processes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address. ``house_number`` may carry the suffix too ("12a", "12-A", "12 A")."""

    street: str = ""
    house_number: str = ""
    house_number_suffix: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person. The tussenvoegsel may be given in ``surname_prefix`` or inside ``surname``.

    ``birth_date`` is a :class:`datetime.date`; a year (``1980``), a string such as
    ``"1980-03-12"``, ``"12-03-1980"`` or ``"00-00-1980"`` (BRP notation for an unknown day and
    month) is accepted too. ``identifiers`` maps a type (``"bsn"``, ``"kvk"``, ``"paspoort"``...)
    to its value.
    """

    id: Any
    given_names: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_date: _dt.date | str | int | None = None
    nationality: str = ""
    address: Address | None = None
    identifiers: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    """A legal entity or trade name; the legal form may also be written inside ``name``."""

    id: Any
    name: str = ""
    legal_form: str = ""
    kvk_number: str = ""
    address: Address | None = None
    identifiers: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class AddressRecord:
    """An address registered on its own (a risky location), or an application address to screen.

    Address records are matched only against address records: a person or company query does not
    return them, and an address query does not return persons or companies.
    """

    id: Any
    address: Address | None = None


Record = Person | Organisation | AddressRecord


class Feature(NamedTuple):
    """One line of a hit's explanation, for a table in the UI.

    ``contribution`` is in score units; the contributions of a hit add up to its raw score
    (before clipping to 0..1), so the reviewer sees exactly why it scored what it scored.
    """

    name: str
    label: str
    query_value: str
    register_value: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Hit:
    """A register entity that may be the queried entity. ``score`` is 0..1, higher is surer."""

    entity_id: Any
    score: float
    explanation: str
    features: tuple[Feature, ...] = field(default=())
