"""Input of the deadline engine: the case and its events, as frozen dataclasses with plain values.

Dates may be given as ``datetime.date`` or as ISO strings (``"2026-03-03"``); a ``datetime`` is cut
to its date. A malformed date raises :class:`DeadlineError` naming the field, so a Flask view
can show the message next to it. :func:`event_from_mapping` builds an event from a dict such as
a row of the application's event log (``{"type": "aanvulling", "requested_on": ..., ...}``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from screening.deadlines.errors import DeadlineError

_DATE_FIELDS_SUFFIXES = ("_on", "start", "end", "until")


def _coerce_date(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DeadlineError("Ongeldige datum; gebruik de vorm JJJJ-MM-DD.", field=name)


def _normalise_dates(obj: Any) -> None:
    """Turn ISO strings and datetimes in date fields into dates (frozen dataclass, so via object.__setattr__)."""
    for f in dataclasses.fields(obj):
        if f.name.endswith(_DATE_FIELDS_SUFFIXES):
            object.__setattr__(obj, f.name, _coerce_date(getattr(obj, f.name), f.name))


class SuspensionKind(StrEnum):
    """The legal ground of a suspended period (shown on the time bar)."""

    AANVULLING = "aanvulling"
    LBB_ADVIES = "lbb_advies"
    LBB_VRAGEN = "lbb_vragen"
    TOESTEMMING = "toestemming"
    BUITENLANDSE_INSTANTIE = "buitenlandse_instantie"
    VERTRAGING_AANVRAGER = "vertraging_aanvrager"
    OVERMACHT = "overmacht"

    @property
    def label(self) -> str:
        return _SUSPENSION_LABELS[self][0]

    @property
    def basis(self) -> str:
        return _SUSPENSION_LABELS[self][1]


_SUSPENSION_LABELS = {
    SuspensionKind.AANVULLING: ("Aanvulling aanvraag", "Awb 4:15 lid 1 sub a jo. 4:5"),
    SuspensionKind.LBB_ADVIES: ("Advies Landelijk Bureau Bibob", "Wet Bibob art. 31"),
    SuspensionKind.LBB_VRAGEN: ("Vragen LBB aan betrokkene", "Wet Bibob art. 12 lid 4"),
    SuspensionKind.TOESTEMMING: ("Opschorting met instemming aanvrager", "Awb 4:15 lid 2 sub a"),
    SuspensionKind.BUITENLANDSE_INSTANTIE: ("Informatie buitenlandse instantie", "Awb 4:15 lid 1 sub b"),
    SuspensionKind.VERTRAGING_AANVRAGER: ("Vertraging toe te rekenen aan aanvrager", "Awb 4:15 lid 2 sub b"),
    SuspensionKind.OVERMACHT: ("Overmacht", "Awb 4:15 lid 2 sub c"),
}


class _Event:
    """Mixin: date normalisation after construction."""

    __slots__ = ()
    type: ClassVar[str]

    def __post_init__(self) -> None:
        _normalise_dates(self)


@dataclass(frozen=True, slots=True)
class AanvullingRequested(_Event):
    """Awb 4:5 request to complete the application, with a hersteltermijn (§10.C.9–11).

    Without a hersteltermijn (``hersteltermijn_weeks`` and ``hersteltermijn_until`` both ``None``)
    the request does not suspend (ABRvS 21-9-2016, ECLI:NL:RVS:2016:2527). ``hersteltermijn_until``
    is the last day named in the letter when it names a date instead of a number of weeks.
    """

    type: ClassVar[str] = "aanvulling"
    requested_on: date
    hersteltermijn_weeks: int | None = None
    received_on: date | None = None
    hersteltermijn_until: date | None = None


@dataclass(frozen=True, slots=True)
class LbbAdviceRequested(_Event):
    """Advice asked of the Landelijk Bureau Bibob; suspends for at most 8 (+4) weeks (§10.C.13).

    ``notice_logged``: the letter telling the applicant about the suspension (and any extension) is
    on file; with ``require_notice_for_suspension`` the suspension only counts once it is.
    """

    type: ClassVar[str] = "lbb_advies"
    requested_on: date
    extension_weeks: int = 0
    advice_received_on: date | None = None
    notice_logged: bool = False


@dataclass(frozen=True, slots=True)
class LbbQuestions(_Event):
    """LBB questions to the betrokkene (Wet Bibob art. 12 lid 4); on top of the 8/12-week cap (§10.C.14)."""

    type: ClassVar[str] = "lbb_vragen"
    asked_on: date
    answered_on: date | None = None


@dataclass(frozen=True, slots=True)
class ConsentPeriod(_Event):
    """Suspension the applicant agreed to in writing (Awb 4:15 lid 2 sub a); both dates inclusive."""

    type: ClassVar[str] = "toestemming"
    start: date
    end: date
    agreed_on: date | None = None


@dataclass(frozen=True, slots=True)
class ForeignAuthorityRequest(_Event):
    """Information requested from a foreign authority (Awb 4:15 lid 1 sub b), once the applicant was told."""

    type: ClassVar[str] = "buitenlandse_instantie"
    applicant_notified_on: date
    information_received_on: date | None = None


@dataclass(frozen=True, slots=True)
class ApplicantDelay(_Event):
    """Delay attributable to the applicant (Awb 4:15 lid 2 sub b); both dates inclusive."""

    type: ClassVar[str] = "vertraging_aanvrager"
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Overmacht(_Event):
    """Overmacht (Awb 4:15 lid 2 sub c); ``end`` ``None`` while it lasts. lid 3: tell the applicant asap."""

    type: ClassVar[str] = "overmacht"
    start: date
    end: date | None = None
    notice_logged: bool = False


@dataclass(frozen=True, slots=True)
class Verdaging(_Event):
    """Extension of the term by *weeks*, notified on *notified_on* (APV 1:2 lid 2 or Awb 4:14 lid 3, §10.D).

    ``named_end_on``: the date the body named in its letter, kept for comparison.
    """

    type: ClassVar[str] = "verdaging"
    notified_on: date
    weeks: int
    named_end_on: date | None = None


@dataclass(frozen=True, slots=True)
class DelayNotice(_Event):
    """Awb 4:14 lid 1 notice that a statutory term cannot be met: a notice only, no extension (§10.D.18)."""

    type: ClassVar[str] = "mededeling_4_14_lid_1"
    notified_on: date
    named_end_on: date | None = None


@dataclass(frozen=True, slots=True)
class Ingebrekestelling(_Event):
    """The applicant's written ingebrekestelling (Awb 4:17); ``sent_on`` if known, else receipt is used."""

    type: ClassVar[str] = "ingebrekestelling"
    received_on: date
    sent_on: date | None = None


