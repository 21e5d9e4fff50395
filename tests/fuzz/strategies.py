"""Hypothesis strategies for hostile form input: what a careless, malicious or broken client sends.

Every value is a string (that is all a form post carries); "wrong types" are strings that are not
what the field expects (letters in a number, impossible dates, 1e309), repeated keys are lists,
and a missing field is left out of the post.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Markers that must never come back unescaped in an HTML page.
XSS_MARKERS = ('<script>alert("barrier")</script>', '"><img src=x onerror=alert("barrier")>')

HOSTILE = [
    *XSS_MARKERS,
    "<b>vet</b>", "javascript:alert(1)", "{{ 7*7 }}", "{% raw %}", "${7*7}", "%s%s%s%n",
    "' OR '1'='1' --", "'; DROP TABLE applications; --", "1; SELECT pg_sleep(5)", "\\", "\\x00", "%00",
    "../../../../etc/passwd", "C:\\Windows\\win.ini", "=HYPERLINK(\"http://x\")", "@SUM(1+1)", "+31 6 12345678",
    "\x00", "a\x00b", "\x1b[31mrood", "\x07\x08\x0b\x0c", "\r\n\r\nX-Injected: 1", "\u202eevil", "\ufeffBOM",
    "\u200b", "Ĳsselmeer", "Müller-Lüdenscheidt", "Łukasz Wiśniewski", "Ștefan", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "😀" * 50, "ﷺ",
    " ", "\t\n", "", "0", "-1", "-0", "1e309", "NaN", "inf", "9" * 40, "0x10", "1,5", "1.000.000", "١٢٣",
    "2024-02-30", "0000-00-00", "9999-12-31", "1899-12-31", "31-12-2024", "2024-13-01", "today",
    "true", "false", "null", "None", "[]", "{}", "y", "on",
]


def _text() -> st.SearchStrategy[str]:
    # Lone surrogates cannot be encoded in a form post at all; everything else can.
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


def long_text() -> st.SearchStrategy[str]:
    """Oversized: up to 100,000 characters (forms allow 200 to 20,000)."""
    return st.builds(lambda unit, n: (unit * n)[:100_000],
                     st.sampled_from(["A", "é", "<>", "'\"", "😀", "1"]), st.integers(300, 100_000))


def scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        _text(),
        long_text(),
        st.integers(-(10**20), 10**20).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.dates().map(lambda d: d.isoformat()),
    )


MISSING = object()


def field_value(original: list[str]) -> st.SearchStrategy:
    """For one field: leave it out, keep what the page had, a hostile scalar, or repeat the key."""
    keep = [st.just(list(original))] if original else []
    return st.one_of(
        st.just(MISSING),
        *keep,
        scalar().map(lambda v: [v]),
        st.lists(scalar(), min_size=2, max_size=3),
    )


def upload() -> st.SearchStrategy[tuple[bytes, str]]:
    """A file: random bytes, or bytes that start like a PDF/JPEG/PNG; with a hostile name."""
    heads = st.sampled_from([b"", b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"<html><script>", b"MZ\x90\x00"])
    names = st.one_of(st.sampled_from([
        "scan.pdf", "../../etc/passwd", "a\x00b.pdf", "<script>.pdf", "con.pdf", "x" * 600 + ".pdf", "", ".pdf",
        "rapport.pdf.exe", "foto.JPG",
    ]), _text())
    return st.tuples(st.builds(lambda head, body: head + body, heads, st.binary(max_size=2048)), names)
