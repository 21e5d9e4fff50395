"""Importing register entries from CSV or XLSX: read, map columns, dry run, all-or-nothing commit.

The same service runs behind the upload wizard and the ``register-import`` CLI command.

* **Reading.** The encoding is detected, not assumed: a UTF-8 or UTF-16 BOM decides; otherwise
  the whole file must decode as UTF-8, else it is read as Windows-1252 (what Dutch Excel writes
  as "CSV (gescheiden door lijstscheidingsteken)") and the report says so; a file that is neither
  is refused. The delimiter (``;`` ``,`` tab ``|``) is taken from the header line. XLSX is read
  with openpyxl (first sheet, read-only).
* **Dry run.** Every row is checked with the field validators of ``forms.validators`` and the
  entry rules of ``services.entity_problems``; every invalid row is reported with its line
  number and a Dutch reason. Nothing is written.
* **Commit.** Only a file without errors is committed, inside the caller's single transaction:
  batched bulk inserts and updates (by external id), then one new register version. Killed
  half-way, the transaction rolls back: no entry and no version of the import remain. A staging
  table swapped in at the end would only pay off if the import had to commit in parts; one
  transaction is simpler and keeps readers on the previous version until the commit (MVCC on
  PostgreSQL, WAL on SQLite).
* **Hostile content.** Text that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``,
  tab, CR) is stored neutralised with a leading apostrophe (OWASP CSV injection) and reported as
  a warning; oversized fields (10 MB) are refused with their length, never echoed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from sqlalchemy import bindparam, insert, select, update

from barrier import audit
from barrier.db import db, utcnow
from barrier.models import Gemeente, User
from barrier.models.register import (
    Confidentiality,
    EntityKind,
    ImportStatus,
    RegisterImport,
    RegisterSource,
    RiskEntity,
)
from barrier.register.services import (
    FIELD_LIMITS,
    EntityData,
    bump_version,
    column_values,
    entity_problems,
    register_name,
    serialise_register_writes,
)
from forms.validators import (
    InvalidValue,
    clean_bsn,
    clean_house_number,
    clean_house_number_suffix,
    clean_kvk,
    clean_postcode,
)

#: Rows per INSERT/UPDATE batch and per lookup of existing external ids.
BATCH = 2000
#: Errors and warnings kept in the stored report (the CLI prints them all).
MAX_LISTED = 1000
#: The csv module refuses fields over 128 KiB by default; we read them and report their length.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[ImportField, ...] = (
    ImportField("external_id", "Extern id", ("id", "extern id", "externe id", "external id", "registratienummer",
                                             "kenmerk", "referentie")),
    ImportField("kind", "Soort (persoon, organisatie, adres)", ("soort", "type", "kind", "entiteit", "categorie")),
    ImportField("given_names", "Voornamen", ("voornaam", "voornamen", "given names", "first name", "firstname")),
    ImportField("surname_prefix", "Tussenvoegsel", ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix")),
    ImportField("surname", "Achternaam", ("achternaam", "geslachtsnaam", "surname", "last name", "lastname")),
    ImportField("birth_date", "Geboortedatum", ("geboortedatum", "geb datum", "geboren", "date of birth", "dob",
                                                "birth date", "birthdate")),
    ImportField("nationality", "Nationaliteit", ("nationaliteit", "nationality")),
    ImportField("bsn", "BSN", ("bsn", "burgerservicenummer")),
    ImportField("name", "Naam organisatie", ("naam organisatie", "organisatie", "organisatienaam", "statutaire naam",
                                             "bedrijfsnaam", "bedrijf", "handelsnaam", "company", "naam", "name")),
    # Beside a statutory name: the names the company trades under (Handelsregisterbesluit art. 9),
    # separated by ";" or ",". They are screened too ("X B.V. h.o.d.n. Y").
    ImportField("trade_names", "Handelsnamen", ("handelsnamen", "handelsnaam", "tevens handelend onder",
                                                "hodn", "trade names", "trade name")),
    ImportField("legal_form", "Rechtsvorm", ("rechtsvorm", "legal form")),
    ImportField("kvk_number", "KvK-nummer", ("kvk", "kvk nummer", "kvknummer", "kvk nr", "coc", "handelsregister")),
    ImportField("street", "Straat", ("straat", "straatnaam", "street", "adres")),
    ImportField("house_number", "Huisnummer", ("huisnummer", "huisnr", "nr", "nummer", "house number")),
    ImportField("house_number_suffix", "Toevoeging", ("toevoeging", "huisletter", "huisnummertoevoeging", "suffix")),
    ImportField("postcode", "Postcode", ("postcode", "zip", "postal code", "pc")),
    ImportField("city", "Plaats", ("plaats", "woonplaats", "vestigingsplaats", "city", "stad")),
    ImportField("country", "Land", ("land", "landcode", "country")),
    ImportField("source", "Bron", ("bron", "source", "herkomst")),
    ImportField("reason", "Reden", ("reden", "reden opname", "omschrijving", "toelichting", "reason", "grond")),
    ImportField("gemeente", "Gemeente (CBS-code of naam)", ("gemeente", "gemeentecode", "cbs code", "cbs",
                                                            "registrerende gemeente")),
    ImportField("recorded_on", "Registratiedatum", ("registratiedatum", "datum registratie", "datum", "recorded on",
                                                    "opgenomen op")),
    ImportField("valid_until", "Geldig tot", ("geldig tot", "einddatum", "vervaldatum", "valid until", "tot")),
    ImportField("confidentiality", "Vertrouwelijkheid", ("vertrouwelijkheid", "vertrouwelijkheidsniveau",
                                                         "confidentiality", "niveau")),
)
FIELD_LABELS = {f.key: f.label for f in FIELDS}
TEXT_FIELDS = ("external_id", "given_names", "surname_prefix", "surname", "nationality", "name", "legal_form",
               "street", "city", "reason")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file cannot be read at all; the message is Dutch."""


