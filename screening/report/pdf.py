"""Shared PDF machinery: fonts, safe text, styles, and a document template with header, footer,
"pagina X van Y", table of contents and PDF outline.

Text from users can be anything. ``para()`` turns any value into safe Paragraph markup: None becomes
empty, control characters and lone surrogates are removed, markup is escaped, characters the font
lacks become U+FFFD, over-long fields are cut with a visible marker, and words longer than a line
are split by the paragraph style (``splitLongWords``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 # escape() escapes our output for reportlab markup; nothing parses XML

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

FONT_DIR = Path(__file__).parent / "fonts"
_SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"

#: A single text field longer than this is cut: it bounds render time and keeps table rows on a page.
MAX_FIELD_CHARS = 20_000
MAX_CELL_CHARS = 1_500

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

BLUE = colors.HexColor("#154273")  # Rijkshuisstijl-like dark blue
RED = colors.HexColor("#A90061")
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#E8EEF4")
RULE = colors.HexColor("#B4C3D3")


@dataclass(frozen=True, slots=True)
class FontSet:
    regular: str
    bold: str
    coverage: frozenset[int]
    description: str


@cache
def fonts() -> FontSet:
    """Register the report fonts once per process.

    Prefer the DejaVu Sans shipped in this package (Latin Extended, Greek, Cyrillic, Hebrew, Arabic),
    then the system's, then reportlab's bundled Vera, finally Helvetica (Latin-1 only).
    """
    candidates = [
        (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf", "DejaVu Sans (meegeleverd)"),
        (_SYSTEM_DEJAVU / "DejaVuSans.ttf", _SYSTEM_DEJAVU / "DejaVuSans-Bold.ttf", "DejaVu Sans (systeem)"),
        (_REPORTLAB_FONTS / "Vera.ttf", _REPORTLAB_FONTS / "VeraBd.ttf", "Bitstream Vera"),
    ]
    for regular_path, bold_path, description in candidates:
        if not (regular_path.is_file() and bold_path.is_file()):
            continue
        try:
            regular = TTFont("BarrierSans", str(regular_path))
            bold = TTFont("BarrierSans-Bold", str(bold_path))
        except Exception:  # noqa: BLE001, S112 - a damaged font file: try the next candidate  # nosec B112
            continue
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(
            "BarrierSans",
            normal="BarrierSans",
            bold="BarrierSans-Bold",
            italic="BarrierSans",
            boldItalic="BarrierSans-Bold",
        )
        # Only the Basic Multilingual Plane: reportlab writes astral characters (emoji) into the ToUnicode
        # map in a form PDF readers reject, which breaks copying and searching the text.
        coverage = frozenset(c for c in regular.face.charToGlyph if c <= 0xFFFF) & frozenset(bold.face.charToGlyph)
        return FontSet("BarrierSans", "BarrierSans-Bold", coverage, description)
    latin1 = frozenset(range(0x20, 0x7F)) | frozenset(range(0xA0, 0x100))
    return FontSet("Helvetica", "Helvetica-Bold", latin1, "Helvetica")


# C0/C1 controls except tab and newline, lone surrogates, non-characters, and the bidi embedding and
# override controls: reportlab lays text out left to right anyway, and in metadata they could make a
# title read differently from what it says.
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_REPLACEMENT = "\ufffd"


def clean(value: Any, *, limit: int = MAX_FIELD_CHARS) -> str:
    """Any value as printable text in the report font (no markup escaping)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _BAD_CHARS.sub("", text)
    text = unicodedata.normalize("NFC", text).replace("€ ", "€\u00a0")  # keep "€ 85.000" on one line
    if len(text) > limit:
        text = text[:limit] + " … [ingekort]"
    coverage = fonts().coverage
    replacement = _REPLACEMENT if ord(_REPLACEMENT) in coverage else "?"
    # Characters the font lacks would print as empty boxes or nothing; a visible marker is honest.
    return "".join(ch if ch == "\n" or ord(ch) in coverage else replacement for ch in text)


def para(value: Any, *, limit: int = MAX_FIELD_CHARS) -> str:
    """Safe Paragraph markup for any value: escaped, cleaned, newlines as line breaks."""
    return escape(clean(value, limit=limit)).replace("\n", "<br/>")


