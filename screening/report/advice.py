"""The Bibob advice report as PDF (domain.md §1.9), built with reportlab Platypus.

Order: cover (reference, gemeente, permit type, betrokkene, marking, full document hash), table of
contents, then summary and conclusion first, betrokkenen, facts per checklist section with sources,
confirmed register hits, LBB advice, weighing, degree of danger per ground, advice with conditions,
and a closing "Verantwoording". Every page carries the art. 28 marking in header and footer, the
date, author, short document hash and "pagina X van Y".

The document hash is the SHA-256 of the report's canonical content (not of the PDF bytes), so the
same ``AdviceReport`` always gets the same hash and a reader can check a printout against the
dossier. The PDF itself is deterministic too (reportlab invariant mode).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 # escape() escapes our output for reportlab markup; nothing parses XML

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from screening.checklists.assess import Assessment, format_answer, format_eur
from screening.checklists.levels import DANGER_GROUNDS, Advice, DangerLevel, Ground
from screening.report.model import (
    AdviceReport,
    Finding,
    FindingSection,
    GroundConclusion,
    Party,
    ReportStatus,
)
from screening.report.pdf import (
    CONTENT_WIDTH,
    LIGHT,
    RED,
    RULE,
    Heading,
    PageChrome,
    TocPlaceholder,
    build,
    clean,
    format_date,
    format_date_short,
    para,
    plain,
    styles,
    table,
)

MARKING = "Vertrouwelijk — art. 28 Wet Bibob"
MARKING_NOTE = (
    "Dit document bevat gegevens die vallen onder de geheimhoudingsplicht van art. 28 Wet Bibob. "
    "Verstrekken aan anderen mag alleen op een wettelijke grondslag en wordt vastgelegd; "
    "schending van de geheimhouding is strafbaar (art. 272 Sr)."
)

#: Chapter titles in the order they appear (tests and the app's help text rely on this order).
SECTION_TITLES = (
    "Samenvatting en conclusie",
    "Aanleiding en grondslag",
    "Betrokkenen en hun rol",
    "Bevindingen per onderdeel",
    "Bevestigde treffers in het risicoregister",
    "Advies van het Landelijk Bureau Bibob",
    "Weging",
    "Mate van gevaar en grondslag",
    "Advies en voorgestelde voorschriften",
    "Verantwoording",
)

SHORT_HASH_LENGTH = 12


# --- canonical content and hash ---------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"_type": type(value).__name__} | {
            f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical_content(report: AdviceReport) -> bytes:
    """The report's content as canonical JSON (sorted keys, ASCII escapes, no whitespace)."""
    return json.dumps(_canonical(report), sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def report_hash(report: AdviceReport) -> str:
    """SHA-256 (hex) of ``canonical_content(report)``: equal input, equal hash."""
    return hashlib.sha256(canonical_content(report)).hexdigest()


# --- building from an assessment ----------------------------------------------------------------------


def findings_from_assessment(assessment: Assessment) -> tuple[FindingSection, ...]:
    """One FindingSection per checklist section with the indicators that fired, as facts with their source.

    The coordinator's own narrative findings can be added to (or replace) these in the report.
    """
    sections = []
    for section in assessment.sections:
        findings = []
        for indicator in section.indicators:
            item = indicator.item
            sources = [str(item.source)]
            if item.questionnaire_ref:
                sources.append(f"vragenformulier {item.questionnaire_ref}")
            findings.append(
                Finding(
                    text=f"{item.question} Antwoord: {format_answer(indicator.answer)}.",
                    sources=tuple(sources),
                    indicator_code=indicator.code,
                    weight=indicator.weight,
                    amount_eur=indicator.answer if isinstance(indicator.answer, Decimal) else None,
                )
            )
        sections.append(
            FindingSection(section.section.title, tuple(findings), code=section.section.code.value, score=section.score)
        )
    return tuple(sections)


def ground_conclusions_from_assessment(assessment: Assessment) -> tuple[GroundConclusion, ...]:
    conclusions = []
    for g in assessment.grounds:
        drivers = ", ".join(i.code for i in sorted(g.indicators, key=lambda i: (-i.weight, i.code)))
        motivation = (
            f"Score {g.score} (mindere mate vanaf {g.thresholds.mindere_mate}, ernstig vanaf {g.thresholds.ernstig})."
        )
        if drivers:
            motivation += f" Indicatoren: {drivers}."
        if g.raised_by:
            motivation += f" Ten minste {g.level.label.lower()} door {', '.join(g.raised_by)}."
        if g.lbb_level is not None:
            motivation += f" LBB: {g.lbb_level.label.lower()}."
        conclusions.append(GroundConclusion(g.ground, g.level, g.score, motivation))
    return tuple(conclusions)


# --- rendering ----------------------------------------------------------------------------------------


def _p(text: Any, style: Any = None) -> Paragraph:
    return Paragraph(para(text), style or styles().body)


def _or_dash(value: Any) -> str:
    text = plain(value, limit=10_000)
    return text if text else "—"


def _ground_label(ground: Ground) -> str:
    return ground.label


def _cover(report: AdviceReport, digest: str) -> list[Any]:
    s = styles()
    rows = [
        ("Zaaknummer", report.reference),
        ("Gemeente", report.gemeente),
        ("Bevoegd gezag", report.bevoegd_gezag or "—"),
        ("Vergunning", report.permit_type),
        ("Betrokkene", report.betrokkene),
        ("Checklist", report.checklist_key or "—"),
        ("Datum", format_date(report.dated_on)),
        ("Opsteller", report.author),
        ("Status", report.status.label),
        ("Versie", str(report.version)),
    ]
    facts = table(rows, [42 * mm, CONTENT_WIDTH - 42 * mm], header=False, first_col_bold=True)
    marking = Table(
        [[Paragraph(para(MARKING), s.marking)], [Paragraph(para(MARKING_NOTE), s.small)]],
        colWidths=[CONTENT_WIDTH],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        ),
    )
    story: list[Any] = [
        Spacer(1, 18 * mm),
        Paragraph("Bibob-adviesrapport", s.title),
        Paragraph(para(report.permit_type), s.subtitle),
        marking,
        Spacer(1, 10 * mm),
        facts,
        Spacer(1, 10 * mm),
        Paragraph(
            f"Conclusie: <b>{para(report.level.label)}</b> — advies: <b>{para(report.advice.label)}</b>",
            s.body,
        ),
    ]
    if report.status is ReportStatus.CONCEPT:
        story.append(_p("Dit is een concept; het is nog niet vastgesteld.", s.small))
    story += [
        Spacer(1, 14 * mm),
        _p("Document-hash (SHA-256 van de inhoud):", s.small),
        Paragraph(digest, s.small),
        PageBreak(),
        Paragraph("Inhoud", s.h1),
        TocPlaceholder(),
        PageBreak(),
    ]
    return story