class ImportRefused(Exception):
    """The file has errors: nothing was imported."""

    def __init__(self, report: ImportReport):
        super().__init__("Het bestand bevat fouten; er is niets geïmporteerd.")
        self.report = report


# --- reading ------------------------------------------------------------------------------------

@dataclass
class Table:
    """A readable file: its headers and a fresh iterator over (line number, cells) per call."""

    file_format: str
    encoding: str
    delimiter: str
    headers: list[str]
    row_estimate: int
    ends_with_newline: bool
    _rows: Callable[[], Iterator[tuple[int, list[str]]]]
    notes: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self._rows()


def _clean_header(value: Any) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\ufeff", "").split())


def _detect_encoding(fh: IO[bytes]) -> tuple[str, str, list[str]]:
    """(codec, label, notes) of a text file; raises ImportFileError for unknown encodings."""
    fh.seek(0)
    head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        _check_decodes(fh, "utf-8-sig", "UTF-8")
        return "utf-8-sig", "UTF-8 (met BOM)", []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _check_decodes(fh, "utf-16", "UTF-16")
        return "utf-16", "UTF-16", []
    fh.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        while chunk := fh.read(1 << 20):
            if b"\x00" in chunk:
                raise ImportFileError("Dit is geen tekstbestand (CSV): het bevat binaire gegevens. "
                                      "Kies een CSV-bestand of een Excel-bestand (.xlsx).")
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
        return "utf-8", "UTF-8", []
    except UnicodeDecodeError:
        pass
    fh.seek(0)
    decoder = codecs.getincrementaldecoder("cp1252")()
    position = 0
    try:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
            position += len(chunk)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"De tekenset van het bestand is onbekend: het is geen UTF-8 en geen Windows-1252 "
            f"(onleesbare byte 0x{error.object[error.start]:02X} rond positie {position + error.start + 1:,}). "
            "Sla het bestand op als 'CSV UTF-8' en probeer het opnieuw.".replace(",", ".")) from error
    return "cp1252", "Windows-1252 (ANSI)", [
        "Het bestand is geen UTF-8; het is gelezen als Windows-1252 (ANSI), zoals Excel dat opslaat. "
        "Controleer in het rapport of letters als ë, é en ç goed zijn overgekomen."]


