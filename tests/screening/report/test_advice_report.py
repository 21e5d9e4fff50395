"""The Bibob advice report PDF, read back with pypdf: marking, order, numbers, page numbering, hash."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from screening.checklists import Advice, DangerLevel, Ground, LbbAdvice
from screening.report import (
    MARKING,
    SECTION_TITLES,
    SHORT_HASH_LENGTH,
    AdviceReport,
    Finding,
    FindingSection,
    GroundConclusion,
    Party,
    PartyRelation,
    PartyRole,
    RegisterHit,
    ReportStatus,
    Weighing,
    canonical_content,
    render_advice_report,
    report_hash,
)
from screening.report.examples import example_report


def _read(pdf: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, [_norm(page.extract_text()) for page in reader.pages]


def _norm(text: str) -> str:
    # pypdf keeps no-break spaces; compare on plain spaces.
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def medium():
    report = example_report("medium")
    reader, pages = _read(render_advice_report(report))
    return report, reader, pages


def test_output_is_a_pdf_with_metadata(medium):
    report, reader, _ = medium
    meta = reader.metadata
    assert meta.title == f"Bibob-advies {report.reference}"
    assert meta.author == report.author
    assert "Bibob-adviesrapport" in meta.subject and MARKING in meta.subject
    assert report_hash(report) in meta.get("/Keywords", "")


def test_marking_and_page_numbers_on_every_page(medium):
    _, reader, pages = medium
    total = len(reader.pages)
    assert total >= 5
    for number, text in enumerate(pages, start=1):
        assert MARKING in text, f"pagina {number} mist de markering"
        assert "Vertrouwelijk (art. 28 Wet Bibob)" in text  # footer
        assert f"pagina {number} van {total}" in text


def test_short_hash_in_every_footer_and_full_hash_on_cover_and_last_page(medium):
    report, _, pages = medium
    digest = report_hash(report)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    for text in pages:
        assert f"document-hash {digest[:SHORT_HASH_LENGTH]}" in text
    assert digest in pages[0]
    assert digest in pages[-1]


def test_cover_page(medium):
    report, _, pages = medium
    cover = pages[0]
    for value in (report.reference, report.gemeente, report.permit_type, report.betrokkene, "14 maart 2025"):
        assert value in cover
    assert "Bibob-adviesrapport" in cover
    assert "Concept" in cover


def test_table_of_contents_lists_the_chapters_with_their_pages(medium):
    _, _, pages = medium
    toc = pages[1]
    assert "Inhoud" in toc
    body = "\n".join(pages[2:])
    for n, title in enumerate(SECTION_TITLES, start=1):
        match = re.search(rf"(?m)^{n}\. {re.escape(title)}[\s.]*?(\d+)$", toc)
        assert match, title
        page = int(match.group(1))
        assert f"{n}. {title}" in pages[page - 1], f"{title} staat niet op pagina {page}"
    assert "4.5. Financiering" in toc and "4.5. Financiering" in body


def test_sections_in_order_summary_first(medium):
    _, _, pages = medium
    body = "\n".join(pages[2:])
    positions = [body.index(f"{n}. {title}") for n, title in enumerate(SECTION_TITLES, start=1)]
    assert positions == sorted(positions)


def test_numbers_and_content_are_printed(medium):
    report, _, pages = medium
    text = "\n".join(pages)
    a = next(c for c in report.ground_conclusions if c.ground is Ground.A_GROND)
    assert re.search(rf"a-grond \(art\. 3 lid 1 sub a Wet Bibob\)\s*Ernstig gevaar\s*{a.score}", text)
    assert "€ 85.000,00" in text  # amount of a finding
    assert "€ 240.000" in text
    assert "Velvet Holding B.V." in text and "Aandeelhouder" in text
    assert "Bestuurder (voormalig)" in text  # S. de Groot, until 31-10-2024
    assert "REG-2019-0311" in text and "97,5" in text  # register hit with its match score
    assert "LBB-2025-0042" in text and "Vergewist (art. 3:9 Awb)" in text
    assert "Tijdsverloop" in text and "Evenredigheid (art. 3 lid 5 Wet Bibob)" in text
    assert "Advies: Weigeren" in text
    flat = re.sub(r"\s+", " ", text)
    for number, condition in enumerate(report.conditions, start=1):
        assert f"{number}. {condition[:40]}" in flat
    assert "Bron: Vragenformulier E01–E05; Bankafschrift ING 10/2024" in re.sub(r"\s+", " ", text)


def test_same_input_same_hash_and_same_bytes():
    a, b = example_report("medium"), example_report("medium")
    assert a == b and a is not b
    assert report_hash(a) == report_hash(b)
    assert render_advice_report(a) == render_advice_report(b)


def test_any_change_changes_the_hash():
    report = example_report("small")
    digest = report_hash(report)
    assert report_hash(replace(report, version=2)) != digest
    assert report_hash(replace(report, status=ReportStatus.DEFINITIEF)) != digest
    assert report_hash(replace(report, summary=report.summary + " ")) != digest
    assert report_hash(replace(report, conditions=("Extra voorschrift",))) != digest


def test_canonical_content_is_json_of_the_content():
    content = canonical_content(example_report("small")).decode("ascii")
    assert content.startswith('{"_type":"AdviceReport"')
    assert '"reference":"Z-2025-000123"' in content
    assert '"dated_on":"2025-03-14"' in content


def test_hash_printed_equals_hash_computed():
    report = example_report("small")
    _, pages = _read(render_advice_report(report))
    printed = re.search(r"document-hash ([0-9a-f]{12})", pages[-1]).group(1)
    full = re.search(r"Document-hash: ([0-9a-f]{64})", pages[-1]).group(1)
    assert full == report_hash(report) and printed == full[:12]


def test_definitief_has_no_concept_watermark():
    report = replace(example_report("small"), status=ReportStatus.DEFINITIEF)
    _, pages = _read(render_advice_report(report))
    assert "CONCEPT" not in pages[0]
    assert "Definitief versie 1" in pages[0]


def test_minimal_report_renders():
    report = AdviceReport(
        reference="Z-1",
        gemeente="Tynaarlo",
        permit_type="Verhuurvergunning arbeidsmigranten",
        betrokkene="A. Verhuurder",
        author="B",
        dated_on=date(2025, 1, 2),
        advice=Advice.VERLENEN,
    )
    _, pages = _read(render_advice_report(report))
    text = "\n".join(pages)
    assert "Er is geen advies van het Landelijk Bureau Bibob gevraagd." in text
    assert "Er zijn geen treffers in het risicoregister bevestigd." in text
    assert "Geen aanwijzingen voor gevaar" in text
    assert "pagina 1 van" in pages[0]


def test_lid6_and_art4_are_shown():
    report = replace(
        example_report("small"),
        art3_lid6=True,
        art3_lid6_motivation="Bankafschrift vervalst.",
        art4_refusal=True,
        advice=Advice.WEIGEREN,
    )
    text = "\n".join(_read(render_advice_report(report))[1])
    assert "Art. 3 lid 6 Wet Bibob." in text and "Bankafschrift vervalst." in text
    assert "Art. 4 lid 1 Wet Bibob." in text
    assert report.level is DangerLevel.ERNSTIG


HOSTILE = [
    "Emoji 😀🙈👍🏽 en 中文 en 한국어",
    "RTL: שלום עולם مرحبا بالعالم",
    "W" * 5000,
    "<b>vet</b> <para> & &amp; <img src='x'/> </font> ]]> <br/>",
    "\x00\x01\x07\x1b[31mrood\x7f\x9b",
    "\ud800 losse surrogaat \udfff",
    "\u202eomgekeerd\u202c \u200b\u200d\ufeff",
    "Ωμέγα Привет ǅ e\u0301 Ĳsselmeer ŁÓDŹ",
    "regel 1\nregel 2\r\nregel 3\ttab",
    "woord " * 20000,
    "",
    None,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_gives_a_valid_pdf(text):
    report = AdviceReport(
        reference=text,
        gemeente=text,
        permit_type=text,
        betrokkene=text,
        author=text,
        dated_on=date(2025, 1, 1),
        advice=Advice.VERLENEN_MET_VOORSCHRIFTEN,
        summary=text,
        aanleiding=text,
        legal_basis=text,
        checklist_key=text,
        bevoegd_gezag=text,
        parties=(Party(text, (PartyRelation(PartyRole.BESTUURDER, note=text),), identifier=text, note=text),),
        finding_sections=(FindingSection(text, (Finding(text, sources=(text,), indicator_code=text, weight=1),)),),
        register_hits=(RegisterHit(text, text, kind=text, source=text, explanation=text, confirmed_by=text),),
        lbb_advice=LbbAdvice(b_grond=DangerLevel.MINDERE_MATE, summary=text, reference=text, vergewis_note=text),
        weighing=Weighing(ernst=text, samenhang=text, tijdsverloop=text, evenredigheid=text, other=((text, text),)),
        ground_conclusions=(GroundConclusion(Ground.B_GROND, DangerLevel.MINDERE_MATE, 5, text),),
        rationale=(text,),
        advice_motivation=text,
        conditions=(text,),
    )
    pdf = render_advice_report(report)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader, pages = _read(pdf)
    for number, page_text in enumerate(pages, start=1):
        assert MARKING in page_text
        assert f"pagina {number} van {len(pages)}" in page_text
    assert report_hash(report) in pages[-1]


def test_none_where_lists_are_expected_is_tolerated():
    report = replace(
        example_report("small"),
        parties=None,
        conditions=None,
        rationale=None,
        finding_sections=(FindingSection("Financiering", None), FindingSection(None, (Finding(None, sources=None),))),
    )
    pdf = render_advice_report(report)
    assert pypdf.PdfReader(io.BytesIO(pdf)).pages


def test_markup_is_printed_literally():
    report = replace(example_report("small"), summary="Let op: <b>niet vet</b> & 5 < 6")
    text = "\n".join(_read(render_advice_report(report))[1])
    assert "Let op: <b>niet vet</b> & 5 < 6" in text


def test_characters_missing_from_the_font_become_a_replacement_mark():
    report = replace(example_report("small"), summary="Naam: 王小明 😀")
    text = "\n".join(_read(render_advice_report(report))[1])
    assert "Naam: \ufffd\ufffd\ufffd \ufffd" in text


def test_huge_report_renders_with_many_pages():
    report = example_report("huge")
    reader, pages = _read(render_advice_report(report))
    assert len(pages) > 20
    assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
    assert all(MARKING in p for p in pages)


def test_amount_and_percentage_formatting():
    report = replace(
        example_report("small"),
        parties=(
            Party(
                "Holding",
                (
                    PartyRelation(PartyRole.AANDEELHOUDER, percentage=Decimal("33.5")),
                    PartyRelation(PartyRole.VERMOGENSVERSCHAFFER, amount_eur=Decimal("1234567.8")),
                ),
                is_legal_entity=True,
            ),
        ),
    )
    text = "\n".join(_read(render_advice_report(report))[1])
    assert "33,5%" in text
    assert "€ 1.234.567,80" in re.sub(r"\s+", " ", text)
