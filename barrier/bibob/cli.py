"""Command-line commands of the Bibob area (registered top-level through the blueprint).

``flask --app wsgi bibob-report --list`` / ``bibob-report REFERENCE --output FILE.pdf`` and
``flask --app wsgi bibob-retention --list`` / ``--purge --by EMAIL [--approved-by EMAIL]``.
Every report written is a disclosure (art. 28 Wet Bibob) and every purge is four-eyes.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click
from sqlalchemy import func, select

from barrier.bibob import bp, reports, retention
from barrier.bibob.access import can_view_details
from barrier.bibob.services import BibobError
from barrier.db import db
from barrier.models import Gemeente, User
from barrier.models.bibob import BibobDossier, DisclosureBasis
from screening.report import ReportStatus


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _user(email: str | None, what: str) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"{what}: onbekende gebruiker {email}.")
    return user


def _gemeente_ids(code: str | None) -> set[int] | None:
    if not code:
        return None
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == code.strip().upper()))
    if gemeente is None:
        raise click.ClickException(f"Onbekende gemeentecode {code}.")
    return {gemeente.id}


def _write_atomically(path: Path, data: bytes) -> None:
    """Never leave a half-written PDF behind: write a temporary file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bibob-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@bp.cli.command("bibob-report")
@click.argument("reference", required=False)
@click.option("--list", "list_only", is_flag=True, help="Toon kenmerk en fase van elk dossier waarvan een rapport kan worden gemaakt.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Het PDF-bestand dat wordt geschreven.")
@click.option("--report-version", type=int, help="Een vastgestelde versie (standaard de nieuwste; zonder versies een concept).")
@click.option("--concept", is_flag=True, help="Maak een concept van de huidige stand, ook als er versies zijn.")
@click.option("--gemeente", help="Alleen dossiers van deze gemeente (CBS-code, bijv. GM0106).")
@click.option("--basis", default=DisclosureBasis.INTERN.value, show_default=True,
              help="Wettelijke grondslag van de verstrekking (art. 28 Wet Bibob): " + ", ".join(b.value for b in DisclosureBasis))
@click.option("--recipient", default="Batchverwerking (opdrachtregel)", show_default=True, help="Aan wie het rapport gaat.")
@click.option("--by", "by_email", help="E-mailadres van de Bibob-coördinator namens wie het rapport wordt gemaakt.")
def bibob_report_command(reference: str | None, list_only: bool, output: Path | None, report_version: int | None,
                         concept: bool, gemeente: str | None, basis: str, recipient: str, by_email: str | None) -> None:
    """Bibob-adviesrapporten: lijst van rapporteerbare dossiers, of één rapport als PDF schrijven."""
    if list_only:
        dossiers = reports.reportable_dossiers(_gemeente_ids(gemeente))
        for dossier in dossiers:
            latest = dossier.latest_report
            state = f"versie {latest.version} definitief" if latest else "nog geen versie (concept)"
            click.echo(f"{dossier.reference}\t{dossier.stage.label}\t{dossier.gemeente.name}\t{state}")
        click.echo(f"{len(dossiers)} dossier(s) kunnen worden gerapporteerd.", err=True)
        return
    if not reference:
        raise click.UsageError("Geef een kenmerk (bijv. BIBOB-0106-2026-00001) of --list.")
    if output is None:
        raise click.UsageError("Geef met --output aan naar welk PDF-bestand het rapport moet.")
    dossier = db.session.scalar(select(BibobDossier).where(func.upper(BibobDossier.reference) == reference.strip().upper()))
    if dossier is None:
        raise click.ClickException(f"Er is geen Bibob-dossier met kenmerk {reference}.")
    actor = _user(by_email, "--by")
    if actor is not None and not can_view_details(actor, dossier):
        raise click.ClickException(f"{actor.email} is geen Bibob-coördinator van {dossier.gemeente.name} "
                                   "en mag dit rapport niet maken (art. 28 Wet Bibob).")
    try:
        reports.parse_basis(basis)
        reports.require_reportable(dossier)
        if report_version is not None or (dossier.reports and not concept):
            version = (dossier.latest_report if report_version is None
                       else next((r for r in dossier.reports if r.version == report_version), None))
            if version is None:
                raise BibobError(f"Dossier {dossier.reference} heeft geen versie {report_version}; "
                                 f"vastgesteld: {', '.join(str(r.version) for r in dossier.reports) or 'geen'}.")
            pdf, content_hash, number, status, millis = version.pdf, version.content_hash, version.version, \
                ReportStatus.DEFINITIEF, None
        else:
            rendered = reports.render_concept(dossier, today=_today())
            pdf, content_hash, number, status, millis = (rendered.pdf, rendered.content_hash, rendered.version,
                                                         rendered.status, rendered.millis)
            version = None
        _write_atomically(output, pdf)
        reports.record_disclosure(dossier, pdf=pdf, content_hash=content_hash, basis=basis, recipient=recipient,
                                  purpose=f"export naar {output.name}", channel="cli", actor=actor, report=version,
                                  version=number, is_concept=status is ReportStatus.CONCEPT)
    except BibobError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    timing = f", gemaakt in {millis:.0f} ms" if millis is not None else ""
    click.echo(f"{output}: {dossier.reference} {status.label.lower()} versie {number}, {len(pdf)} bytes{timing}; "
               f"verstrekking vastgelegd ({basis.upper()}).")