def _summary(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[0], 0, number=n)]
    story.append(_p(report.summary) if plain(report.summary) else _p("Geen samenvatting opgegeven.", s.small))
    story.append(Spacer(1, 2 * mm))
    story.append(_conclusion_table(report))
    story.append(Spacer(1, 3 * mm))
    story.append(
        Paragraph(
            f"Conclusie: <b>{para(report.level.label)}</b>. Advies: <b>{para(report.advice.label)}</b>. "
            f"{para(report.advice.legal_note)}",
            s.body,
        )
    )
    if report.art3_lid6:
        story.append(
            _p(
                "Er zijn aanwijzingen voor een strafbaar feit gepleegd om de vergunning te verkrijgen "
                "(art. 3 lid 6 Wet Bibob); zie hoofdstuk 8.",
                s.body,
            )
        )
    if report.art4_refusal:
        story.append(_p("Betrokkene heeft gevraagde gegevens niet verstrekt (art. 4 lid 1 Wet Bibob).", s.body))
    if report.conditions:
        story.append(_p(f"Voorgestelde voorschriften: {len(report.conditions)} (zie hoofdstuk 9).", s.body))
    return story


def _conclusion_table(report: AdviceReport) -> Table:
    rows: list[tuple[str, str, str]] = [("Grond", "Mate van gevaar", "Score")]
    by_ground = {c.ground: c for c in report.ground_conclusions}
    for ground in DANGER_GROUNDS:
        c = by_ground.get(ground)
        rows.append(
            (
                _ground_label(ground),
                c.level.label if c else "Niet vastgesteld",
                "—" if c is None or c.score is None else str(c.score),
            )
        )
    for c in report.ground_conclusions:
        if c.ground not in DANGER_GROUNDS:
            rows.append((_ground_label(c.ground), c.level.label, "—" if c.score is None else str(c.score)))
    if report.art3_lid6:
        rows.append((_ground_label(Ground.LID6), "Aanwijzingen aanwezig", "—"))
    if report.art4_refusal:
        rows.append((_ground_label(Ground.ART4), DangerLevel.ERNSTIG.label, "—"))
    return table(rows, [80 * mm, 62 * mm, CONTENT_WIDTH - 142 * mm])


