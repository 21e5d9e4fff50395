"""Hostile CSV and XLSX files to the register import: the service, the CLI and the upload wizard.

The properties, for every generated file (tests/fuzz/register_files.py):

* never a crash: reading either works or says in Dutch why not (``ImportFileError``), the check
  never raises, the CLI exits 0 or 1 with a message, the wizard never answers 5xx;
* a clear report: a refused file names its file errors or its wrong rows (line and reason), and
  no message echoes an oversized field;
* all or nothing: a refused file leaves the register as it was (entries and version); an accepted
  file adds exactly what the report said, in one new version, with every formula neutralised.
"""

from __future__ import annotations

import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from barrier.models.register import RegisterImport, RiskEntity
from barrier.register import importer
from tests.barrier.register.conftest import register_state
from tests.fuzz.conftest import DERANDOMIZE, EXAMPLES, TALLY
from tests.fuzz.register_files import csv_file, xlsx_file
from tests.fuzz.strategies import XSS_MARKERS

TODAY = date.today()  # noqa: DTZ011
# Files per target: cheap in the service, a process-free CLI run, five requests in the wizard.
SERVICE_EXAMPLES = max(EXAMPLES * 15, 20)
CLI_EXAMPLES = max(EXAMPLES * 3, 5)
WIZARD_EXAMPLES = max(EXAMPLES * 2, 5)
DEFAULTS = st.sampled_from([importer.Defaults(),
                            importer.Defaults(source="riec", reason="RIEC-signaal", confidentiality="regionaal")])
SETTINGS = settings(deadline=None, derandomize=DERANDOMIZE, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.large_base_example])


def _clear(message: str) -> None:
    """A Dutch sentence of reasonable length: never a traceback, never an echoed 100 KB field."""
    assert isinstance(message, str) and message.strip(), repr(message)
    assert len(message) < 600, message[:300]
    assert "Traceback" not in message and "Error(" not in message, message


def _stored_neutralised(db, record_id: int) -> None:
    for entity in db.session.scalars(select(RiskEntity).where(RiskEntity.import_id == record_id)):
        for name in importer.TEXT_FIELDS:
            value = getattr(entity, name) or ""
            assert not value.startswith(importer.FORMULA_START), (name, value[:80])


def _check_then_commit(db, data: bytes, filename: str, defaults: importer.Defaults, target: str) -> None:
    before = register_state(db.session)
    try:
        table = importer.open_table(data, filename)
    except importer.ImportFileError as error:
        _clear(str(error))
        TALLY.add(target, "onleesbaar")
        return
    mapping = importer.suggest_mapping(table.headers)
    report = importer.dry_run(table, mapping, defaults, today=TODAY)
    assert register_state(db.session) == before  # a check writes nothing
    for message in [*report.file_errors, *report.notes]:
        _clear(message)
    for problem in [*report.errors, *report.warnings]:
        _clear(problem.message)
        assert problem.line >= 0
    savepoint = db.session.begin_nested()
    record = RegisterImport(original_filename=filename, sha256="f" * 64, size_bytes=len(data),
                            file_format=table.file_format)
    db.session.add(record)
    db.session.flush()
    if not report.ok:
        assert report.file_errors or report.error_count, report  # refused, and it says why
        try:
            importer.commit(table, mapping, defaults, today=TODAY, actor=None, record=record)
        except (importer.ImportRefused, importer.ImportFileError):
            pass
        else:
            raise AssertionError(f"a refused file was imported: {report}")
        savepoint.rollback()
        assert register_state(db.session) == before
        TALLY.add(target, "geweigerd")
        return
    result = importer.commit(table, mapping, defaults, today=TODAY, actor=None, record=record, checked=report)
    count, version = register_state(db.session)
    assert count == before[0] + result.to_create and version > before[1]
    _stored_neutralised(db, record.id)
    savepoint.rollback()
    assert register_state(db.session) == before
    TALLY.add(target, "ingelezen")