@bp.cli.command("bibob-retention")
@click.option("--list", "list_only", is_flag=True, help="Toon de dossiers met hun bewaartermijn (verstreken eerst).")
@click.option("--all", "show_all", is_flag=True, help="Bij --list: ook dossiers binnen hun bewaartermijn.")
@click.option("--purge", is_flag=True, help="Vernietig de dossiers waarvan de bewaartermijn is verstreken.")
@click.option("--by", "by_email", help="E-mailadres van de beheerder die de vernietiging uitvoert.")
@click.option("--approved-by", "approved_by_email",
              help="E-mailadres van de tweede beheerder die goedkeurt (anders: de goedkeuring in de applicatie).")
@click.option("--gemeente", help="Alleen dossiers van deze gemeente (CBS-code).")
def bibob_retention_command(list_only: bool, show_all: bool, purge: bool, by_email: str | None,
                            approved_by_email: str | None, gemeente: str | None) -> None:
    """Bewaartermijnen van Bibob-dossiers (domain.md §1.8): tonen en, met vier ogen, vernietigen."""
    today = _today()
    scope = _gemeente_ids(gemeente)
    if list_only == purge:
        raise click.UsageError("Kies --list of --purge.")
    if list_only:
        rows = retention.overview(today=today, gemeente_ids=scope, due_only=not show_all)
        for row in rows:
            approved = f" · goedgekeurd door {row.dossier.purge_approved_by.email}" if row.dossier.purge_approved_by_id and not row.dossier.is_purged else ""
            click.echo(f"{row.dossier.reference}\t{row.dossier.gemeente.name}\t"
                       f"{row.until.isoformat() if row.until else '—'}\t{row.status}{approved}")
        due = sum(1 for r in rows if r.is_due)
        click.echo(f"{due} dossier(s) met verstreken bewaartermijn.", err=True)
        return
    executor = _user(by_email, "--by")
    if executor is None:
        raise click.UsageError("Geef met --by aan welke beheerder de vernietiging uitvoert.")
    approver = _user(approved_by_email, "--approved-by")
    if approver is not None and approver.id == executor.id:
        raise click.ClickException("Vier-ogenprincipe: --approved-by moet een andere beheerder zijn dan --by.")
    rows = retention.overview(today=today, gemeente_ids=scope, due_only=True)
    purged, skipped = 0, 0
    for row in rows:
        dossier = row.dossier
        reference = dossier.reference
        try:
            files = retention.purge(dossier, executor=executor, approver=approver, today=today)
        except BibobError as error:
            db.session.rollback()
            skipped += 1
            click.echo(f"overgeslagen: {error.message}", err=True)
            continue
        # One dossier per transaction: an interrupted run leaves every dossier purged or untouched.
        db.session.commit()
        retention.remove_unreferenced_files(files)
        purged += 1
        click.echo(f"vernietigd: {reference}")
    click.echo(f"{purged} dossier(s) vernietigd, {skipped} overgeslagen.")
    if skipped and not purged:
        raise SystemExit(1)
