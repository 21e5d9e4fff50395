"""The simple document, the building blocks from an assessment, and the shipped font."""

from __future__ import annotations

import io
from datetime import date

import pypdf

from screening.checklists import ConfirmedHit, Ground, assess, load_checklist
from screening.report import (
    SimpleSection,
    findings_from_assessment,
    ground_conclusions_from_assessment,
    render_simple_document,
)
from screening.report.pdf import FONT_DIR, clean, fit, fonts, format_date


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_simple_document_has_sections_table_and_page_numbers():
    pdf = render_simple_document(
        "Controlerapport seksinrichting",
        [
            SimpleSection(
                "Bevindingen",
                ("Vastgesteld op 3 maart.",),
                ("Geen register",),
                (("Punt", "Oordeel"), ("Vluchtweg", "Niet in orde <b>")),
            ),
            SimpleSection("Vervolg", ("Hercontrole binnen 4 weken.",)),
        ],
        reference="INS-2025-0007",
        author="T. Toezicht",
        dated_on=date(2025, 3, 3),
        marking="Vertrouwelijk",
    )
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Controlerapport seksinrichting" and meta.author == "T. Toezicht"
    (text,) = _pages(pdf)
    for expected in (
        "Vertrouwelijk",
        "INS-2025-0007",
        "1. Bevindingen",
        "2. Vervolg",
        "Niet in orde <b>",
        "3 maart 2025",
        "pagina 1 van 1",
    ):
        assert expected in text


def test_simple_document_survives_hostile_and_missing_input():
    many = [SimpleSection(None, (None, "x" * 4000), (None,), ((None,), ("a", "b", "c"))) for _ in range(30)]
    pages = _pages(render_simple_document("\x00<titel> 😀", many))
    assert len(pages) > 1
    assert all(f"pagina {n} van {len(pages)}" in p for n, p in enumerate(pages, start=1))


def test_report_parts_from_an_assessment():
    checklist = load_checklist("seksbedrijf")
    result = assess(
        checklist, {"BIB-CL-SEK-E02": 50_000, "BIB-CL-SEK-G01": "transactie"}, confirmed_hits=[ConfirmedHit("geweld")]
    )
    sections = findings_from_assessment(result)
    assert [s.code for s in sections] == [s.code.value for s in checklist.sections]
    financing = next(s for s in sections if s.code == "E_FINANCIERING")
    (finding,) = financing.findings
    assert finding.indicator_code == "BIB-CL-SEK-E02" and finding.weight == 4
    assert str(finding.amount_eur) == "50000"
    assert any("[S7]" in src for src in finding.sources)
    assert "vragenformulier BIB-Q-E01" in finding.sources
    conclusions = {c.ground: c for c in ground_conclusions_from_assessment(result)}
    assert conclusions[Ground.A_GROND].score == result.ground(Ground.A_GROND).score
    assert conclusions[Ground.B_GROND].level is result.ground(Ground.B_GROND).level
    assert "BIB-CL-SEK-G01" in conclusions[Ground.B_GROND].motivation


def test_shipped_font_is_used_and_small_enough():
    assert fonts().description == "DejaVu Sans (meegeleverd)"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert (FONT_DIR / name).stat().st_size < 1_000_000
    assert (FONT_DIR / "LICENSE-DejaVu.txt").is_file()
    coverage = fonts().coverage
    for ch in "éëïĳŁőŽжЖΩ€–—‘’":
        assert ord(ch) in coverage, ch


def test_clean_and_fit():
    assert clean(None) == ""
    assert clean("a\x00b\u202ec\ud800") == "abc"
    assert clean("€ 5") == "€\u00a05"
    assert clean("王") == "\ufffd"
    assert clean("x" * 30, limit=10) == "x" * 10 + " … [ingekort]"
    f = fonts()
    assert fit("kort", f.regular, 8, 100) == "kort"
    cut = fit("heel lang " * 50, f.regular, 8, 100)
    assert cut.endswith("…") and len(cut) < 50
    assert format_date(date(2025, 12, 1)) == "1 december 2025"
