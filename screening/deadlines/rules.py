"""Configuration of the beslistermijn per permit type × gemeente (domain.md §10.G).

Every legal parameter is a :class:`LegalParam`: the value plus the article it comes from
(``source``), the date from which it applies where known (``effective_from``) and whether
domain.md marks it as checked against a source (``verified``; ``False`` = "[M] from memory, have a
gemeente jurist confirm it"). The open points of §10.I are settings here, never hard-coded:
the Awb 4:15 off-by-one (``suspension_count``), whether the Atw reaches a term (``atw_mode``) and
whether the lex silencio positivo applies (``lex_silencio``).

Three permit configurations ship with defaults (§10.B.7–8):

* ``seksbedrijf_apv`` (7a): APV art. 1:2: 8 weeks, one verdaging of at most 8 weeks, no Atw shift
  (a verordening term, §10.E.24), §4.1.3.3 Awb excluded.
* ``seksbedrijf_awb`` (7b): APV chapter 3 switches art. 1:2 off, so Awb 4:13 lid 2 applies:
  8 weeks, extension only by a 4:14 lid 3 notice within the term, Atw applies.
* ``wgv_verhuurvergunning`` (rule 8): as 7b until the gemeente's verordening says otherwise;
  whether §4.1.3.3 is excluded is unverified (``lex_silencio`` default ``False``).

A gemeente adjusts them with :func:`rules_for` (``overrides``), e.g. from the beheerder screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

from screening.deadlines.errors import DeadlineError
from screening.deadlines.holidays import KbTable, default_kb_table, parse_kb_table

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LegalParam(Generic[T]):
    """A legal parameter with its source article (domain.md §0: no bare numbers)."""

    value: T
    source: str
    effective_from: date | None = None
    verified: bool = False
    note: str = ""


class TermSource(StrEnum):
    """Where the base term comes from (Awb 4:13 lid 1 versus lid 2)."""

    VERORDENING = "verordening"
    AWB_4_13_LID_2 = "awb_4_13_lid_2"

    @property
    def label(self) -> str:
        return {
            TermSource.VERORDENING: "termijn uit APV of verordening (Awb 4:13 lid 1)",
            TermSource.AWB_4_13_LID_2: "redelijke termijn, uiterlijk 8 weken (Awb 4:13 lid 2)",
        }[self]


class AtwMode(StrEnum):
    """Whether the Algemene termijnenwet shifts an end date that falls on a rest day (§10.E.24)."""

    APPLY = "apply"
    NONE = "none"
    APPLY_BY_ANALOGY = "apply_by_analogy"

    @property
    def label(self) -> str:
        return {
            AtwMode.APPLY: "Atw toepassen (wettelijke termijn zonder verdaging door het bestuursorgaan)",
            AtwMode.NONE: "Atw niet toepassen",
            AtwMode.APPLY_BY_ANALOGY: "Atw naar analogie toepassen (ook na verdaging)",
        }[self]


class SuspensionCount(StrEnum):
    """Off-by-one reading of Awb 4:15 'tot de dag waarop' (§10.C.9, §10.I)."""

    PRACTICAL = "practical"  # suspended days = X − Q
    STRICT = "strict"  # suspended days = X − Q − 1 (the conservative reading)

    @property
    def label(self) -> str:
        return {
            SuspensionCount.PRACTICAL: "telling praktisch: X − Q",
            SuspensionCount.STRICT: "telling strikt: X − Q − 1",
        }[self]


class VerdagingKind(StrEnum):
    """The legal basis a verdaging is made under (§10.D)."""

    APV_1_2_LID_2 = "apv_1_2_lid_2"
    AWB_4_14_LID_3 = "awb_4_14_lid_3"
    VERORDENING = "verordening"

    @property
    def label(self) -> str:
        return {
            VerdagingKind.APV_1_2_LID_2: "Verdaging (APV art. 1:2 lid 2)",
            VerdagingKind.AWB_4_14_LID_3: "Mededeling nieuwe redelijke termijn (Awb 4:14 lid 3)",
            VerdagingKind.VERORDENING: "Verdaging (verordening)",
        }[self]


@dataclass(frozen=True, slots=True)
class VerdagingRule:
    """Whether and how the term may be extended (§10.D.17–18).

    ``max_weeks``/``max_count`` ``None`` means no limit in the regulation (Awb 4:14 lid 3 only
    says "zo kort mogelijk").
    """

    allowed: bool = True
    kind: VerdagingKind = VerdagingKind.APV_1_2_LID_2
    max_weeks: int | None = 8
    max_count: int | None = 1
    must_precede_deadline: bool = True


@dataclass(frozen=True, slots=True)
class BibobCaps:
    """LBB advice term 8 weeks, extendable by at most 4: the suspension cap is 56 / 84 days (§10.C.13)."""

    advice_weeks: int = 8
    max_extension_weeks: int = 4

    @property
    def base_days(self) -> int:
        return 7 * self.advice_weeks

    @property
    def max_days(self) -> int:
        return 7 * (self.advice_weeks + self.max_extension_weeks)


@dataclass(frozen=True, slots=True)
class DwangsomRules:
    """Awb 4:17: €23/€35/€45 per day in tiers of 14 days, at most 42 days (max €1,442) (§10.F.26).

    ``grace_days``: the body can still decide up to receipt of the ingebrekestelling + 14 days;
    the dwangsom runs from the next day (common reading, [M] on the exact day).
    ``vaststelling_days``: Awb 4:18, the amount is fixed within 2 weeks after the last day.
    """

    daily_amounts: tuple[int, ...] = (23, 35, 45)
    tier_days: int = 14
    max_days: int = 42
    grace_days: int = 14
    vaststelling_days: int = 14

    @property
    def max_total(self) -> int:
        return sum(self.daily_amount(day) for day in range(1, self.max_days + 1))

    def daily_amount(self, day_number: int) -> int:
        """The amount owed for the *day_number*-th dwangsom day (1-based); 0 outside 1..max_days."""
        if day_number < 1 or day_number > self.max_days:
            return 0
        tier = min((day_number - 1) // self.tier_days, len(self.daily_amounts) - 1)
        return self.daily_amounts[tier]

    def total(self, days: int) -> int:
        """The total owed after *days* dwangsom days (capped at ``max_days``)."""
        return sum(self.daily_amount(day) for day in range(1, min(max(days, 0), self.max_days) + 1))


PERMIT_TYPES = ("seksbedrijf_apv", "seksbedrijf_awb", "wgv_verhuurvergunning")


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """The beslistermijn settings for one permit type in one gemeente (domain.md §10.G)."""

    permit_type: str
    term_weeks: LegalParam[int]
    term_source: LegalParam[TermSource]
    verdaging: LegalParam[VerdagingRule]
    atw_mode: LegalParam[AtwMode]
    suspension_count: LegalParam[SuspensionCount]
    lex_silencio: LegalParam[bool]
    bibob_caps: LegalParam[BibobCaps]
    kb_gelijkgestelde_dagen: LegalParam[KbTable]
    require_notice_for_suspension: LegalParam[bool]
    hersteltermijn_default_weeks: LegalParam[int]
    dwangsom: LegalParam[DwangsomRules]
    atw_max_term_days: LegalParam[int]
    buiten_behandeling_weeks: LegalParam[int]
    gemeente_code: str | None = None
    #: Not law but work planning: a deadline this close is shown as "bijna".
    bijna_within_days: int = 14

    def rows(self) -> list[tuple[str, LegalParam[Any]]]:
        """The legal parameters as ``(key, param)`` rows, for a beheerder screen."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if f.name in _PARAM_KEYS]

    def with_overrides(
        self,
        overrides: Mapping[str, Any],
        *,
        source: str | None = None,
        effective_from: date | None = None,
        gemeente_code: str | None = None,
    ) -> DeadlineRules:
        """Return a copy with gemeente settings applied (see :func:`rules_for`)."""
        code = gemeente_code if gemeente_code is not None else self.gemeente_code
        changes: dict[str, Any] = {"gemeente_code": code}
        for key, raw in overrides.items():
            if key == "bijna_within_days":
                changes[key] = _as_int(raw, key, minimum=0, maximum=365)
                continue
            if key not in _PARAM_KEYS:
                raise DeadlineError(f"Onbekende instelling '{key}'.", field=key)
            current: LegalParam[Any] = getattr(self, key)
            if isinstance(raw, LegalParam):
                changes[key] = dataclasses.replace(raw, value=_CONVERTERS[key](raw.value, key, current.value))
                continue
            value = _CONVERTERS[key](raw, key, current.value)
            changes[key] = LegalParam(
                value=value,
                source=source or f"Gemeentelijke instelling{f' ({code})' if code else ''}; standaard: {current.source}",
                effective_from=effective_from,
                verified=False,
            )
        return dataclasses.replace(self, **changes)