def _grounds_text(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[1], 0, number=n)]
    story.append(_p(report.aanleiding) if plain(report.aanleiding) else _p("Geen aanleiding opgegeven.", s.small))
    story.append(Paragraph(f"<b>Wettelijke grondslag:</b> {para(report.legal_basis)}", s.body))
    return story


def _relation_text(party: Party) -> tuple[str, str]:
    roles, details = [], []
    for rel in party.relations:
        label = rel.role.label
        if rel.until is not None:
            label = f"{label} (voormalig)"
        roles.append(label)
        bits = []
        if rel.since or rel.until:
            bits.append(f"{format_date_short(rel.since)} – {format_date_short(rel.until) if rel.until else 'heden'}")
        if rel.percentage is not None:
            bits.append(f"{str(rel.percentage).replace('.', ',')}%")
        if rel.amount_eur is not None:
            bits.append(format_eur(rel.amount_eur))
        if rel.note:
            bits.append(plain(rel.note, limit=400))
        if bits:
            details.append(f"{rel.role.label}: " + "; ".join(bits))
    return ("\n".join(roles) or "—", "\n".join(details) or "—")


def _parties(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[2], 0, number=n)]
    if not report.parties:
        return [*story, _p("Geen betrokkenen vastgelegd.", s.small)]
    rows: list[tuple[Any, ...]] = [("Naam", "Soort", "Rol(len)", "Periode, aandeel, bedrag")]
    for party in report.parties:
        roles, details = _relation_text(party)
        name = "\n".join(x for x in (clean(party.name, limit=500), clean(party.identifier, limit=100)) if x)
        rows.append((name, "Rechtspersoon" if party.is_legal_entity else "Natuurlijk persoon", roles, details))
    story.append(table(rows, [50 * mm, 27 * mm, 45 * mm, CONTENT_WIDTH - 122 * mm]))
    notes = [p for p in report.parties if p.note]
    if notes:
        story.append(Spacer(1, 2 * mm))
    for party in notes:
        story.append(Paragraph(f"<b>{para(party.name, limit=300)}:</b> {para(party.note)}", s.body))
    return story


def _findings(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[3], 0, number=n)]
    if not report.finding_sections:
        return [*story, _p("Geen bevindingen vastgelegd.", s.small)]
    for i, section in enumerate(report.finding_sections, start=1):
        title = plain(section.title, limit=200) or "Onderdeel"
        if section.score is not None:
            title = f"{title} (score {section.score})"
        if i > 1:
            story.append(CondPageBreak(30 * mm))
        story.append(Heading(title, 1, number=f"{n}{i}."))
        if not section.findings:
            story.append(_p("Geen bijzonderheden.", s.small))
            continue
        for finding in section.findings:
            meta = []
            if finding.indicator_code:
                meta.append(f"indicator {plain(finding.indicator_code, limit=40)}")
            if finding.weight is not None:
                meta.append(f"gewicht {finding.weight}")
            if finding.amount_eur is not None:
                meta.append(f"bedrag {format_eur(finding.amount_eur)}")
            if finding.observed_on is not None:
                meta.append(f"datum {format_date_short(finding.observed_on)}")
            sources = "; ".join(plain(src, limit=500) for src in finding.sources if plain(src)) or "geen bron vermeld"
            text = clean(finding.text)
            line = (" · ".join(meta) + " · " if meta else "") + f"Bron: {sources}"
            block = [
                Paragraph(escape(text).replace("\n", "<br/>"), s.bullet, bulletText="•"),
                Paragraph(para(line, limit=3000), _indented(s.small)),
            ]
            # Keep a finding with its source line, unless the finding alone is long enough to split.
            story.extend([KeepTogether(block)] if len(text) < 1500 else block)
    return story


def _indented(style: Any) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{style.name}_ind", parent=style, leftIndent=12, spaceAfter=5)