def _check_decodes(fh: IO[bytes], codec: str, label: str) -> None:
    """A file whose BOM names its encoding must decode to the end (found by fuzzing: a UTF-16 file
    cut off in the middle of a character, or UTF-8 with a BOM and bytes that are no UTF-8, raised
    UnicodeDecodeError while reading the rows)."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    position = 0
    try:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
            position += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"Het bestand is als {label} opgeslagen maar is rond positie {position + error.start + 1:,} onleesbaar: "
            "het lijkt halverwege afgebroken of beschadigd; er is niets geïmporteerd. "
            "Sla het opnieuw op als 'CSV UTF-8' en probeer het nog eens.".replace(",", ".")) from error


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _open_csv(path_or_bytes: Path | bytes) -> Table:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))

    def open_binary() -> IO[bytes]:
        return io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb")  # noqa: SIM115

    with open_binary() as fh:
        codec, label, notes = _detect_encoding(fh)
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 2))
        tail = fh.read()
        fh.seek(0)
        newline_count = 0
        while chunk := fh.read(1 << 20):
            newline_count += chunk.count(b"\n")
    ends_with_newline = tail.endswith((b"\n", b"\r", b"\n\x00"))
    if size == 0:
        raise ImportFileError("Het bestand is leeg.")

    def text_stream() -> io.TextIOWrapper:
        return io.TextIOWrapper(open_binary(), encoding=codec, newline="")

    with text_stream() as stream:
        first = stream.readline()
    delimiter = _sniff_delimiter(first)

    def iterate() -> Iterator[tuple[int, list[str]]]:
        with text_stream() as stream:
            reader = csv.reader(stream, delimiter=delimiter, strict=True)
            last_line = 0
            while True:
                start = last_line + 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise ImportFileError(_csv_error_message(str(error), start)) from error
                last_line = reader.line_num
                yield start, row

    rows = iterate()
    headers: list[str] = []
    for _line, row in rows:
        if any(cell.strip() for cell in row):
            headers = [_clean_header(h) for h in row]
            break
    rows.close()
    if not headers:
        raise ImportFileError("Het bestand bevat geen kopregel met kolomnamen.")

    def data_rows() -> Iterator[tuple[int, list[str]]]:
        iterator = iterate()
        for _line, row in iterator:  # skip to and past the header
            if any(cell.strip() for cell in row):
                break
        yield from iterator

    return Table("csv", label, {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}[delimiter],
                 headers, max(0, newline_count - 1), ends_with_newline, data_rows, notes)


def _csv_error_message(error: str, line: int) -> str:
    if "unexpected end of data" in error or "EOF" in error:
        return (f"Het bestand houdt midden in een veld op (regel {line}): een aanhalingsteken wordt niet gesloten. "
                "Het bestand lijkt halverwege afgebroken of onvolledig opgeslagen; er is niets geïmporteerd.")
    return f"Het bestand is beschadigd bij regel {line} ({error}); er is niets geïmporteerd."


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(path_or_bytes: Path | bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def workbook():
        source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
        try:
            return load_workbook(source, read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError) as error:
            raise ImportFileError("Het Excel-bestand is beschadigd of onvolledig (halverwege opgeslagen of afgebroken?). "
                                  "Open het in Excel, sla het opnieuw op en probeer het nog eens.") from error

    wb = workbook()
    try:
        sheet = wb.worksheets[0]
        estimate = max(0, (sheet.max_row or 1) - 1)
        headers: list[str] = []
        header_row = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(_cell_text(c).strip() for c in row):
                headers, header_row = [_clean_header(c) for c in row], number
                break
    except (zipfile.BadZipFile, KeyError, EOFError, ValueError) as error:
        raise ImportFileError("Het Excel-bestand is beschadigd of onvolledig.") from error
    finally:
        wb.close()
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError("Het eerste werkblad heeft geen kopregel met kolomnamen.")

    def data_rows() -> Iterator[tuple[int, list[str]]]:
        book = workbook()
        try:
            for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                if number <= header_row:
                    continue
                cells = [_cell_text(c) for c in row]
                while len(cells) > len(headers) and not cells[-1]:
                    cells.pop()
                yield number, cells
        except (zipfile.BadZipFile, KeyError, EOFError) as error:
            raise ImportFileError("Het Excel-bestand is beschadigd of onvolledig.") from error
        finally:
            book.close()

    return Table("xlsx", "Excel (.xlsx)", "", headers, estimate, True, data_rows)


def open_table(path_or_bytes: Path | bytes, filename: str = "") -> Table:
    """Open an uploaded file: XLSX by its content (zip signature), otherwise CSV."""
    if isinstance(path_or_bytes, bytes):
        head = path_or_bytes[:4]
    else:
        with open(path_or_bytes, "rb") as fh:
            head = fh.read(4)
    if head.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        if not head.startswith(b"PK"):
            raise ImportFileError("Dit is geen geldig Excel-bestand (.xlsx).")
        return _open_xlsx(path_or_bytes)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("Oude Excel-bestanden (.xls) worden niet gelezen: sla het op als .xlsx of als CSV UTF-8.")
    return _open_csv(path_or_bytes)


# --- mapping ------------------------------------------------------------------------------------

def _norm_header(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.split(r"[^a-z0-9]+", folded)).strip()


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Target field -> file column, from the column names (exact key, label or a Dutch synonym)."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(_norm_header(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS:
        for candidate in (f.key, f.label, *f.synonyms):
            header = by_norm.get(_norm_header(candidate))
            if header and header not in used:
                mapping[f.key] = header
                used.add(header)
                break
    return mapping


def parse_mapping_option(value: str | None, headers: list[str]) -> dict[str, str]:
    """The CLI's ``--mapping``: a JSON file or ``veld=Kolom,veld=Kolom``; fields by key or label."""
    if not value:
        return suggest_mapping(headers)
    path = Path(value)
    if path.suffix.lower() == ".json" and path.exists():
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ImportFileError("Het koppelingsbestand moet een JSON-object zijn: {\"surname\": \"Achternaam\", ...}.")
        pairs = [(str(k), str(v)) for k, v in raw.items()]
    else:
        pairs = []
        for part in value.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise ImportFileError(f"Koppeling '{part.strip()}' heeft de vorm veld=Kolom.")
            key, column = part.split("=", 1)
            pairs.append((key.strip(), column.strip()))
    keys = {_norm_header(f.key): f.key for f in FIELDS} | {_norm_header(f.label): f.key for f in FIELDS}
    mapping = {}
    for key, column in pairs:
        target = keys.get(_norm_header(key))
        if target is None:
            raise ImportFileError(f"Onbekend veld '{key}' in de koppeling. Velden: {', '.join(f.key for f in FIELDS)}.")
        mapping[target] = column
    return mapping


