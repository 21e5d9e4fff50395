"""A plain document (e.g. an inspection report) in the same house style as the advice report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from screening.report.pdf import (
    CONTENT_WIDTH,
    Heading,
    PageChrome,
    build,
    format_date,
    format_date_short,
    para,
    plain,
    styles,
    table,
)


@dataclass(frozen=True, slots=True)
class SimpleSection:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    #: A table; the first row is the header.
    rows: tuple[tuple[Any, ...], ...] = ()


def render_simple_document(
    title: str,
    sections: Sequence[SimpleSection],
    *,
    subtitle: str | None = None,
    reference: str | None = None,
    author: str | None = None,
    dated_on: date | None = None,
    marking: str | None = None,
) -> bytes:
    """Render a titled document of sections (paragraphs, bullets, a table) to PDF bytes.

    *marking* (e.g. "Vertrouwelijk") is repeated in the header of every page; the footer carries
    date, author and "pagina X van Y". Any text is accepted, as in the advice report.
    """
    s = styles()
    story: list[Any] = [Paragraph(para(title), s.title)]
    if plain(subtitle):
        story.append(Paragraph(para(subtitle), s.subtitle))
    facts = [bit for bit in (plain(reference), format_date(dated_on) if dated_on else "", plain(author)) if bit]
    if facts:
        story.append(Paragraph(para(" · ".join(facts)), s.small))
    story.append(Spacer(1, 4 * mm))
    for number, section in enumerate(sections or (), start=1):
        story.append(Heading(plain(section.heading) or "Onderdeel", 0, number=f"{number}."))
        for text in section.paragraphs or ():
            story.append(Paragraph(para(text), s.body))
        if section.bullets:
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(para(b), s.body), leftIndent=12, value="•") for b in section.bullets],
                    bulletType="bullet",
                    start="•",
                    leftIndent=12,
                )
            )
        rows = [tuple(r) for r in section.rows or () if r]
        if rows:
            columns = max(len(r) for r in rows)
            rows = [r + ("",) * (columns - len(r)) for r in rows]
            story.append(table(rows, [CONTENT_WIDTH / columns] * columns))
            story.append(Spacer(1, 2 * mm))
    footer = " · ".join(
        bit for bit in (format_date_short(dated_on) if dated_on else "", plain(author, limit=80)) if bit
    )
    chrome = PageChrome(
        header_left=plain(marking, limit=80) or plain(title, limit=80),
        header_right=plain(reference, limit=80),
        footer_left=footer,
    )
    return build(story, chrome, title=title, author=plain(author) or "Barrier", subject=plain(subtitle) or plain(title))