def test_hostile_csv_files_are_refused_with_a_report_or_imported_whole(app_ctx, db):
    @settings(SETTINGS, max_examples=SERVICE_EXAMPLES)
    @given(data=csv_file(), defaults=DEFAULTS)
    def example(data, defaults):
        _check_then_commit(db, data, "register.csv", defaults, "register import: CSV")

    example()


def test_hostile_xlsx_files_are_refused_with_a_report_or_imported_whole(app_ctx, db):
    @settings(SETTINGS, max_examples=max(SERVICE_EXAMPLES // 2, 10))
    @given(data=xlsx_file(), defaults=DEFAULTS)
    def example(data, defaults):
        _check_then_commit(db, data, "register.xlsx", defaults, "register import: XLSX")

    example()


def test_the_cli_exits_with_a_dutch_message_and_leaves_a_refused_file_out(app, db, tmp_path):
    runner = app.test_cli_runner()

    @settings(SETTINGS, max_examples=CLI_EXAMPLES)
    @given(data=st.one_of(csv_file(), xlsx_file()), dry_run=st.booleans())
    def example(data, dry_run):
        path = tmp_path / ("register.xlsx" if data.startswith(b"PK") else "register.csv")
        path.write_bytes(data)
        before = register_state(db.session)
        result = runner.invoke(args=["register-import", str(path), "--source", "riec", "--reason", "Fuzz",
                                     *(["--dry-run"] if dry_run else [])])
        assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:], result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        if result.exit_code or dry_run:
            assert register_state(db.session) == before
        if result.exit_code:
            assert "FOUT" in result.output or "Error:" in result.output, result.output[-2000:]
        TALLY.add("register import: CLI", f"exit {result.exit_code}")

    example()


def test_the_upload_wizard_never_fails_and_commits_only_a_clean_file(login_as, db):
    from barrier.models import Role

    browser = login_as(Role.BIBOB_COORDINATOR)

    def page(response) -> str:
        assert response.status_code < 500, response.status_code
        text = response.get_data(as_text=True)
        for marker in XSS_MARKERS:
            assert marker not in text, f"{marker!r} came back unescaped"
        return text

    @settings(SETTINGS, max_examples=WIZARD_EXAMPLES)
    @given(data=st.one_of(csv_file(), xlsx_file()), name=st.sampled_from(["register.csv", "register.xlsx",
                                                                           "../../etc/passwd", "export"]))
    def example(data, name):
        before = register_state(db.session)
        response = browser.submit("/register/import", {"file": (io.BytesIO(data), name)},
                                  content_type="multipart/form-data")
        page(response)
        if response.status_code != 302:  # an empty file: the form says so
            TALLY.add("register import: wizard", f"upload {response.status_code}")
            return
        location = response.headers["Location"]
        if "/koppeling" in location:
            page(browser.get(location))
            record_id = int(location.split("/")[-2])
            mapping = db.session.get(RegisterImport, record_id).mapping or {}
            form = {f"map_{key}": column for key, column in mapping.items()}
            form.update(default_source="riec_signaal", default_reason="Fuzz", default_confidentiality="regionaal")
            response = browser.submit(location, form)
            page(response)
            if response.status_code != 302:  # the mapping form refused (e.g. no name column): nothing stored
                assert register_state(db.session) == before
                TALLY.add("register import: wizard", f"koppeling {response.status_code}")
                return
            location = response.headers["Location"]
        record_id = int(location.rstrip("/").split("/")[-1])
        report_page = page(browser.get(location))
        record = db.session.get(RegisterImport, record_id)
        db.session.refresh(record)
        if record.status.value != "gecontroleerd":
            assert "niets geïmporteerd" in report_page or "ongewijzigd" in report_page, report_page[:2000]
        response = browser.submit(f"/register/import/{record_id}/vastleggen", {}, form_url=location)
        page(response)
        db.session.refresh(record)
        if record.status.value == "vastgelegd":
            assert register_state(db.session)[1] > before[1]
            _stored_neutralised(db, record_id)
        else:
            assert register_state(db.session) == before
        TALLY.add("register import: wizard", record.status.value)

    example()