@dataclass(frozen=True)
class Defaults:
    """Values for rows that leave a field empty, chosen in the wizard (or CLI options)."""

    source: str = ""
    confidentiality: str = Confidentiality.BIBOB_COORDINATOREN.value
    gemeente_id: int | None = None
    reason: str = ""
    kind: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Defaults:
        data = data or {}
        return cls(**{k: data[k] for k in ("source", "confidentiality", "gemeente_id", "reason", "kind") if k in data})


# --- validation ---------------------------------------------------------------------------------

@dataclass
class Problem:
    line: int
    column: str
    message: str

    def as_text(self) -> str:
        where = f"regel {self.line}" if self.line else "bestand"
        return f"{where}{(' · ' + self.column) if self.column else ''}: {self.message}"


@dataclass
class ImportReport:
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    unused_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    to_create: int = 0
    to_update: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.invalid == 0 and self.valid > 0

    def add_error(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(problem)

    def add_warning(self, problem: Problem) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(problem)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> ImportReport:
        data = dict(data or {})
        data.pop("ok", None)
        errors = [Problem(**p) for p in data.pop("errors", [])]
        warnings = [Problem(**p) for p in data.pop("warnings", [])]
        report = cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        report.errors, report.warnings = errors, warnings
        return report


_KINDS = {
    EntityKind.PERSON: ("persoon", "p", "np", "natuurlijk persoon", "person", "individu"),
    EntityKind.ORGANISATION: ("organisatie", "o", "rp", "rechtspersoon", "bedrijf", "onderneming", "organisation",
                              "company", "personenvennootschap"),
    EntityKind.ADDRESS: ("adres", "a", "address", "locatie", "pand", "object"),
}
_SOURCES = {
    RegisterSource.BIBOB_BESLUIT: ("bibob", "bibob besluit", "eigen bibob besluit", "bibob beschikking"),
    RegisterSource.VERGUNNING_GEWEIGERD: ("weigering", "intrekking", "geweigerd", "ingetrokken", "vergunning geweigerd",
                                          "geweigerde vergunning", "geweigerde of ingetrokken vergunning",
                                          "geweigerde of ingetrokken vergunning regio"),
    RegisterSource.RIEC_SIGNAAL: ("riec", "riec signaal", "signaal"),
    RegisterSource.FAILLISSEMENT: ("faillissement", "failliet", "cir", "insolventie"),
    RegisterSource.SANCTIELIJST: ("sanctie", "sancties", "sanctielijst", "sanctions", "eu sanctielijst"),
    RegisterSource.INSPECTIE: ("inspectie", "toezicht", "inspectiebevinding", "bevinding bij inspectie"),
}
_LEVELS = {
    Confidentiality.REGIONAAL: ("regionaal", "regio", "regional"),
    Confidentiality.BIBOB_COORDINATOREN: ("bibob coordinatoren", "alleen bibob coordinatoren", "bibob", "coordinatoren"),
    Confidentiality.EIGEN_GEMEENTE: ("eigen gemeente", "alleen eigen gemeente", "gemeente", "eigen"),
}


def _index(table: dict) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for member, names in table.items():
        for name in (member.value, member.label, *names):
            found.setdefault(_norm_header(name), member)
    return found


@lru_cache(maxsize=4096)
def _lookup_cached(kind: str, value: str) -> Any:
    return _LOOKUPS[kind].get(_norm_header(value))


def _lookup(table: dict, value: str) -> Any:
    """The enum member a cell names (value, Dutch label or synonym); cached, cells repeat a lot."""
    return _lookup_cached(_TABLE_NAMES[id(table)], value[:100])


_LOOKUPS = {"kind": _index(_KINDS), "source": _index(_SOURCES), "level": _index(_LEVELS)}
_TABLE_NAMES = {id(_KINDS): "kind", id(_SOURCES): "source", id(_LEVELS): "level"}

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%d-%m-%y", "%Y-%m-%d %H:%M:%S",
                 "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str) -> date:
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        if fmt == "%d-%m-%y" and parsed.year > date.today().year:  # noqa: DTZ011
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed.date()
    raise InvalidValue(f"'{text[:40]}' is geen geldige datum (gebruik dd-mm-jjjj of jjjj-mm-dd).")


def neutralise(text: str) -> tuple[str, bool]:
    """Prefix text that a spreadsheet would execute as a formula with an apostrophe (OWASP)."""
    if text.startswith(FORMULA_START) and not text.startswith("'"):
        return "'" + text, True
    return text, False


def _strip_controls(text: str) -> str:
    if text.isprintable():
        return text.strip()
    return "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")).strip()


