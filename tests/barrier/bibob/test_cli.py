"""``flask bibob-report``: list the reportable dossiers, write one as PDF, refuse what is not ready."""

from __future__ import annotations

import hashlib

import pypdf
from sqlalchemy import select

from barrier.bibob import reports
from barrier.models.bibob import DisclosureBasis, DisclosureEvent
from screening.report import MARKING
from tests.barrier.bibob.conftest import TODAY, audit_actions


def test_list_prints_reference_and_stage_of_every_reportable_dossier(app, bibob):
    ready = bibob.judged()
    not_ready = bibob.dossier()
    result = app.test_cli_runner().invoke(args=["bibob-report", "--list"])
    assert result.exit_code == 0, result.output
    assert f"{ready.reference}\tOordeel vastgesteld\tAssen" in result.output
    assert not_ready.reference not in result.output


def test_a_report_is_written_and_its_export_recorded(app, bibob, db, tmp_path):
    dossier = bibob.judged()
    target = tmp_path / "uit" / "rapport.pdf"
    result = app.test_cli_runner().invoke(args=["bibob-report", dossier.reference.lower(), "--output", str(target)])
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-")
    first = pypdf.PdfReader(target).pages[0].extract_text()
    assert dossier.reference in first and MARKING in first and "Concept" in first
    assert "gemaakt in" in result.output and "DISC-INTERN" in result.output
    [event] = db.session.scalars(select(DisclosureEvent)).all()
    assert (event.channel, event.legal_basis, event.is_concept) == ("cli", DisclosureBasis.INTERN, True)
    assert event.document_hash == hashlib.sha256(pdf).hexdigest()
    assert audit_actions(db, "bibob_report.exported", dossier.id)


def test_an_issued_version_is_written_as_it_was_issued(app, bibob, tmp_path):
    dossier = bibob.judged()
    version = bibob.run(reports.issue_report, dossier, actor=dossier.coordinator, today=TODAY)
    target = tmp_path / "v1.pdf"
    result = app.test_cli_runner().invoke(args=["bibob-report", dossier.reference, "-o", str(target), "--basis",
                                                "DISC-RECHTER", "--recipient", "Rechtbank Noord-Nederland"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == version.pdf


def test_a_dossier_that_is_not_ready_is_a_clear_error_with_a_non_zero_exit(app, bibob, db, tmp_path):
    dossier = bibob.dossier()
    target = tmp_path / "x.pdf"
    result = app.test_cli_runner().invoke(args=["bibob-report", dossier.reference, "--output", str(target)])
    assert result.exit_code != 0
    assert "niet klaar voor een adviesrapport" in result.output and "geen oordeel" in result.output
    assert not target.exists()
    assert db.session.scalars(select(DisclosureEvent)).all() == []


def test_unknown_reference_bad_basis_and_missing_output_are_refused(app, bibob, tmp_path):
    dossier = bibob.judged()
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["bibob-report", "BIBOB-0000", "-o", str(tmp_path / "a.pdf")])
    assert unknown.exit_code != 0 and "geen Bibob-dossier met kenmerk" in unknown.output
    basis = runner.invoke(args=["bibob-report", dossier.reference, "-o", str(tmp_path / "b.pdf"), "--basis", "DISC-PERS"])
    assert basis.exit_code != 0 and "wettelijke grondslag" in basis.output
    assert not (tmp_path / "b.pdf").exists()
    missing = runner.invoke(args=["bibob-report", dossier.reference])
    assert missing.exit_code == 2 and "--output" in missing.output
    nothing = runner.invoke(args=["bibob-report"])
    assert nothing.exit_code == 2


def test_a_report_on_behalf_of_someone_outside_the_dossier_is_refused(app, bibob, tmp_path):
    dossier = bibob.judged()
    outsider = bibob.coordinator(gemeente="GM0114")
    result = app.test_cli_runner().invoke(args=["bibob-report", dossier.reference, "-o", str(tmp_path / "c.pdf"),
                                                "--by", outsider.email])
    assert result.exit_code != 0 and "mag dit rapport niet maken" in result.output
