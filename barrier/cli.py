"""Command-line commands: ``flask --app wsgi <command>``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from barrier.db import db


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-gemeenten")
    def seed_gemeenten_command() -> None:
        """Vul de tabel gemeenten met de twaalf Drentse gemeenten (idempotent)."""
        from barrier.region import seed_gemeenten

        added = seed_gemeenten()
        db.session.commit()
        click.echo(f"{added} gemeente(n) toegevoegd.")

    @app.cli.command("create-admin")
    @click.option("--email", prompt="E-mailadres")
    @click.option("--name", "full_name", prompt="Naam")
    @click.option("--password", prompt="Wachtwoord", hide_input=True, confirmation_prompt=True)
    @click.option("--gemeente", "gemeente_code", default="", help="CBS-code (GM0106) voor een beheerder van één gemeente; leeg = regionaal.")
    def create_admin_command(email: str, full_name: str, password: str, gemeente_code: str) -> None:
        """Maak een beheerder aan (de eerste gebruiker van een nieuwe installatie)."""
        from barrier.auth.services import UserDataError, create_user
        from barrier.models import Gemeente, Role
        from forms.auth import PASSWORD_MIN_LENGTH

        if len(password) < PASSWORD_MIN_LENGTH:
            raise click.ClickException(f"Een wachtwoord heeft minstens {PASSWORD_MIN_LENGTH} tekens.")
        gemeente_id = None
        if gemeente_code:
            gemeente = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == gemeente_code.upper()))
            if gemeente is None:
                raise click.ClickException(f"Onbekende gemeentecode {gemeente_code}.")
            gemeente_id = gemeente.id
        try:
            user = create_user(email=email, full_name=full_name, password=password, role=Role.BEHEERDER,
                               gemeente_id=gemeente_id)
        except UserDataError as error:
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Beheerder {user.email} aangemaakt.")

    @app.cli.command("demo-data")
    @click.option("--seed", default=2026, show_default=True, help="Seed voor reproduceerbare demodata.")
    def demo_data_command(seed: int) -> None:
        """Vul een lege database met demogebruikers (één per rol) en realistische demodossiers."""
        from barrier.demo import DemoDataError, load_demo_data

        try:
            report = load_demo_data(seed=seed)
        except DemoDataError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(report.as_text())

    @app.cli.command("backup")
    @click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
                  help="Bestand voor de back-up, bijvoorbeeld barrier-2026-11-28.tar.gz")
    def backup_command(output: str) -> None:
        """Maak een consistente back-up van de database en alle documenten."""
        from pathlib import Path

        from barrier.backup import BackupError, make_backup

        try:
            result = make_backup(app, Path(output))
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Back-up gemaakt: {result.path} ({result.dialect}, revisie {result.revision}, "
                   f"{result.files} bestanden, {result.size_bytes // 1024} kB)")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Bevestig dat de huidige gegevens worden vervangen.")
    def restore_command(archive: str, yes: bool) -> None:
        """Zet een back-up terug: vervangt de database en de documenten."""
        from pathlib import Path

        from barrier.backup import BackupError, restore_backup

        if not yes:
            raise click.ClickException("Terugzetten vervangt alle huidige gegevens. Bevestig met --yes.")
        try:
            manifest = restore_backup(app, Path(archive))
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Back-up van {manifest['created_at']} teruggezet (revisie {manifest['alembic_revision']}).")

    @app.cli.command("demo")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True)
    def demo_command(host: str, port: int) -> None:
        """Migreer, laad demodata (als de database leeg is) en start de app op http://127.0.0.1:5000."""
        from flask_migrate import upgrade

        from barrier.demo import DemoDataError, load_demo_data

        upgrade()
        try:
            click.echo(load_demo_data(seed=2026).as_text())
            db.session.commit()
        except DemoDataError:
            db.session.rollback()
            click.echo("De database bevat al gegevens; demodata niet opnieuw geladen.")
        # Plain HTTP on localhost: cookies cannot be marked Secure here (production runs behind TLS).
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False, HSTS=False)
        click.echo(f"Barrier draait op http://{host}:{port}/  (stoppen met Ctrl+C)")
        # Werkzeug's server directly: Flask refuses app.run() inside a `flask` command.
        from werkzeug.serving import run_simple

        run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