_HOUSE = re.compile(r"^(\d{1,5})\s*[-/]?\s*([A-Za-z0-9]{1,4})?$")


class _Gemeenten:
    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        for g in db.session.scalars(select(Gemeente)):
            self.by_key[g.cbs_code.lower()] = g.id
            self.by_key[g.cbs_code[2:]] = g.id
            self.by_key[g.cbs_code[2:].lstrip("0")] = g.id
            self.by_key[_norm_header(g.name)] = g.id

    def find(self, value: str) -> int | None:
        text = value.strip()
        return self.by_key.get(text.lower()) or self.by_key.get(_norm_header(text))


class RowParser:
    """Turns the cells of one row into EntityData, or a list of problems."""

    def __init__(self, headers: list[str], mapping: dict[str, str], defaults: Defaults, today: date):
        self.width = len(headers)
        self.today = today
        self.defaults = defaults
        self.gemeenten = _Gemeenten()
        index_of: dict[str, int] = {}
        for position, header in enumerate(headers):
            index_of.setdefault(header, position)
        self.columns = {key: index_of[column] for key, column in mapping.items() if column in index_of}
        self.column_label = {key: mapping[key] for key in self.columns}

    def cell(self, cells: list[str], key: str) -> str:
        position = self.columns.get(key)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def parse(self, line: int, cells: list[str]) -> tuple[EntityData | None, list[Problem], list[Problem]]:
        errors: list[Problem] = []
        warnings: list[Problem] = []

        def err(key: str, message: str) -> None:
            errors.append(Problem(line, self.column_label.get(key, FIELD_LABELS.get(key, key)), message))

        raw: dict[str, str] = {}
        for key in self.columns:
            value = self.cell(cells, key)
            limit = FIELD_LIMITS.get(key, 200)
            if len(value) > max(limit, 200) * 4:
                err(key, f"Veld is te groot: {len(value):,} tekens (maximaal {limit:,}).".replace(",", "."))
                continue
            value = _strip_controls(value)
            if key in TEXT_FIELDS or key == "trade_names":  # joined into the name
                value, changed = neutralise(value)
                if changed:
                    warnings.append(Problem(line, self.column_label[key],
                                            "Begint als een spreadsheetformule; onschadelijk opgeslagen met een apostrof."))
            raw[key] = value
        if errors:
            return None, errors, warnings

        def text(key: str) -> str:
            return raw.get(key, "")

        kind_text = text("kind") or self.defaults.kind
        kind = _lookup(_KINDS, kind_text) if kind_text else None
        if kind_text and kind is None:
            err("kind", f"Onbekende soort '{kind_text[:40]}': gebruik persoon, organisatie of adres.")
        if kind is None and not kind_text:
            if text("surname"):
                kind = EntityKind.PERSON
            elif text("name") or text("trade_names") or text("kvk_number"):
                kind = EntityKind.ORGANISATION
            elif text("postcode") or text("street"):
                kind = EntityKind.ADDRESS
            else:
                err("kind", "Niet te bepalen of dit een persoon, organisatie of adres is: naam, KvK-nummer en adres ontbreken.")

        def checked(key: str, cleaner: Callable[[str], Any]) -> Any:
            value = text(key)
            if not value:
                return None
            try:
                return cleaner(value)
            except InvalidValue as error:
                err(key, str(error))
                return None

        source_text = text("source") or self.defaults.source
        source = _lookup(_SOURCES, source_text) if source_text else None
        if source is None:
            err("source", f"Onbekende bron '{source_text[:40]}'." if source_text else
                "De bron ontbreekt (kies een standaardbron bij de koppeling).")
        level_text = text("confidentiality") or self.defaults.confidentiality
        level = _lookup(_LEVELS, level_text) if level_text else Confidentiality.BIBOB_COORDINATOREN
        if level is None:
            err("confidentiality", f"Onbekend vertrouwelijkheidsniveau '{level_text[:40]}': gebruik regionaal, "
                                   "bibob-coördinatoren of eigen gemeente.")
        gemeente_id = self.defaults.gemeente_id
        if text("gemeente"):
            gemeente_id = self.gemeenten.find(text("gemeente"))
            if gemeente_id is None:
                err("gemeente", f"Onbekende gemeente '{text('gemeente')[:40]}' (gebruik de CBS-code, zoals GM0106, of de naam).")
        recorded_on = checked("recorded_on", parse_date) or self.today
        valid_until = checked("valid_until", parse_date)
        birth_date = checked("birth_date", parse_date)
        country = (text("country") or "NL").upper()
        country = {"NEDERLAND": "NL", "NLD": "NL", "THE NETHERLANDS": "NL"}.get(country, country)
        if len(country) != 2 or not country.isalpha():
            err("country", f"Land '{text('country')[:40]}' is geen landcode van twee letters (zoals NL, BE, DE).")
            country = "NL"
        postcode = text("postcode")
        if postcode and country == "NL":
            postcode = checked("postcode", clean_postcode) or ""
        house_number, suffix = text("house_number"), text("house_number_suffix")
        match = _HOUSE.match(house_number)
        if house_number and match and match.group(2) and not suffix:
            house_number, suffix = match.group(1), match.group(2)
        if house_number:
            try:
                house_number = clean_house_number(house_number)
            except InvalidValue as error:
                err("house_number", str(error))
        if suffix:
            try:
                suffix = clean_house_number_suffix(suffix)
            except InvalidValue as error:
                err("house_number_suffix", str(error))
        if re.fullmatch(r"\d{7}", text("kvk_number")):
            # Excel stores a KvK number as a number and drops its leading zero.
            raw["kvk_number"] = "0" + text("kvk_number")
            warnings.append(Problem(line, self.column_label["kvk_number"], "KvK-nummer van 7 cijfers: voorloopnul aangevuld."))
        kvk = checked("kvk_number", clean_kvk) or ""
        bsn = checked("bsn", clean_bsn) or ""
        if bsn and kind is not EntityKind.PERSON:
            warnings.append(Problem(line, self.column_label.get("bsn", "BSN"), "Een BSN hoort bij een persoon; genegeerd."))
            bsn = ""
        name, too_long = register_name(text("name"), text("trade_names"))
        if too_long:
            err("trade_names", too_long)
        if errors or kind is None or source is None or level is None:
            return None, errors, warnings
        data = EntityData(
            kind=kind, source=source, reason=text("reason") or self.defaults.reason, recorded_on=recorded_on,
            confidentiality=level, gemeente_id=gemeente_id, valid_until=valid_until, external_id=text("external_id"),
            given_names=text("given_names"), surname_prefix=text("surname_prefix"), surname=text("surname"),
            birth_date=birth_date, nationality=text("nationality"), bsn=bsn,
            name=name,
            legal_form=text("legal_form"), kvk_number=kvk, street=text("street"), house_number=house_number,
            house_number_suffix=suffix, postcode=postcode, city=text("city"), country=country)
        for key, message in entity_problems(data, today=self.today):
            err({"gemeente": "gemeente"}.get(key, key), message)
        return (None if errors else data), errors, warnings