Event = (
    AanvullingRequested
    | LbbAdviceRequested
    | LbbQuestions
    | ConsentPeriod
    | ForeignAuthorityRequest
    | ApplicantDelay
    | Overmacht
    | Verdaging
    | DelayNotice
    | Ingebrekestelling
)

EVENT_TYPES: Mapping[str, type] = {
    cls.type: cls
    for cls in (
        AanvullingRequested,
        LbbAdviceRequested,
        LbbQuestions,
        ConsentPeriod,
        ForeignAuthorityRequest,
        ApplicantDelay,
        Overmacht,
        Verdaging,
        DelayNotice,
        Ingebrekestelling,
    )
}


@dataclass(frozen=True, slots=True)
class DeadlineCase:
    """One application: the day it was received, what happened since, and the decision date if any."""

    received_on: date
    events: tuple[Event, ...] = ()
    decided_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "received_on", _coerce_date(self.received_on, "received_on"))
        object.__setattr__(self, "decided_on", _coerce_date(self.decided_on, "decided_on"))
        if self.received_on is None:
            raise DeadlineError("Vul de datum van ontvangst van de aanvraag in.", field="received_on")
        object.__setattr__(self, "events", tuple(self.events))


def event_from_mapping(data: Mapping[str, Any]) -> Event:
    """Build an event from a plain mapping with a ``type`` key (see ``EVENT_TYPES``).

    Unknown types or fields raise :class:`DeadlineError`; dates may be ISO strings.
    """
    kind = data.get("type")
    cls = EVENT_TYPES.get(str(kind))
    if cls is None:
        allowed = ", ".join(EVENT_TYPES)
        raise DeadlineError(f"Onbekend soort gebeurtenis '{kind}'; kies uit: {allowed}.", field="type")
    names = {f.name for f in dataclasses.fields(cls)}
    values = {k: v for k, v in data.items() if k != "type"}
    unknown = set(values) - names
    if unknown:
        raise DeadlineError(f"Onbekend veld '{sorted(unknown)[0]}' bij '{kind}'.", field=sorted(unknown)[0])
    required = {f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    missing = required - set(values)
    if missing:
        raise DeadlineError("Dit veld is verplicht.", field=sorted(missing)[0])
    return cls(**values)