def plain(value: Any, *, limit: int = 300) -> str:
    """Cleaned text on one line, for metadata, outline entries, header and footer."""
    return " ".join(clean(value, limit=limit).split())


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def fit(text: str, font: str, size: float, width: float) -> str:
    """Cut *text* with an ellipsis so it is at most *width* points wide (for single-line header/footer)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits together with the ellipsis
        mid = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def format_date(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_date_short(value: date | None) -> str:
    return "—" if value is None else value.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    marking: ParagraphStyle
    bullet: ParagraphStyle


@cache
def styles() -> Styles:
    f = fonts()
    base = ParagraphStyle(
        "body",
        fontName=f.regular,
        fontSize=9.5,
        leading=13.5,
        spaceAfter=4,
        alignment=TA_LEFT,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=GREY, spaceAfter=2),
        cell=ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        cell_bold=ParagraphStyle("cell_bold", parent=base, fontName=f.bold, fontSize=8.5, leading=11, spaceAfter=0),
        h1=ParagraphStyle(
            "h1",
            parent=base,
            fontName=f.bold,
            fontSize=14,
            leading=18,
            textColor=BLUE,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=base,
            fontName=f.bold,
            fontSize=11,
            leading=14,
            textColor=BLUE,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        title=ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=24, leading=30, textColor=BLUE),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=13, leading=17, textColor=GREY, spaceAfter=14),
        marking=ParagraphStyle(
            "marking",
            parent=base,
            fontName=f.bold,
            fontSize=12,
            leading=16,
            textColor=RED,
            spaceAfter=2,
        ),
        bullet=ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3),
    )


class Heading(Paragraph):
    """A heading that lands in the table of contents and the PDF outline."""

    def __init__(self, text: str, level: int, *, number: str = "", toc: bool = True):
        s = styles()
        label = f"{number} {plain(text)}".strip()
        super().__init__(escape(label), s.h1 if level == 0 else s.h2)
        self.toc_text = label
        self.toc_level = level
        self.in_toc = toc


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header: bool = True,
    first_col_bold: bool = False,
) -> Table:
    """A table whose cells are wrapped, escaped paragraphs (cut at MAX_CELL_CHARS so a row fits a page)."""
    s = styles()
    data = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            style = s.cell_bold if (header and r == 0) or (first_col_bold and c == 0) else s.cell
            cells.append(value if isinstance(value, Flowable) else Paragraph(para(value, limit=MAX_CELL_CHARS), style))
        data.append(cells)
    t = Table(data, colWidths=list(col_widths), repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    t.setStyle(TableStyle(commands))
    return t


@dataclass(frozen=True)
class PageChrome:
    """What every page repeats (already cleaned, plain text)."""

    header_left: str
    header_right: str
    footer_left: str
    footer_left_2: str = ""
    footer_right_prefix: str = "pagina"
    watermark: str | None = None


def _canvas_class(chrome: PageChrome) -> type[Canvas]:
    f = fonts()

    class NumberedCanvas(Canvas):
        """Defers each page so the footer can say "pagina X van Y" once Y is known."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.toc_entries: list[tuple[int, str, int, str]] = []  # (level, text, page, bookmark key)
            self.toc_slot: tuple[int, float, float, float, float] | None = None  # (page, x, y, w, h)

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            slot, entries = self.toc_slot, list(self.toc_entries)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if slot is not None and slot[0] == number:
                    _draw_toc(self, entries, *slot[1:])
                self._draw_chrome(number, total)
                super().showPage()
            super().save()

        def _draw_chrome(self, number: int, total: int) -> None:
            self.saveState()
            top = PAGE_HEIGHT - 13 * mm
            self.setFont(f.bold, 8.5)
            self.setFillColor(RED)
            self.drawString(MARGIN_LEFT, top, chrome.header_left)
            left_width = pdfmetrics.stringWidth(chrome.header_left, f.bold, 8.5)
            self.setFont(f.regular, 8.5)
            self.setFillColor(GREY)
            room = CONTENT_WIDTH - left_width - 8 * mm
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top, fit(chrome.header_right, f.regular, 8.5, room))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN_LEFT, top - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 2.5 * mm)
            bottom = 10 * mm
            self.line(MARGIN_LEFT, bottom + 7.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, bottom + 7.5 * mm)
            page_label = f"{chrome.footer_right_prefix} {number} van {total}"
            room = CONTENT_WIDTH - pdfmetrics.stringWidth(page_label, f.bold, 8) - 8 * mm
            self.setFont(f.regular, 7.5)
            self.drawString(MARGIN_LEFT, bottom + 3.5 * mm, fit(chrome.footer_left, f.regular, 7.5, room))
            if chrome.footer_left_2:
                self.drawString(MARGIN_LEFT, bottom, fit(chrome.footer_left_2, f.regular, 7.5, room))
            self.setFont(f.bold, 8)
            self.setFillColor(colors.black)
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, bottom + 3.5 * mm, page_label)
            self.restoreState()

    return NumberedCanvas