def _hits(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[4], 0, number=n)]
    if not report.register_hits:
        return [*story, _p("Er zijn geen treffers in het risicoregister bevestigd.", s.body)]
    story.append(_p(f"Aantal bevestigde treffers: {len(report.register_hits)}.", s.body))
    for i, hit in enumerate(report.register_hits, start=1):
        rows = [
            ("Betreft", hit.subject),
            ("Registratie", hit.entry),
            ("Soort", hit.kind or "—"),
            ("Bron", hit.source or "—"),
            ("Kenmerk", hit.reference or "—"),
            ("Matchscore", "—" if hit.score is None else str(hit.score).replace(".", ",")),
            ("Bevestigd", f"{_or_dash(hit.confirmed_by)}, {format_date_short(hit.confirmed_on)}"),
            ("Toelichting", hit.explanation or "—"),
        ]
        story.append(CondPageBreak(35 * mm))
        story.append(Paragraph(f"<b>Treffer {i}</b>", s.body))
        story.append(table(rows, [32 * mm, CONTENT_WIDTH - 32 * mm], header=False, first_col_bold=True))
        story.append(Spacer(1, 3 * mm))
    return story


def _lbb(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[5], 0, number=n)]
    lbb = report.lbb_advice
    if lbb is None:
        return [*story, _p("Er is geen advies van het Landelijk Bureau Bibob gevraagd.", s.body)]

    def level(value: DangerLevel | None) -> str:
        return value.label if value is not None else "—"

    vergewist = {True: "Ja", False: "Nee", None: "Nog niet vastgelegd"}[lbb.vergewist]
    rows = [
        ("Aangevraagd op", format_date(lbb.requested_on)),
        ("Uitgebracht op", format_date(lbb.issued_on)),
        ("Kenmerk", lbb.reference or "—"),
        ("Conclusie a-grond", level(lbb.a_grond)),
        ("Conclusie b-grond", level(lbb.b_grond)),
        ("Conclusie (algemeen)", level(lbb.conclusion)),
        ("Art. 3 lid 6", "Aanwijzingen aanwezig" if lbb.art3_lid6 else "Geen aanwijzingen"),
        ("Vergewist (art. 3:9 Awb)", vergewist),
    ]
    story.append(table(rows, [48 * mm, CONTENT_WIDTH - 48 * mm], header=False, first_col_bold=True))
    if lbb.summary:
        story.append(Spacer(1, 2 * mm))
        story.append(_p(lbb.summary))
    if lbb.vergewis_note:
        story.append(Paragraph(f"<b>Vergewissing:</b> {para(lbb.vergewis_note)}", s.body))
    return story


def _weighing(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[6], 0, number=n)]
    w = report.weighing
    if w is None:
        return [*story, _p("De weging is nog niet vastgelegd.", s.small)]
    parts = [
        ("Ernst van de feiten", w.ernst),
        ("Relatie tot de vergunning (samenhang)", w.samenhang),
        ("Tijdsverloop", w.tijdsverloop),
        ("Evenredigheid (art. 3 lid 5 Wet Bibob)", w.evenredigheid),
        *w.other,
    ]
    for i, (title, text) in enumerate(parts, start=1):
        story.append(Heading(plain(title, limit=200) or "Overig", 1, number=f"{n}{i}.", toc=False))
        story.append(_p(text) if plain(text) else _p("Niet ingevuld.", s.small))
    return story


def _danger(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[7], 0, number=n)]
    story.append(_conclusion_table(report))
    story.append(Spacer(1, 2 * mm))
    for c in report.ground_conclusions:
        score = "" if c.score is None else f" (score {c.score})"
        story.append(Paragraph(f"<b>{para(_ground_label(c.ground))}: {para(c.level.label)}{score}.</b>", s.body))
        if plain(c.motivation):
            story.append(_p(c.motivation))
    if report.art3_lid6:
        story.append(
            Paragraph(
                "<b>Art. 3 lid 6 Wet Bibob.</b> Er zijn aanwijzingen dat een strafbaar feit is "
                "gepleegd om de vergunning te verkrijgen. Dit is een zelfstandige grond; een "
                "weigering op die grond moet evenredig zijn aan de ernst van het feit.",
                s.body,
            )
        )
        if plain(report.art3_lid6_motivation):
            story.append(_p(report.art3_lid6_motivation))
    if report.art4_refusal:
        story.append(
            Paragraph(
                "<b>Art. 4 lid 1 Wet Bibob.</b> Betrokkene heeft gevraagde gegevens niet "
                "verstrekt; dit geldt als ernstig gevaar. Bij een nieuwe aanvraag kan de aanvraag "
                "ook buiten behandeling worden gelaten (art. 4:5 Awb).",
                s.body,
            )
        )
    if report.rationale:
        story.append(Paragraph("<b>Onderbouwing van de checklist</b>", s.body))
        story.append(
            ListFlowable(
                [ListItem(_p(line), leftIndent=12, value="•") for line in report.rationale],
                bulletType="bullet",
                start="•",
                leftIndent=12,
            )
        )
    return story