# --- dry run and commit -------------------------------------------------------------------------

Progress = Callable[[int], None]
OnProblem = Callable[[Problem, bool], None]


def _existing(external_ids: list[str]) -> dict[str, tuple[int, int]]:
    """external id -> (entity id, row version) of entries already in the register."""
    if not external_ids:
        return {}
    rows = db.session.execute(select(RiskEntity.external_id, RiskEntity.id, RiskEntity.version)
                              .where(RiskEntity.external_id.in_(external_ids)))
    return {ext: (entity_id, version) for ext, entity_id, version in rows}


def _prepare(table: Table, mapping: dict[str, str], report: ImportReport) -> None:
    report.file_format, report.encoding, report.delimiter = table.file_format, table.encoding, table.delimiter
    report.headers, report.mapping, report.notes = list(table.headers), dict(mapping), list(table.notes)
    seen: dict[str, int] = {}
    for header in table.headers:
        seen[header] = seen.get(header, 0) + 1
    for key, column in mapping.items():
        if column not in seen:
            report.file_errors.append(f"Kolom '{column}' (gekoppeld aan {FIELD_LABELS.get(key, key).lower()}) "
                                      "ontbreekt in het bestand.")
        elif seen[column] > 1:
            report.file_errors.append(f"Kolomnaam '{column}' komt {seen[column]} keer voor in de kopregel; "
                                      "hernoem de kolommen zodat ze uniek zijn.")
    if not any(k in mapping for k in ("surname", "name", "kvk_number", "postcode", "street")):
        report.file_errors.append("Koppel ten minste een kolom met een naam, KvK-nummer of adres.")
    report.unused_columns = [h for h in table.headers if h and h not in mapping.values()]