class _DocTemplate(BaseDocTemplate):
    def __init__(self, buffer: BytesIO, chrome: PageChrome, **kwargs: Any):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            invariant=1,
            lang="nl-NL",
            creator="Barrier",
            **kwargs,
        )
        self.chrome = chrome
        # No frame padding: tables of CONTENT_WIDTH then line up with the header and footer rules.
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._watermark)])
        self._outline_keys = 0

    def _watermark(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        if not self.chrome.watermark:
            return
        canv.saveState()
        canv.setFont(fonts().bold, 90)
        canv.setFillColor(colors.Color(0.85, 0.1, 0.35, alpha=0.07))
        canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canv.rotate(45)
        canv.drawCentredString(0, -30, self.chrome.watermark)
        canv.restoreState()

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab API
        if isinstance(flowable, Heading):
            self._outline_keys += 1
            key = f"h{self._outline_keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level, closed=False)
            if flowable.in_toc and hasattr(self.canv, "toc_entries"):
                self.canv.toc_entries.append((flowable.toc_level, flowable.toc_text, self.page, key))

    def handle_documentBegin(self) -> None:  # noqa: N802 - reportlab API
        self._outline_keys = 0
        super().handle_documentBegin()


class TocPlaceholder(Flowable):
    """Reserves the rest of the page for the table of contents.

    The entries are drawn when the canvas is saved, once every heading's page is known, so the
    document is laid out in one pass instead of multiBuild's two or more (half the render time).
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._size = (avail_width, avail_height)
        return avail_width, avail_height - 1

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        width, height = self._size
        if hasattr(canvas, "toc_slot"):
            canvas.toc_slot = (canvas.getPageNumber(), x, y, width, height)

    def draw(self) -> None:  # pragma: no cover - drawOn does the work
        pass


_TOC_LEVELS = ((10.0, 17.0, 0.0), (9.0, 13.5, 8 * mm))  # (font size, leading, indent) per level


def _draw_toc(canvas: Canvas, entries: list[tuple[int, str, int, str]], x: float, y: float, w: float, h: float) -> None:
    f = fonts()
    lines_needed = sum(_TOC_LEVELS[min(level, 1)][1] for level, *_ in entries)
    if lines_needed > h:
        entries = [e for e in entries if e[0] == 0]  # too many: chapters only
    top = y + h
    for level, text, page, key in entries:
        size, leading, indent = _TOC_LEVELS[min(level, 1)]
        top -= leading
        if top < y:
            break
        canvas.setFont(f.regular, size)
        canvas.setFillColor(colors.black if level == 0 else GREY)
        number = str(page)
        number_width = pdfmetrics.stringWidth(number, f.regular, size)
        room = w - indent - number_width - 6 * mm
        label = fit(text, f.regular, size, room)
        canvas.drawString(x + indent, top, label)
        dots_start = x + indent + pdfmetrics.stringWidth(label, f.regular, size) + 2 * mm
        dots_end = x + w - number_width - 2 * mm
        dot = pdfmetrics.stringWidth(". ", f.regular, size)
        if dots_end > dots_start:
            canvas.drawString(dots_start, top, ". " * int((dots_end - dots_start) / dot))
        canvas.drawRightString(x + w, top, number)
        canvas.linkRect("", key, (x, top - 3, x + w, top + size), relative=0, thickness=0)


def build(
    story: list[Any],
    chrome: PageChrome,
    *,
    title: str,
    author: str,
    subject: str,
    keywords: str = "",
) -> bytes:
    """Lay out *story* in one pass and return the PDF bytes (deterministic: reportlab's invariant mode)."""
    buffer = BytesIO()
    doc = _DocTemplate(
        buffer,
        chrome,
        title=plain(title),
        author=plain(author),
        subject=plain(subject),
        keywords=plain(keywords),
    )
    canvasmaker: Callable[..., Canvas] = _canvas_class(chrome)
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