def _advice(report: AdviceReport, n: str) -> list[Any]:
    s = styles()
    story: list[Any] = [Heading(SECTION_TITLES[8], 0, number=n)]
    box = Table(
        [[Paragraph(f"Advies: <b>{para(report.advice.label)}</b>", s.h2)], [_p(report.advice.legal_note)]],
        colWidths=[CONTENT_WIDTH],
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
    story.append(box)
    story.append(Spacer(1, 3 * mm))
    if plain(report.advice_motivation):
        story.append(_p(report.advice_motivation))
    story.append(Paragraph("<b>Voorgestelde voorschriften (art. 3 lid 7 Wet Bibob)</b>", s.body))
    if report.conditions:
        story.append(
            ListFlowable(
                [ListItem(_p(c), leftIndent=16) for c in report.conditions],
                bulletType="1",
                bulletFormat="%s.",
                leftIndent=16,
                bulletFontName=s.body.fontName,
                bulletFontSize=s.body.fontSize,
            )
        )
    elif report.advice is Advice.VERLENEN_MET_VOORSCHRIFTEN:
        story.append(_p("Nog geen voorschriften voorgesteld.", s.small))
    else:
        story.append(_p("Geen.", s.small))
    return story


def _closing(report: AdviceReport, n: str, digest: str) -> list[Any]:
    s = styles()
    # Kept on one page, so the full hash is always on the last page.
    return [
        KeepTogether(
            [
                Heading(SECTION_TITLES[9], 0, number=n),
                _p(
                    f"Opgesteld door {plain(report.author)} op {format_date(report.dated_on)}. "
                    f"Status: {report.status.label.lower()}, versie {report.version}."
                ),
                _p(
                    "De document-hash is de SHA-256 van de inhoud van dit rapport in canonieke vorm; dezelfde inhoud "
                    "geeft altijd dezelfde hash. De eerste 12 tekens staan onder aan iedere pagina.",
                    s.small,
                ),
                Paragraph(f"Document-hash: {digest}", s.small),
                Spacer(1, 4 * mm),
                _p(MARKING_NOTE, s.small),
            ]
        )
    ]


def _normalised(value: Any) -> Any:
    """Tolerate sloppy input: None or a list where a tuple is declared, a lone string for a tuple of strings."""
    if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        v = getattr(value, f.name)
        is_tuple = "tuple[" in str(f.type)
        if is_tuple and v is None:
            changes[f.name] = ()
        elif is_tuple and isinstance(v, str):
            changes[f.name] = (v,)
        elif isinstance(v, list | tuple):
            changes[f.name] = tuple(_normalised(x) for x in v)
        elif dataclasses.is_dataclass(v):
            changes[f.name] = _normalised(v)
    return dataclasses.replace(value, **changes) if changes else value


def render_advice_report(report: AdviceReport) -> bytes:
    """Render *report* as PDF bytes. Any text is accepted; see ``screening.report.pdf`` for how.

    The hash is computed over the report exactly as given; rendering then tolerates None for lists.
    """
    digest = report_hash(report)
    report = _normalised(report)
    reference = plain(report.reference, limit=80)
    chrome = PageChrome(
        header_left=MARKING,
        header_right=f"Bibob-advies {reference}",
        footer_left=(
            f"Vertrouwelijk (art. 28 Wet Bibob) · {format_date_short(report.dated_on)} · "
            f"{plain(report.author, limit=70)}"
        ),
        footer_left_2=(f"{report.status.label} versie {report.version} · document-hash {digest[:SHORT_HASH_LENGTH]}"),
        watermark="CONCEPT" if report.status is ReportStatus.CONCEPT else None,
    )
    story: list[Any] = _cover(report, digest)
    chapters = [_summary, _grounds_text, _parties, _findings, _hits, _lbb, _weighing, _danger, _advice]
    for number, chapter in enumerate(chapters, start=1):
        # A chapter heading needs room for some content below it, or it moves to the next page.
        story.append(CondPageBreak(45 * mm))
        story += chapter(report, f"{number}.")
    story += _closing(report, f"{len(chapters) + 1}.", digest)
    return build(
        story,
        chrome,
        title=f"Bibob-advies {reference}",
        author=report.author,
        subject=f"Bibob-adviesrapport {plain(report.permit_type, limit=120)} — {MARKING}",
        keywords=f"Bibob, {reference}, {plain(report.gemeente, limit=60)}, sha256:{digest}",
    )