def _walk(table: Table, mapping: dict[str, str], defaults: Defaults, *, today: date, report: ImportReport,
          progress: Progress | None, on_problem: OnProblem | None) -> Iterator[tuple[int, EntityData]]:
    """Parse every data row, filling the report; yields the valid rows."""
    parser = RowParser(table.headers, mapping, defaults, today)
    first_line_of: dict[str, int] = {}
    width = len(table.headers)
    pending_last: tuple[int, list[str]] | None = None

    def emit(problem: Problem, is_error: bool) -> None:
        (report.add_error if is_error else report.add_warning)(problem)
        if on_problem:
            on_problem(problem, is_error)

    def handle(line: int, cells: list[str], is_last: bool) -> EntityData | None:
        report.rows += 1
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            emit(Problem(line, "", f"De regel heeft {len(cells)} kolommen, de kopregel {width}: "
                                   "een scheidingsteken te veel of een veld zonder aanhalingstekens?"), True)
            report.invalid += 1
            return None
        if len(cells) < width:
            hint = (" en het bestand eindigt midden in deze regel: het lijkt halverwege afgebroken"
                    if is_last and not table.ends_with_newline else "")
            if is_last and not table.ends_with_newline:
                report.file_errors.append("Het bestand eindigt midden in de laatste regel: het lijkt halverwege "
                                          "afgebroken of onvolledig opgeslagen.")
            if hint or any(parser.columns.get(k, -1) >= len(cells) for k in parser.columns):
                emit(Problem(line, "", f"De regel heeft {len(cells)} kolommen, de kopregel {width}{hint}."), True)
                report.invalid += 1
                return None
        data, errors, warnings = parser.parse(line, cells)
        for problem in warnings:
            emit(problem, False)
        # Duplicates are checked on the raw id, so an invalid row still reports its twin.
        external_id = neutralise(_strip_controls(parser.cell(cells, "external_id")))[0][:200]
        if external_id:
            first = first_line_of.get(external_id)
            if first is not None:
                errors.append(Problem(line, parser.column_label.get("external_id", "Extern id"),
                                      f"Extern id '{external_id[:60]}' staat ook op regel {first}."))
                data = None
            else:
                first_line_of[external_id] = line
        for problem in errors:
            emit(problem, True)
        if data is None:
            report.invalid += 1
            return None
        report.valid += 1
        report.by_kind[data.kind.value] = report.by_kind.get(data.kind.value, 0) + 1
        return data

    # One row of look-ahead, so the last row knows it is the last (a cut-off file).
    for line, cells in table.rows():
        if progress:
            progress(1)
        if not any(c.strip() for c in cells):
            continue
        if pending_last is not None:
            data = handle(*pending_last, is_last=False)
            if data is not None:
                yield pending_last[0], data
        pending_last = (line, cells)
    if pending_last is not None:
        data = handle(*pending_last, is_last=True)
        if data is not None:
            yield pending_last[0], data