# --- conversion and validation of plain override values (Dutch messages for the beheerder form) -----------


def _as_int(value: Any, key: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool):
        raise DeadlineError("Vul een geheel getal in.", field=key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise DeadlineError("Vul een geheel getal in.", field=key)
    if not minimum <= value <= maximum:
        raise DeadlineError(f"Vul een getal van {minimum} tot en met {maximum} in.", field=key)
    return value


def _as_bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise DeadlineError("Kies ja of nee.", field=key)
    return value


def _as_enum(enum: type[StrEnum], value: Any, key: str) -> Any:
    try:
        return enum(value)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in enum)
        raise DeadlineError(f"Ongeldige waarde '{value}'; kies uit: {allowed}.", field=key) from exc


def _convert_verdaging(value: Any, key: str, current: VerdagingRule) -> VerdagingRule:
    if isinstance(value, VerdagingRule):
        value = dataclasses.asdict(value)
    if not isinstance(value, Mapping):
        raise DeadlineError("Geef de verdaging op als instellingen (toegestaan, soort, max. weken, max. aantal).",
                            field=key)
    unknown = set(value) - {f.name for f in dataclasses.fields(VerdagingRule)}
    if unknown:
        raise DeadlineError(f"Onbekende verdagingsinstelling '{sorted(unknown)[0]}'.", field=key)
    merged = {**dataclasses.asdict(current), **value}
    max_weeks = merged["max_weeks"]
    max_count = merged["max_count"]
    return VerdagingRule(
        allowed=_as_bool(merged["allowed"], f"{key}.allowed"),
        kind=_as_enum(VerdagingKind, merged["kind"], f"{key}.kind"),
        max_weeks=None if max_weeks is None else _as_int(max_weeks, f"{key}.max_weeks", minimum=1, maximum=52),
        max_count=None if max_count is None else _as_int(max_count, f"{key}.max_count", minimum=0, maximum=10),
        must_precede_deadline=_as_bool(merged["must_precede_deadline"], f"{key}.must_precede_deadline"),
    )


