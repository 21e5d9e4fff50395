"""Importing the register: mapping, dry run, all-or-nothing commit, and every kind of bad input."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from barrier.models import AuditEvent
from barrier.models.register import (
    Confidentiality,
    EntityKind,
    ImportStatus,
    RegisterImport,
    RegisterSource,
    RiskEntity,
)
from barrier.register import importer
from barrier.register.records import entity_record_from_row
from screening.matching import Matcher, Organisation
from tests.barrier.register.conftest import HEADER, csv_bytes, register_state, row

TODAY = date.today()  # noqa: DTZ011


def _check(data: bytes, mapping=None, defaults=None, filename="register.csv"):
    table = importer.open_table(data, filename)
    return importer.dry_run(table, mapping or importer.suggest_mapping(table.headers),
                            defaults or importer.Defaults(), today=TODAY)


def _commit(db, data: bytes, mapping=None, defaults=None, filename="register.csv"):
    table = importer.open_table(data, filename)
    record = RegisterImport(original_filename=filename, sha256="x" * 64, size_bytes=len(data), file_format="csv")
    db.session.add(record)
    db.session.flush()
    return importer.commit(table, mapping or importer.suggest_mapping(table.headers), defaults or importer.Defaults(),
                           today=TODAY, actor=None, record=record)


def test_the_mapping_is_suggested_from_dutch_column_names(app_ctx):
    mapping = importer.suggest_mapping(HEADER)
    assert mapping["external_id"] == "Registratienummer"
    assert mapping["surname"] == "Achternaam" and mapping["surname_prefix"] == "Tussenvoegsel"
    assert mapping["name"] == "Bedrijfsnaam" and mapping["kvk_number"] == "KvK"
    assert mapping["confidentiality"] == "Vertrouwelijkheid"


def test_a_clean_file_is_checked_then_committed_in_one_new_version(app_ctx, db):
    before = register_state(db.session)
    data = csv_bytes([HEADER, row(), row(ext="R-2", kind="organisatie", given="", prefix="", surname="", birth="",
                                         company="Jansen Huisvesting B.V.", kvk="12345678"),
                      row(ext="R-3", kind="adres", given="", prefix="", surname="", birth="", number="7a")])
    report = _check(data)
    assert report.ok, report.errors
    assert (report.rows, report.valid, report.to_create, report.to_update) == (3, 3, 3, 0)
    assert report.encoding == "UTF-8 (met BOM)" and report.delimiter == "puntkomma"
    assert register_state(db.session) == before  # a dry run writes nothing

    result = _commit(db, data)
    assert (result.to_create, result.to_update) == (3, 0)
    count, version = register_state(db.session)
    assert count == before[0] + 3 and version > before[1]  # ids rise (PostgreSQL sequences may skip)
    person = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-1"))
    assert person.kind is EntityKind.PERSON and person.surname_prefix == "de" and person.birth_date == date(1980, 5, 17)
    assert person.postcode == "9401 AB"  # normalised by forms.validators.clean_postcode
    assert person.source is RegisterSource.RIEC_SIGNAAL and person.confidentiality is Confidentiality.BIBOB_COORDINATOREN
    address = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-3"))
    assert (address.house_number, address.house_number_suffix) == ("7", "A")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.imported")) is not None


def test_trade_names_beside_the_statutory_name_are_screened_too(app_ctx, db):
    """A Handelsregister export has both columns: the entry reads "X B.V. h.o.d.n. Y h.o.d.n. Z", and the
    engine finds it by each name."""
    header = [*HEADER, "Handelsnamen"]
    header[header.index("Bedrijfsnaam")] = "Statutaire naam"
    data = csv_bytes([header, [*row(ext="R-9", kind="organisatie", given="", prefix="", surname="", birth="",
                                    company="Lubbers Beheer B.V."), "Club Venus, Privéhuis Aphrodite"]])
    mapping = importer.suggest_mapping(header)
    assert mapping["name"] == "Statutaire naam" and mapping["trade_names"] == "Handelsnamen"
    report = _check(data)
    assert report.ok, report.errors
    _commit(db, data)
    entry = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-9"))
    assert entry.name == "Lubbers Beheer B.V. h.o.d.n. Club Venus h.o.d.n. Privéhuis Aphrodite"
    matcher = Matcher([entity_record_from_row(entry)])
    assert [h.entity_id for h in matcher.match(Organisation(None, "Privehuis Aphrodite"))] == [entry.id]

    # Together too long for the name: the error names the trade names' column, and nothing is imported.
    data = csv_bytes([header, [*row(ext="R-11", kind="organisatie", given="", prefix="", surname="", birth="",
                                    company="Lubbers Beheer B.V."), ", ".join(f"Club Venus {i}" for i in range(30))]])
    report = _check(data)
    assert not report.ok
    [problem] = report.errors
    assert problem.column == "Handelsnamen" and "samen" in problem.message and "tekens, maximaal 200:" in problem.message

    # Only trade names, the first a formula: it becomes the name, neutralised like any text field.
    data = csv_bytes([header, [*row(ext="R-10", kind="organisatie", given="", prefix="", surname="", birth="",
                                    company=""), '=HYPERLINK("http://x")']])
    report = _check(data)
    assert report.ok and any("spreadsheetformule" in w.message for w in report.warnings), report.errors
    _commit(db, data)
    entry = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-10"))
    assert entry.name == "'=HYPERLINK(\"http://x\")"


def test_a_second_import_updates_entries_by_external_id(app_ctx, db):
    _commit(db, csv_bytes([HEADER, row()]))
    result = _commit(db, csv_bytes([HEADER, row(reason="Bijgewerkt: veroordeeld 2025"), row(ext="R-9")]))
    assert (result.to_create, result.to_update) == (1, 1)
    entity = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-1"))
    assert entity.reason == "Bijgewerkt: veroordeeld 2025" and entity.version == 2


def test_a_bsn_is_stored_only_as_its_keyed_digest(app_ctx, db):
    data = csv_bytes([[*HEADER, "BSN"], [*row(), "111222333"]])
    _commit(db, data)
    entity = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-1"))
    assert entity.bsn_last4 == "2333" and entity.bsn_digest and "111222333" not in entity.bsn_digest
    assert "111222333" not in entity.search_text


def test_windows_1252_is_detected_and_read_with_its_accents(app_ctx):
    data = csv_bytes([HEADER, row(given="Zoë", surname="Brûlé")], encoding="cp1252")
    report = _check(data)
    assert report.ok
    assert report.encoding.startswith("Windows-1252")
    assert any("geen UTF-8" in note for note in report.notes)
    table = importer.open_table(data)
    assert next(table.rows())[1][2] == "Zoë"


def test_an_unknown_encoding_is_refused_with_a_clear_message(app_ctx):
    data = csv_bytes([HEADER], encoding="utf-8") + b"R-1;persoon;\x81\x8d\xff;;Vries\r\n"
    with pytest.raises(importer.ImportFileError, match="tekenset"):
        importer.open_table(data)


@pytest.mark.parametrize("data", [
    csv_bytes([HEADER, row()], encoding="utf-16")[:-1],                   # UTF-16 cut off inside a character
    csv_bytes([HEADER], encoding="utf-8-sig") + b"R-1;persoon;J\xffn;;Vries\r\n",  # a BOM, then no UTF-8
])
def test_a_file_that_breaks_its_own_encoding_is_refused_with_a_clear_message(app_ctx, data):
    """Found by fuzzing: these raised UnicodeDecodeError while reading the rows (a traceback in the CLI)."""
    with pytest.raises(importer.ImportFileError, match="halverwege afgebroken of beschadigd"):
        importer.open_table(data)


def test_a_binary_file_is_refused(app_ctx):
    with pytest.raises(importer.ImportFileError):
        importer.open_table(b"%PDF-1.7\x00\x00\x00 binary")


def test_a_mapped_column_missing_from_the_file_is_a_file_error(app_ctx):
    data = csv_bytes([HEADER, row()])
    table = importer.open_table(data)
    mapping = {**importer.suggest_mapping(table.headers), "nationality": "Nationaliteit"}
    report = importer.dry_run(table, mapping, importer.Defaults(), today=TODAY)
    assert not report.ok
    assert any("Nationaliteit" in e and "ontbreekt" in e for e in report.file_errors)


def test_extra_columns_are_reported_and_a_row_with_too_many_fields_is_an_error(app_ctx):
    data = csv_bytes([[*HEADER, "Opmerking intern"], [*row(), "x"], [*row(ext="R-2"), "x", "te veel", "nog een"]])
    report = _check(data)
    assert report.unused_columns == ["Opmerking intern"]
    assert report.invalid == 1
    assert report.errors[0].line == 3 and "kolommen" in report.errors[0].message


def test_duplicated_external_ids_are_reported_with_both_line_numbers(app_ctx):
    data = csv_bytes([HEADER, row(ext="R-1"), row(ext="R-2"), row(ext="R-1", surname="Bakker")])
    report = _check(data)
    assert not report.ok and report.invalid == 1
    assert report.errors[0].line == 4 and "regel 2" in report.errors[0].message


def test_every_invalid_row_is_reported_with_its_line_and_a_dutch_reason(app_ctx):
    data = csv_bytes([HEADER, row(), row(ext="R-2", postcode="1234 SA"), row(ext="R-3", birth="31-02-1980"),
                      row(ext="R-4", kind="organisatie", given="", prefix="", surname="", company="X", kvk="1234"),
                      row(ext="R-5", source="horoscoop"), row(ext="R-6", surname="", given="", prefix="", kind="persoon"),
                      row(ext="R-7", gemeente="GM9999"), row(ext="R-8", level="geheim")])
    report = _check(data)
    by_line = {p.line: p.message for p in report.errors}
    assert report.valid == 1 and report.invalid == 7
    assert "postcode" in by_line[3].lower()
    assert "geen geldige datum" in by_line[4]
    assert "8 cijfers" in by_line[5]
    assert "Onbekende bron" in by_line[6]
    assert "achternaam" in by_line[7]
    assert "Onbekende gemeente" in by_line[8]
    assert "vertrouwelijkheidsniveau" in by_line[9]


def test_a_10_mb_field_is_refused_by_its_length_without_echoing_it(app_ctx):
    huge = "A" * (10 * 1024 * 1024)
    data = csv_bytes([HEADER, row(), row(ext="R-2", reason=huge)])
    report = _check(data)
    assert report.invalid == 1
    problem = report.errors[0]
    assert problem.line == 3 and "te groot" in problem.message and "10.485.760" in problem.message
    assert len(problem.message) < 200


def test_formulas_are_stored_neutralised_and_never_exported_as_formulas(app, db, make_entity):
    with app.test_request_context():
        data = csv_bytes([HEADER, row(reason='=HYPERLINK("http://evil.example","klik")', surname="@SUM(A1)")])
        report = _check(data)
        assert report.ok and report.warning_count == 2
        _commit(db, data)
        entity = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-1"))
        assert entity.reason.startswith("'=HYPERLINK") and entity.surname == "'@SUM(A1)"
        from barrier.register.views import export_csv

        exported = export_csv([entity])
    cells = [cell for line in exported.splitlines()[1:] for cell in line.split(";")]
    assert not any(cell.lstrip('"').startswith(("=", "+", "@")) for cell in cells)


def test_a_file_cut_off_inside_a_quoted_field_is_refused(app_ctx):
    data = csv_bytes([HEADER, row()])[:-2] + b'\r\nR-2;persoon;Piet;;"Jansen'
    report = _check(data)
    assert not report.ok
    assert any("halverwege" in e for e in report.file_errors)


def test_a_file_cut_off_in_the_middle_of_the_last_row_is_refused(app_ctx):
    data = csv_bytes([HEADER, row(), row(ext="R-2")])
    cut = data[: data.rindex(b"Kloosterstraat")]  # no newline at the end, columns missing
    report = _check(cut)
    assert not report.ok
    assert any("halverwege" in e for e in report.file_errors)


def test_a_failed_commit_leaves_the_register_unchanged(app_ctx, db, make_entity):
    make_entity(surname="Bestaand")
    before = register_state(db.session)
    data = csv_bytes([HEADER, row(), row(ext="R-1")])
    with pytest.raises(importer.ImportRefused) as refused:
        _commit(db, data)
    assert refused.value.report.invalid == 1
    db.session.rollback()
    assert register_state(db.session) == before


def test_an_import_interrupted_half_way_leaves_no_partial_version(app, db, make_entity, monkeypatch):
    make_entity(surname="Bestaand")
    before = register_state(db.session)
    monkeypatch.setattr(importer, "BATCH", 2)
    written = []

    def progress(rows: int) -> None:
        written.append(rows)
        if len(written) == 2:
            raise KeyboardInterrupt  # the operator presses Ctrl+C after the second batch was written

    data = csv_bytes([HEADER, *[row(ext=f"R-{i}") for i in range(6)]])
    with app.test_request_context():
        table = importer.open_table(data)
        record = RegisterImport(original_filename="r.csv", sha256="x" * 64, size_bytes=len(data), file_format="csv")
        db.session.add(record)
        db.session.flush()
        with pytest.raises(KeyboardInterrupt):
            importer.commit(table, importer.suggest_mapping(table.headers), importer.Defaults(), today=TODAY,
                            actor=None, record=record, progress=progress)
        assert register_state(db.session)[0] == before[0] + 4  # two batches were in the open transaction
        db.session.rollback()  # what the CLI's transaction does when the process stops
    assert register_state(db.session) == before


def test_xlsx_is_read_with_dates_and_numbers(app_ctx, db):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["R-1", "persoon", "Łukasz", "", "Wiśniewski", date(1985, 3, 2), "", "", "Hoofdstraat", 3, "7811 AB",
               "Emmen", "inspectie", "Inspectie: signalen", "GM0114", "eigen gemeente"])
    ws.append(["R-2", "organisatie", "", "", "", None, "Flex B.V.", 1234567, "", None, "", "", "faillissement",
               "Failliet", "Emmen", "regionaal"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    report = _check(data, filename="register.xlsx")
    assert report.ok, report.errors
    assert report.file_format == "xlsx"
    _commit(db, data, filename="register.xlsx")
    person = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-1"))
    assert person.birth_date == date(1985, 3, 2) and person.house_number == "3"
    assert person.confidentiality is Confidentiality.EIGEN_GEMEENTE
    organisation = db.session.scalar(select(RiskEntity).where(RiskEntity.external_id == "R-2"))
    assert organisation.kvk_number == "01234567"  # Excel dropped the leading zero


def test_a_truncated_xlsx_is_refused_with_a_clear_message(app_ctx):
    wb = Workbook()
    wb.active.append(HEADER)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    with pytest.raises(importer.ImportFileError, match="beschadigd of onvolledig"):
        importer.open_table(data[: len(data) // 2], "register.xlsx")


def test_defaults_fill_rows_without_source_reason_or_gemeente(app_ctx, db):
    data = csv_bytes([["Achternaam", "Voornaam"], ["Vries", "Jan"]])
    table = importer.open_table(data)
    mapping = importer.suggest_mapping(table.headers)
    assert not importer.dry_run(table, mapping, importer.Defaults(), today=TODAY).ok  # no source, no reason
    defaults = importer.Defaults(source="sanctielijst", reason="EU-sanctielijst", confidentiality="regionaal")
    assert importer.dry_run(table, mapping, defaults, today=TODAY).ok


# --- the wizard in the browser ----------------------------------------------------------------

def test_the_upload_wizard_checks_then_commits(login_as, db):
    from barrier.models import Role

    browser = login_as(Role.BIBOB_COORDINATOR)
    before = register_state(db.session)
    data = csv_bytes([HEADER, row(), row(ext="R-2", surname="Bakker")])
    response = browser.submit("/register/import", {"file": (io.BytesIO(data), "register.csv")},
                              content_type="multipart/form-data")
    assert response.status_code == 302 and "/koppeling" in response.headers["Location"]
    mapping_url = response.headers["Location"]
    page = browser.get(mapping_url).get_data(as_text=True)
    assert "Registratienummer" in page and "UTF-8" in page
    form = {f"map_{k}": v for k, v in importer.suggest_mapping(HEADER).items()}
    form.update(default_confidentiality="bibob_coordinatoren")
    response = browser.submit(mapping_url, form)
    assert response.status_code == 302
    report_url = response.headers["Location"]
    page = browser.get(report_url).get_data(as_text=True)
    assert "Alle regels zijn goed" in page
    assert register_state(db.session) == before
    record = db.session.scalars(select(RegisterImport).order_by(RegisterImport.id.desc())).first()
    assert record.status is ImportStatus.GECONTROLEERD
    response = browser.submit(f"/register/import/{record.id}/vastleggen", {}, form_url=report_url)
    assert response.status_code == 302 and "/herscreening" in response.headers["Location"]
    assert register_state(db.session)[0] == before[0] + 2


def test_the_wizard_reports_a_bad_file_and_refuses_to_commit_it(login_as, db):
    from barrier.models import Role

    browser = login_as(Role.BEHEERDER)
    before = register_state(db.session)
    data = csv_bytes([HEADER, row(), row(ext="R-1"), row(ext="R-3", birth="1980-13-45")])
    response = browser.submit("/register/import", {"file": (io.BytesIO(data), "slecht.csv")},
                              content_type="multipart/form-data")
    mapping_url = response.headers["Location"]
    form = {f"map_{k}": v for k, v in importer.suggest_mapping(HEADER).items()}
    response = browser.submit(mapping_url, form)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Fouten (2)" in page and "staat ook op regel 2" in page and "geen geldige datum" in page
    assert "Er is niets geïmporteerd" in page
    record = db.session.scalars(select(RegisterImport).order_by(RegisterImport.id.desc())).first()
    response = browser.submit(f"/register/import/{record.id}/vastleggen", {}, form_url=response.headers["Location"])
    assert response.status_code == 302
    assert register_state(db.session) == before


def test_an_unreadable_upload_goes_straight_to_the_report(login_as, db):
    from barrier.models import Role

    browser = login_as(Role.BEHEERDER)
    response = browser.submit("/register/import", {"file": (io.BytesIO(b"PK\x03\x04kapot"), "kapot.xlsx")},
                              content_type="multipart/form-data")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "beschadigd of onvolledig" in page and "Het register is ongewijzigd" in page


def test_a_file_broken_within_its_first_rows_still_shows_the_mapping_then_the_report(login_as, db):
    """Found by tests/fuzz: the mapping page's preview read into the broken quote and answered 500."""
    from barrier.models import Role

    browser = login_as(Role.BIBOB_COORDINATOR)
    data = csv_bytes([HEADER, row()]) + b'R-2;persoon;"Piet"x;;Jansen\r\n'
    response = browser.submit("/register/import", {"file": (io.BytesIO(data), "kapot.csv")},
                              content_type="multipart/form-data")
    mapping_url = response.headers["Location"]
    assert browser.get(mapping_url).status_code == 200
    form = {f"map_{k}": v for k, v in importer.suggest_mapping(HEADER).items()}
    response = browser.submit(mapping_url, form)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "beschadigd bij regel 3" in page