def dry_run(table: Table, mapping: dict[str, str], defaults: Defaults, *, today: date,
            progress: Progress | None = None, on_problem: OnProblem | None = None) -> ImportReport:
    """Check the whole file and report what an import would do; nothing is written."""
    report = ImportReport()
    _prepare(table, mapping, report)
    if report.file_errors:
        return report
    batch: list[str] = []
    try:
        for _line, data in _walk(table, mapping, defaults, today=today, report=report, progress=progress,
                                 on_problem=on_problem):
            if data.external_id:
                batch.append(data.external_id)
                if len(batch) >= BATCH:
                    report.to_update += len(_existing(batch))
                    batch = []
        report.to_update += len(_existing(batch))
    except ImportFileError as error:
        report.file_errors.append(str(error))
    report.to_create = report.valid - report.to_update
    if report.rows == 0 and not report.file_errors:
        report.file_errors.append("Het bestand bevat een kopregel maar geen gegevens.")
    return report


def commit(table: Table, mapping: dict[str, str], defaults: Defaults, *, today: date, actor: User | None,
           record: RegisterImport, progress: Progress | None = None,
           checked: ImportReport | None = None) -> ImportReport:
    """Import the file into the register in the caller's transaction, or raise ImportRefused.

    The file is checked in full first (or *checked* is the dry run the caller just made); only a
    file without any error is written. Rows are inserted or updated (matched on external id) in
    batches, then one register version is added. Every row is validated again while writing.
    """
    report = checked if checked is not None else dry_run(table, mapping, defaults, today=today)
    if not report.ok:
        raise ImportRefused(report)
    serialise_register_writes()
    created = updated = 0
    batch: list[EntityData] = []
    now = utcnow()

    def flush_batch() -> None:
        nonlocal created, updated
        existing = _existing([d.external_id for d in batch if d.external_id])
        inserts, updates = [], []
        for data in batch:
            values = column_values(data)
            found = existing.get(data.external_id) if data.external_id else None
            if found is None:
                inserts.append({**values, "import_id": record.id, "created_by_id": actor.id if actor else None,
                                "created_at": now, "updated_at": now, "version": 1})
            else:
                entity_id, version = found
                updates.append({**values, "id": entity_id, "import_id": record.id, "deleted_at": None,
                                "updated_at": now, "version": version + 1})
        if inserts:
            # Core executemany: the ORM's per-row bookkeeping would cost ten times more at a million rows.
            db.session.execute(insert(RiskEntity.__table__), inserts)
        if updates:
            table = RiskEntity.__table__
            db.session.execute(update(table).where(table.c.id == bindparam("entity_id")),
                               [{**{k: v for k, v in u.items() if k != "id"}, "entity_id": u["id"]} for u in updates])
        created += len(inserts)
        updated += len(updates)
        if progress:
            progress(len(batch))
        batch.clear()

    second = ImportReport()
    for _line, data in _walk(table, mapping, defaults, today=today, report=second, progress=None, on_problem=None):
        batch.append(data)
        if len(batch) >= BATCH:
            flush_batch()
    if batch:
        flush_batch()
    if second.invalid or second.file_errors or second.valid != report.valid:
        # The file changed between the check and the import: the caller's transaction rolls back.
        raise ImportFileError("Het bestand is tijdens het importeren gewijzigd; er is niets geïmporteerd.")
    version = bump_version("import", f"Import {record.original_filename}: {created} nieuw, {updated} bijgewerkt",
                           actor=actor, entity_ids=None)
    record.status, record.committed_at, record.register_version_id = ImportStatus.VASTGELEGD, utcnow(), version.id
    record.created_count, record.updated_count = created, updated
    record.mapping, record.defaults, record.report = dict(mapping), defaults.as_dict(), report.as_dict()
    db.session.flush()
    audit.record("register.imported", object_type="register_imports", object_id=record.id,
                 gemeente_id=record.gemeente_id, actor=actor, created=created, updated=updated,
                 register_version=version.id, rows=report.rows, file_format=table.file_format)
    report.to_create, report.to_update = created, updated
    return report