def _convert_bibob(value: Any, key: str, current: BibobCaps) -> BibobCaps:
    if isinstance(value, BibobCaps):
        value = dataclasses.asdict(value)
    if not isinstance(value, Mapping):
        raise DeadlineError("Geef de Bibob-termijnen op als adviestermijn en maximale verlenging in weken.", field=key)
    merged = {**dataclasses.asdict(current), **value}
    return BibobCaps(
        advice_weeks=_as_int(merged["advice_weeks"], f"{key}.advice_weeks", minimum=1, maximum=52),
        max_extension_weeks=_as_int(merged["max_extension_weeks"], f"{key}.max_extension_weeks", minimum=0, maximum=52),
    )


def _convert_dwangsom(value: Any, key: str, current: DwangsomRules) -> DwangsomRules:
    if isinstance(value, DwangsomRules):
        value = dataclasses.asdict(value)
    if not isinstance(value, Mapping):
        raise DeadlineError("Geef de dwangsominstellingen op als bedragen en dagen.", field=key)
    merged = {**dataclasses.asdict(current), **value}
    amounts = merged["daily_amounts"]
    if not isinstance(amounts, list | tuple) or not amounts:
        raise DeadlineError("Geef minstens één bedrag per dag op.", field=f"{key}.daily_amounts")
    return DwangsomRules(
        daily_amounts=tuple(_as_int(a, f"{key}.daily_amounts", minimum=0, maximum=100_000) for a in amounts),
        tier_days=_as_int(merged["tier_days"], f"{key}.tier_days", minimum=1, maximum=365),
        max_days=_as_int(merged["max_days"], f"{key}.max_days", minimum=1, maximum=365),
        grace_days=_as_int(merged["grace_days"], f"{key}.grace_days", minimum=0, maximum=365),
        vaststelling_days=_as_int(merged["vaststelling_days"], f"{key}.vaststelling_days", minimum=0, maximum=365),
    )


def _convert_kb(value: Any, key: str, current: KbTable) -> KbTable:
    if isinstance(value, KbTable):
        return value
    if isinstance(value, Mapping):
        return parse_kb_table(value)
    raise DeadlineError("Geef de KB-tabel op met 'periods' (jaren, bron en dagen).", field=key)