# --- the CLI --------------------------------------------------------------------------------------

def test_the_cli_dry_run_reports_errors_and_exits_non_zero(app, db, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([HEADER, row(), row(ext="R-1")]))
    before = register_state(db.session)
    result = app.test_cli_runner().invoke(args=["register-import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "FOUT regel 3" in result.output and "staat ook op regel 2" in result.output
    assert register_state(db.session) == before


def test_the_cli_imports_with_a_mapping_and_defaults(app, db, tmp_path):
    path = tmp_path / "sancties.csv"
    path.write_bytes(csv_bytes([["Nr", "Naam", "Geb"], ["S-1", "Petrov", "1970-01-02"], ["S-2", "Ivanova", ""]],
                               encoding="utf-8", delimiter=","))
    before = register_state(db.session)
    result = app.test_cli_runner().invoke(args=[
        "register-import", str(path), "--mapping", "external_id=Nr,surname=Naam,birth_date=Geb",
        "--source", "sanctielijst", "--reason", "EU-sanctielijst", "--confidentiality", "regionaal"])
    assert result.exit_code == 0, result.output
    assert "2 nieuw" in result.output and "register-rescreen" in result.output
    count, version = register_state(db.session)
    assert count == before[0] + 2 and version > before[1]


def test_the_cli_refuses_a_bad_file_and_leaves_the_register_unchanged(app, db, tmp_path):
    path = tmp_path / "half.csv"
    path.write_bytes(csv_bytes([HEADER, row()])[:-2] + b'\r\nR-2;persoon;Piet;;"Jans')
    before = register_state(db.session)
    result = app.test_cli_runner().invoke(args=["register-import", str(path)])
    assert result.exit_code != 0
    assert "halverwege" in result.output and "ongewijzigd" in result.output
    assert register_state(db.session) == before
