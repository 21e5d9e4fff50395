"""Command-line commands of the register (top-level through the blueprint).

``flask --app wsgi register-import FILE [--mapping ...] [--dry-run]`` checks and imports a CSV or
XLSX file with a progress bar; ``flask --app wsgi register-rescreen`` re-screens every open
application and every permit in force against the current register (resumable, idempotent).
"""

from __future__ import annotations

import hashlib
import time
from datetime import date
from pathlib import Path

import click
from sqlalchemy import func, select

from barrier.db import db
from barrier.models import Gemeente, User
from barrier.models.register import RegisterImport
from barrier.register import bp, importer, rescreen, services
from barrier.register.index import current_index


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _user(email: str) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"Onbekende gebruiker {email}.")
    return user


def _gemeente_id(code: str) -> int | None:
    if not code:
        return None
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == code.strip().upper()))
    if gemeente is None:
        raise click.ClickException(f"Onbekende gemeentecode {code} (gebruik bijvoorbeeld GM0106).")
    return gemeente.id


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@bp.cli.command("register-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", default="", help="Koppeling van velden aan kolommen: een JSON-bestand of "
              "'surname=Achternaam,given_names=Voornamen'. Zonder: automatisch op de kolomnamen.")
@click.option("--dry-run", is_flag=True, help="Alleen controleren en rapporteren; niets vastleggen.")
@click.option("--source", default="", help="Bron voor regels zonder bron (bibob_besluit, vergunning_geweigerd, "
              "riec_signaal, faillissement, sanctielijst, inspectie).")
@click.option("--confidentiality", default="bibob_coordinatoren", show_default=True,
              help="Vertrouwelijkheid voor regels zonder niveau (regionaal, bibob_coordinatoren, eigen_gemeente).")
@click.option("--gemeente", "gemeente_code", default="", help="CBS-code (GM0106) voor regels zonder gemeente.")
@click.option("--reason", default="", help="Reden voor regels zonder reden.")
@click.option("--by", "by_email", default="", help="E-mailadres van wie importeert (voor het auditlog).")
def register_import_command(file: Path, mapping: str, dry_run: bool, source: str, confidentiality: str,
                            gemeente_code: str, reason: str, by_email: str) -> None:
    """Importeer registraties uit een CSV- of Excel-bestand: eerst een volledige controle, dan alles of niets."""
    actor = _user(by_email)
    defaults = importer.Defaults(source=source, confidentiality=confidentiality, gemeente_id=_gemeente_id(gemeente_code),
                                 reason=reason)
    try:
        table = importer.open_table(file, file.name)
        columns = importer.parse_mapping_option(mapping, table.headers)
    except importer.ImportFileError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Bestand: {file.name} · {table.encoding}"
               f"{(' · scheidingsteken ' + table.delimiter) if table.delimiter else ''} · ca. {table.row_estimate} regels")
    for note in table.notes:
        click.echo(f"Let op: {note}")
    click.echo("Koppeling: " + ", ".join(f"{key}={column}" for key, column in columns.items()))
    problems: list[str] = []
    started = time.perf_counter()
    with click.progressbar(length=max(1, table.row_estimate), label="Controleren") as bar:
        report = importer.dry_run(table, columns, defaults, today=_today(), progress=bar.update,
                                  on_problem=lambda p, is_error: problems.append(
                                      ("FOUT " if is_error else "let op ") + p.as_text()))
    for line in report.file_errors:
        click.echo(f"FOUT bestand: {line}")
    for line in problems:
        click.echo(line)
    if report.unused_columns:
        click.echo("Niet gebruikte kolommen: " + ", ".join(report.unused_columns))
    click.echo(f"{report.rows} regels gelezen: {report.valid} goed, {report.invalid} met fouten; "
               f"{report.to_create} nieuw, {report.to_update} bij te werken ({time.perf_counter() - started:.1f} s).")
    if dry_run:
        click.echo("Proefimport: er is niets vastgelegd.")
        if not report.ok:
            raise SystemExit(1)
        return
    if not report.ok:
        raise click.ClickException("Het bestand bevat fouten; er is niets geïmporteerd. Het register is ongewijzigd.")
    sha256, size = _sha256(file)
    record = RegisterImport(original_filename=file.name[:255], sha256=sha256, size_bytes=size,
                            file_format=table.file_format, gemeente_id=defaults.gemeente_id,
                            uploaded_by_id=actor.id if actor else None)
    db.session.add(record)
    db.session.flush()
    started = time.perf_counter()
    try:
        with click.progressbar(length=report.valid, label="Vastleggen") as bar:
            result = importer.commit(table, columns, defaults, today=_today(), actor=actor, record=record,
                                     progress=bar.update, checked=report)
        db.session.commit()
    except (importer.ImportRefused, importer.ImportFileError) as error:
        db.session.rollback()
        raise click.ClickException(f"{error} Het register is ongewijzigd.") from error
    click.echo(f"Vastgelegd in {time.perf_counter() - started:.1f} s: {result.to_create} nieuw, {result.to_update} "
               f"bijgewerkt. Register versie {services.current_version()}.")
    click.echo("Herscreen nu de lopende aanvragen en vergunningen: flask --app wsgi register-rescreen")


@bp.cli.command("register-rescreen")
@click.option("--batch-size", default=rescreen.BATCH_SIZE, show_default=True, help="Aanvragen per batch (en per commit).")
@click.option("--workers", type=int, default=1, show_default=True,
              help="Processen voor het matchen; meer helpt pas bij veel kernen en grote batches (de engine forkt).")
@click.option("--force", is_flag=True, help="Ook aanvragen die al tegen deze versie zijn gescreend.")
def register_rescreen_command(batch_size: int, workers: int, force: bool) -> None:
    """Screen alle open aanvragen en geldige vergunningen opnieuw tegen het huidige register (hervatbaar)."""
    if rescreen.active_run() is not None:
        db.session.commit()
        raise click.ClickException("Er loopt al een herscreening (zie /register/herscreening).")
    pending, total = services.rescreen_targets(version=services.current_version(), today=_today(), force=force)
    if not pending:
        click.echo(f"Alle {total} open aanvragen en vergunningen zijn al gescreend tegen register versie "
                   f"{services.current_version()}; er is niets te doen.")
        return
    started = time.perf_counter()
    index = current_index()
    click.echo(f"Register versie {index.version}: {index.size} registraties in de index "
               f"({time.perf_counter() - started:.1f} s).")
    pending, total = services.rescreen_targets(version=index.version, today=_today(), force=force)
    click.echo(f"{total} open aanvragen en vergunningen; {total - len(pending)} al gescreend tegen deze versie, "
               f"{len(pending)} te screenen.")
    run = rescreen.new_run(actor=None, index=index)
    db.session.commit()
    started = time.perf_counter()
    with click.progressbar(length=max(1, len(pending)), label="Screenen") as bar:
        run = rescreen.execute(run, index=index, batch_size=batch_size, workers=workers, force=force, expunge=True,
                               progress=bar.update)
    seconds = time.perf_counter() - started
    rate = f" ({run.done / seconds:.0f} per seconde)" if run.done and seconds > 0 else ""
    click.echo(f"Klaar in {seconds:.1f} s{rate}: {run.done} gescreend, {run.new_hits} nieuwe treffers, "
               f"{run.reopened_hits} opnieuw te beoordelen.")