_CONVERTERS: dict[str, Any] = {
    "term_weeks": lambda v, k, _c: _as_int(v, k, minimum=1, maximum=52),
    "term_source": lambda v, k, _c: _as_enum(TermSource, v, k),
    "verdaging": _convert_verdaging,
    "atw_mode": lambda v, k, _c: _as_enum(AtwMode, v, k),
    "suspension_count": lambda v, k, _c: _as_enum(SuspensionCount, v, k),
    "lex_silencio": lambda v, k, _c: _as_bool(v, k),
    "bibob_caps": _convert_bibob,
    "kb_gelijkgestelde_dagen": _convert_kb,
    "require_notice_for_suspension": lambda v, k, _c: _as_bool(v, k),
    "hersteltermijn_default_weeks": lambda v, k, _c: _as_int(v, k, minimum=1, maximum=52),
    "dwangsom": _convert_dwangsom,
    "atw_max_term_days": lambda v, k, _c: _as_int(v, k, minimum=0, maximum=3650),
    "buiten_behandeling_weeks": lambda v, k, _c: _as_int(v, k, minimum=1, maximum=52),
}
_PARAM_KEYS = frozenset(_CONVERTERS)


# --- defaults --------------------------------------------------------------------------------------------------


def _common() -> dict[str, LegalParam[Any]]:
    return {
        "suspension_count": LegalParam(
            SuspensionCount.PRACTICAL,
            source="Awb 4:15 lid 1 ('met ingang van de dag na ... tot de dag waarop')",
            verified=False,
            note="Praktische lezing X − Q; de strikte lezing X − Q − 1 is de behoudende (domain.md §10.C.9, §10.I).",
        ),
        "bibob_caps": LegalParam(
            BibobCaps(),
            source="Wet Bibob art. 31 (artikelnummer niet geverifieerd); Justis: adviestermijn 8 + 4 weken",
            verified=True,
            note="Landelijk en vast: opschorting ten hoogste 56 dagen, met verlenging 84 dagen.",
        ),
        "kb_gelijkgestelde_dagen": LegalParam(
            default_kb_table(),
            source="Atw art. 3 lid 3; KB's gelijkstelling 2023–2025 en 2026–2028",
            effective_from=date(2023, 1, 1),
            verified=True,
            note="Eens per drie jaar aanvullen met het nieuwe besluit.",
        ),
        "require_notice_for_suspension": LegalParam(
            True,
            source="Wet Bibob art. 31 (mededeling aan aanvrager, niet geverifieerd); Awb 4:15 lid 3",
            verified=False,
            note="Behoudend: opschorting voor Bibob-advies en overmacht pas als de brief is vastgelegd.",
        ),
        "hersteltermijn_default_weeks": LegalParam(
            2, source="Awb 4:5 lid 1 (termijn gesteld door het bestuursorgaan); gemeentelijk beleid", verified=False
        ),
        "dwangsom": LegalParam(
            DwangsomRules(),
            # The regime (Wet dwangsom en beroep bij niet tijdig beslissen) since 1 October 2009.
            source="Awb 4:17 lid 1–3 (bedragen), Awb 4:18 (vaststelling binnen 2 weken)",
            verified=True,
            note=(
                "Bij invoering (1-10-2009) €20/€30/€40, max. €1.260; de huidige bedragen €23/€35/€45 "
                "(max. €1.442) — datum van de verhoging niet geverifieerd."
            ),
        ),
        "atw_max_term_days": LegalParam(
            84,
            source="Atw art. 4 (termijnen van meer dan 90 dagen / 12 weken / 3 maanden uitgezonderd)",
            verified=False,
            note="Getoetst aan de basistermijn: een opgeschorte 8-weekse termijn blijft een termijn van 8 weken.",
        ),
        "buiten_behandeling_weeks": LegalParam(
            4, source="Awb 4:5 lid 4 (besluit niet te behandelen binnen 4 weken bekendmaken)", verified=False
        ),
    }


