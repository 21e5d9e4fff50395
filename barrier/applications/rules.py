"""Per permit type: which parties, particulars and documents an application needs, and which
status transitions the casework allows. Each rule names its source."""

from __future__ import annotations

from dataclasses import dataclass

from barrier.models import ApplicationStatus as S
from barrier.models import DocumentKind as D
from barrier.models import PartyRole as R
from barrier.models import PermitType as T


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    source: str


# Documents the completeness check asks for (domain.md §3.2 SEK-A*, §2.4 WGV-A*).
REQUIRED_DOCUMENTS: dict[T, tuple[tuple[D, str], ...]] = {
    T.SEKSINRICHTING: (
        (D.BEDRIJFSPLAN, "APV hfd 3; domain.md §3.2 SEK-A07"),
        (D.PLATTEGROND, "domain.md §3.2 SEK-A04"),
        (D.IDENTITEITSBEWIJS, "domain.md §3.2 SEK-A02/A03"),
        (D.HUUR_KOOPOVEREENKOMST, "domain.md §3.2 SEK-A09"),
        (D.BIBOB_VRAGENFORMULIER, "Wet Bibob art. 7a; domain.md §3.2 SEK-A10"),
    ),
    T.ESCORTBEDRIJF: (
        (D.BEDRIJFSPLAN, "APV hfd 3; domain.md §3.2 SEK-A07"),
        (D.IDENTITEITSBEWIJS, "domain.md §3.2 SEK-A02/A03"),
        (D.BIBOB_VRAGENFORMULIER, "Wet Bibob art. 7a; domain.md §3.2 SEK-A10"),
    ),
    T.VERHUURVERGUNNING: (
        (D.PLATTEGROND, "domain.md §2.4 WGV-A05"),
        (D.HUUROVEREENKOMST_MODEL, "Wgv; domain.md §2.4 WGV-A06, §2.3 WGV-AM01"),
        (D.INFORMATIE_IN_TAAL, "Wgv; domain.md §2.3 WGV-AM02"),
        (D.OMGEVINGSVERGUNNING, "domain.md §2.4 WGV-A10"),
    ),
}

# Roles an application must have before it can be submitted.
REQUIRED_ROLES: dict[T, tuple[tuple[R, str], ...]] = {
    T.SEKSINRICHTING: ((R.AANVRAGER, "exploitant, APV hfd 3"), (R.BEHEERDER, "beheerder, domain.md §3.3 SEK-P06")),
    T.ESCORTBEDRIJF: ((R.AANVRAGER, "exploitant, APV hfd 3"),),
    T.VERHUURVERGUNNING: ((R.AANVRAGER, "verhuurder, Wgv art. 5; domain.md WGV-A01"),
                          (R.EIGENAAR_PAND, "eigenaar pand, domain.md §2.4")),
}

# Casework transitions (domain.md §1.6 and the Awb): the service refuses anything else.
ALLOWED_TRANSITIONS: dict[S, frozenset[S]] = {
    S.CONCEPT: frozenset({S.ONTVANGEN}),
    S.ONTVANGEN: frozenset({S.IN_BEHANDELING, S.AANVULLING_GEVRAAGD, S.BIBOB_ONDERZOEK, S.BUITEN_BEHANDELING}),
    S.IN_BEHANDELING: frozenset({S.AANVULLING_GEVRAAGD, S.BIBOB_ONDERZOEK, S.VOORNEMEN_WEIGEREN, S.VERLEEND,
                                 S.VERLEEND_MET_VOORSCHRIFTEN, S.BUITEN_BEHANDELING}),
    # Awb 4:5: not completed within the hersteltermijn -> buiten behandeling.
    S.AANVULLING_GEVRAAGD: frozenset({S.IN_BEHANDELING, S.BIBOB_ONDERZOEK, S.BUITEN_BEHANDELING}),
    S.BIBOB_ONDERZOEK: frozenset({S.IN_BEHANDELING, S.AANVULLING_GEVRAAGD, S.VOORNEMEN_WEIGEREN, S.VERLEEND,
                                  S.VERLEEND_MET_VOORSCHRIFTEN, S.BUITEN_BEHANDELING}),
    # Awb 4:8: a refusal on Bibob grounds is preceded by a voornemen and a chance for a zienswijze.
    S.VOORNEMEN_WEIGEREN: frozenset({S.ZIENSWIJZE, S.GEWEIGERD, S.IN_BEHANDELING}),
    S.ZIENSWIJZE: frozenset({S.GEWEIGERD, S.VERLEEND, S.VERLEEND_MET_VOORSCHRIFTEN, S.IN_BEHANDELING,
                             S.BIBOB_ONDERZOEK}),
    S.VERLEEND: frozenset({S.INGETROKKEN}),
    S.VERLEEND_MET_VOORSCHRIFTEN: frozenset({S.INGETROKKEN}),
    S.GEWEIGERD: frozenset(),
    S.BUITEN_BEHANDELING: frozenset(),
    S.INGETROKKEN: frozenset(),
}
DECISION_STATUSES = frozenset({S.VERLEEND, S.VERLEEND_MET_VOORSCHRIFTEN, S.GEWEIGERD, S.BUITEN_BEHANDELING})
# Statuses a status change button may set directly; decisions go through the decision form.
SIMPLE_TRANSITIONS = frozenset({S.IN_BEHANDELING, S.AANVULLING_GEVRAAGD, S.BIBOB_ONDERZOEK,
                                S.VOORNEMEN_WEIGEREN, S.ZIENSWIJZE, S.INGETROKKEN})

TRANSITION_ACTIONS = {
    S.IN_BEHANDELING: "In behandeling nemen",
    S.AANVULLING_GEVRAAGD: "Aanvulling vragen",
    S.BIBOB_ONDERZOEK: "Bibob-onderzoek starten",
    S.VOORNEMEN_WEIGEREN: "Voornemen tot weigeren",
    S.ZIENSWIJZE: "Zienswijze ontvangen",
    S.INGETROKKEN: "Vergunning intrekken",
}

# Default validity when the beheerder set none (domain.md §3.6: e.g. Tilburg 3 years fixed location,
# 1 year escort; §2.4: Wgv "many ordinances: max 5 years", memory). Configurable in PermitSettings.
DEFAULT_PERMIT_MONTHS = {T.SEKSINRICHTING: 36, T.ESCORTBEDRIJF: 12, T.VERHUURVERGUNNING: 60}