def _awb_term(
    source_note: str, *, verified: bool, effective_from: date | None = None
) -> dict[str, LegalParam[Any]]:
    return {
        "term_weeks": LegalParam(8, source="Awb 4:13 lid 2", verified=verified, note=source_note,
                                 effective_from=effective_from),
        "term_source": LegalParam(TermSource.AWB_4_13_LID_2, source="Awb 4:13 lid 2", verified=verified,
                                  effective_from=effective_from),
        "verdaging": LegalParam(
            VerdagingRule(allowed=True, kind=VerdagingKind.AWB_4_14_LID_3, max_weeks=None, max_count=1),
            source="Awb 4:14 lid 3 jo. 4:13 lid 2 (mededeling binnen de termijn, nieuwe redelijke termijn)",
            verified=True,
            note="Geen wettelijk maximum ('zo kort mogelijk'); eenmaal is een gemeentelijke keuze.",
        ),
        "atw_mode": LegalParam(
            AtwMode.APPLY,
            source="Atw art. 1 lid 1 (de Awb is een formele wet)",
            verified=False,
            note="Niet na een door het bestuursorgaan gestelde nieuwe termijn (domain.md §10.E.24).",
        ),
    }


def _build_defaults() -> dict[str, DeadlineRules]:
    common = _common()
    apv = DeadlineRules(
        permit_type="seksbedrijf_apv",
        term_weeks=LegalParam(8, source="APV art. 1:2 lid 1 (model-APV)", verified=True),
        term_source=LegalParam(TermSource.VERORDENING, source="Awb 4:13 lid 1; APV art. 1:2 lid 1", verified=True),
        verdaging=LegalParam(
            VerdagingRule(allowed=True, kind=VerdagingKind.APV_1_2_LID_2, max_weeks=8, max_count=1),
            source="APV art. 1:2 lid 2",
            verified=False,
            note="Tekst geverifieerd; 'eenmaal' en 'schriftelijk' uit het geheugen (domain.md §10.D.17).",
        ),
        atw_mode=LegalParam(
            AtwMode.NONE,
            source="Atw art. 1 lid 1: alleen termijnen gesteld in een wet of AMvB, niet in een verordening",
            verified=False,
            note="Behoudend: geen verschuiving; beslis op de laatste werkdag ervoor (domain.md §10.E.24).",
        ),
        lex_silencio=LegalParam(
            False, source="APV art. 3:4 lid 3: paragraaf 4.1.3.3 Awb niet van toepassing", verified=True
        ),
        **common,
    )
    awb = DeadlineRules(
        permit_type="seksbedrijf_awb",
        lex_silencio=LegalParam(
            False,
            source="APV hoofdstuk 3 (prostitutie): paragraaf 4.1.3.3 Awb niet van toepassing",
            verified=True,
        ),
        **_awb_term("APV art. 3:1 verklaart art. 1:2 niet van toepassing (VNG-model 2015/2016).", verified=True),
        **common,
    )
    wgv = DeadlineRules(
        permit_type="wgv_verhuurvergunning",
        lex_silencio=LegalParam(
            False,
            source="Awb 4:20a lid 1; Dienstenwet art. 28 — te controleren in de verhuurverordening",
            verified=False,
            note="Niet geverifieerd: de gemeentejurist stelt vast of paragraaf 4.1.3.3 Awb is uitgesloten.",
        ),
        # The Wgv (and with it the verhuurvergunning) is in force since 1 July 2023 (domain.md §2).
        **_awb_term("Wgv en verhuurverordening noemen geen beslistermijn (niet geverifieerd).", verified=False,
                    effective_from=date(2023, 7, 1)),
        **common,
    )
    return {rules.permit_type: rules for rules in (apv, awb, wgv)}


DEFAULT_RULES: Mapping[str, DeadlineRules] = _build_defaults()


def rules_for(
    permit_type: str,
    *,
    gemeente_code: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    source: str | None = None,
    effective_from: date | None = None,
) -> DeadlineRules:
    """The settings for *permit_type* in a gemeente: the defaults with the gemeente's overrides.

    ``overrides`` maps keys of §10.G to plain values (``{"atw_mode": "none", "verdaging": {"max_weeks": 6}}``)
    or to a :class:`LegalParam` carrying its own source. Plain values get ``source`` (e.g.
    "verhuurverordening Assen art. 7") or "Gemeentelijke instelling". Invalid values raise
    :class:`DeadlineError` with a Dutch message and the offending key in ``field``.
    """
    try:
        base = DEFAULT_RULES[permit_type]
    except KeyError as exc:
        allowed = ", ".join(PERMIT_TYPES)
        raise DeadlineError(f"Onbekend vergunningtype '{permit_type}'; kies uit: {allowed}.",
                            field="permit_type") from exc
    return base.with_overrides(
        overrides or {}, source=source, effective_from=effective_from, gemeente_code=gemeente_code
    )
